/**
 * Operational metrics as CloudWatch embedded metric format (EMF) lines, through Powertools' Metrics: facts are
 * collected during one invocation and written once at its end (docs/decisions/0023-powertools-logger-and-metrics.md).
 */
import { MetricUnit, Metrics as PowertoolsMetrics } from '@aws-lambda-powertools/metrics';
import type { Logger } from './logger';

/** The CloudWatch namespace every metric of the bot is in. */
export const metricsNamespace = 'VcrChatops';

/** The metric names, as the alarms in serverless.yml and dashboards name them. */
export const metricNames = {
  commands: 'Commands',
  approvals: 'Approvals',
  vcrErrors: 'VcrErrors',
  ackLatency: 'AckLatency',
  outcomeUnknownJobs: 'OutcomeUnknownJobs',
} as const;

/** What the approval flow counts: a request for approval, and each way it ends. */
export type ApprovalEvent = 'requested' | 'approved' | 'rejected' | 'expired';

/** The facts the bot counts; each call only collects, and `flush` writes them. None of them ever throws. */
export interface Metrics {
  /** Counts one command that ended, by its id (`repo.quota`) and outcome (`done`, `failed`, `refused`, …). */
  command(commandId: string, outcome: string): void;
  /** Counts one approval event. */
  approval(event: ApprovalEvent): void;
  /** Counts one failed vCR call by its HTTP status, or `timeout` / `network` when no answer came. */
  vcrError(status: number | 'timeout' | 'network'): void;
  /** Records how long an HTTP request took from its arrival to Slack's ack, in ms. */
  ackLatency(ms: number): void;
  /** Counts one job that ended with an operation whose outcome is unknown. */
  outcomeUnknownJob(): void;
  /** Writes what was collected as EMF lines, one per set of dimensions, and forgets it; never throws. */
  flush(): void;
}

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

interface Fact {
  name: string;
  unit: Unit;
  value: number;
  dimensions: Record<string, string>;
}

/**
 * Creates the metrics of one container. Lines go to `sink` (stdout by default), the same way as the log lines, so
 * tests read them as Lambda would; a failure to write them is logged, never thrown.
 */
export function createMetrics(
  options: { service: string; sink?: (line: string) => void; logger?: Logger } = { service: 'vcr-chatops' },
): Metrics {
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  let pending: Fact[] = [];
  // Built on the first flush and reused: one instance per container, its dimensions set afresh per document.
  let emf: PowertoolsMetrics | undefined;
  const add = (name: string, unit: Unit, value: number, dimensions: Record<string, string> = {}) => {
    pending.push({ name, unit, value, dimensions });
  };
  return {
    command: (commandId, outcome) => add(metricNames.commands, MetricUnit.Count, 1, { command: commandId, outcome }),
    approval: (event) => add(metricNames.approvals, MetricUnit.Count, 1, { event }),
    vcrError: (status) => add(metricNames.vcrErrors, MetricUnit.Count, 1, { status: String(status) }),
    ackLatency: (ms) => add(metricNames.ackLatency, MetricUnit.Milliseconds, ms),
    outcomeUnknownJob: () => add(metricNames.outcomeUnknownJobs, MetricUnit.Count, 1),
    flush: () => {
      const facts = pending;
      pending = [];
      if (facts.length === 0) return;
      try {
        // One EMF document holds one set of dimensions for all its metrics, so facts are grouped by theirs.
        const groups = new Map<string, Fact[]>();
        for (const fact of facts) {
          const key = JSON.stringify(Object.entries(fact.dimensions).sort());
          groups.set(key, [...(groups.get(key) ?? []), fact]);
        }
        emf ??= new PowertoolsMetrics({
          namespace: metricsNamespace,
          serviceName: options.service,
          ...(options.logger ? { logger: options.logger } : {}),
        });
        for (const group of groups.values()) {
          emf.clearDimensions();
          emf.clearMetrics();
          emf.addDimensions(group[0]!.dimensions);
          for (const fact of group) emf.addMetric(fact.name, fact.unit, fact.value);
          // Written through our sink rather than Powertools' own stdout console: one output seam for logs and metrics.
          sink(JSON.stringify(emf.serializeMetrics()));
        }
      } catch (error) {
        options.logger?.warn('Metrics could not be written', {
          error: error instanceof Error ? error : String(error),
        });
      }
    },
  };
}

/** Creates metrics that are collected and dropped, for callers that were given none. */
export function createSilentMetrics(): Metrics {
  return createMetrics({ service: 'vcr-chatops', sink: () => {} });
}
