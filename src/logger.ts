/** Structured JSON-line logging that blanks every known secret value before a line is written. */

/** Fields attached to one log line. */
export type LogFields = Record<string, unknown>;

/** Log levels in increasing severity. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger; `child` adds fields, `addSecret` registers a value that must never be printed. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  addSecret(value: string | undefined): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const redacted = '[redacted]';
// Short values would blank ordinary words; real secrets and tokens are far longer.
const minSecretLength = 6;

/** Creates a logger writing one JSON object per line to `sink` (stdout by default). */
export function createLogger(
  options: { level?: LogLevel; sink?: (line: string) => void; fields?: LogFields } = {},
): Logger {
  const secrets = new Set<string>();
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const min = order[options.level ?? 'info'];

  const redact = (text: string): string => {
    let out = text;
    for (const secret of secrets) out = out.split(secret).join(redacted);
    return out;
  };

  const make = (base: LogFields): Logger => {
    const write = (level: LogLevel, message: string, fields?: LogFields) => {
      if (order[level] < min) return;
      const line = JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...serialize(fields) });
      sink(redact(line));
    };
    return {
      debug: (m, f) => write('debug', m, f),
      info: (m, f) => write('info', m, f),
      warn: (m, f) => write('warn', m, f),
      error: (m, f) => write('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
      addSecret: (value) => {
        if (value && value.length >= minSecretLength) secrets.add(value);
      },
    };
  };
  return make(options.fields ?? {});
}

/** Creates a logger that drops every line, for callers that were given none. */
export function createSilentLogger(): Logger {
  return createLogger({ sink: () => {} });
}

function serialize(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error ? describeError(value) : value;
  }
  return out;
}

/** Describes an error for a log line: name, message, and the same for its causes; never headers or bodies sent. */
export function describeError(error: Error): LogFields {
  const described: LogFields = { name: error.name, message: error.message };
  if (error.stack) described.stack = error.stack.split('\n').slice(0, 6).join('\n');
  if (error.cause instanceof Error) described.cause = describeError(error.cause);
  return described;
}
