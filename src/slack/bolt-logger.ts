/** Bolt's and the Web API client's log lines, sent through our structured logger so they are redacted too. */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { describeError, type Logger, type LogLevel as OurLogLevel } from '../logger';

const order: Record<OurLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Adapts `logger` to the logger interface Bolt and `WebClient` expect, starting at `level`. */
export function createBoltLogger(logger: Logger, level: OurLogLevel): BoltLogger {
  let current: OurLogLevel = level;
  let name: string | undefined;
  const write = (at: OurLogLevel, parts: unknown[]) => {
    if (order[at] < order[current]) return;
    const errors = parts.filter((part): part is Error => part instanceof Error).map(describeError);
    const message = parts
      .filter((part) => !(part instanceof Error))
      .map((part) => (typeof part === 'string' ? part : safeJson(part)))
      .join(' ');
    logger[at](message || 'Bolt', { source: name ?? 'bolt', ...(errors.length > 0 ? { errors } : {}) });
  };
  return {
    debug: (...parts: unknown[]) => write('debug', parts),
    info: (...parts: unknown[]) => write('info', parts),
    warn: (...parts: unknown[]) => write('warn', parts),
    error: (...parts: unknown[]) => write('error', parts),
    setLevel: (next: LogLevel) => {
      current = next as OurLogLevel;
    },
    getLevel: () => current as LogLevel,
    setName: (next: string) => {
      name = next;
    },
  };
}

/** Maps our level names to Bolt's enum. */
export function boltLogLevel(level: OurLogLevel): LogLevel {
  return { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR }[level];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
