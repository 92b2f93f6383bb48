/** Per-route fault and latency injection, for reliability tests of vCR and IAM clients. */

/**
 * A fault applied to matching requests: `path` is compared with the decoded pathname (exactly, or by RegExp);
 * `times` limits how many requests it hits (unlimited when absent). With only `delayMs` the request then proceeds
 * normally; with `status` or `body` the emulator answers that instead (status 500 when only `body` is given). With
 * `handled` (or `rewrite`) the request is carried out first, as vCR would, and only its answer is replaced: by
 * `status`/`body`, or by the real JSON answer passed through `rewrite` (vCR's odd answers, docs/vcr-api.md#errors).
 */
export interface Fault {
  method?: string;
  path: string | RegExp;
  /** Hits only requests whose query holds each of these decoded values, e.g. `{ imageName: 'team/api' }`. */
  query?: Record<string, string>;
  status?: number;
  /** JSON, or a string sent as is (as `contentType`, `text/plain` by default): HTML, truncated JSON, nothing. */
  body?: unknown;
  contentType?: string;
  delayMs?: number;
  times?: number;
  dropConnection?: boolean;
  /** Carry the request out before answering the fault; a change it makes stays made. */
  handled?: boolean;
  /** Carry the request out and answer its JSON body as `rewrite` returns it, with the real status unless `status`. */
  rewrite?: (body: unknown) => unknown;
}

/** Holds injected faults and hands out the one a request hits. */
export interface FaultInjector {
  inject(fault: Fault): void;
  clear(): void;
  /** Returns the first fault matching the request and counts one use of it, or undefined. */
  take(method: string, path: string, query?: Record<string, string>): Fault | undefined;
}

/** Returns an empty fault injector. */
export function createFaultInjector(): FaultInjector {
  const faults: { fault: Fault; remaining: number }[] = [];

  const matches = (fault: Fault, method: string, path: string, query: Record<string, string>) => {
    if (fault.method !== undefined && fault.method.toUpperCase() !== method) return false;
    if (fault.query && Object.entries(fault.query).some(([key, value]) => query[key] !== value)) return false;
    if (typeof fault.path === 'string') return fault.path === path;
    // A global or sticky RegExp keeps `lastIndex` between calls; reset it so every request is tested afresh.
    fault.path.lastIndex = 0;
    return fault.path.test(path);
  };

  return {
    inject(fault) {
      faults.push({ fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    clear() {
      faults.length = 0;
    },
    take(method, path, query = {}) {
      const index = faults.findIndex((entry) => entry.remaining > 0 && matches(entry.fault, method, path, query));
      if (index < 0) return undefined;
      const entry = faults[index];
      entry.remaining -= 1;
      if (entry.remaining <= 0) faults.splice(index, 1);
      return entry.fault;
    },
  };
}
