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
  /**
   * Registers a value that is blanked wherever it appears in a later line of this logger, its parent or its children.
   * Values shorter than six characters are ignored (see `minSecretLength`).
   */
  addSecret(value: string | undefined): void;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const redacted = '[redacted]';
// Blanking is a plain substring replacement, so a short value would blank ordinary words and ids in every line
// (a 3-letter "secret" would eat parts of messages); real tokens and secrets are far longer, so such values are not
// registered at all.
const minSecretLength = 6;
// Deep enough for any field the bot logs; anything deeper is cut rather than walked without end.
const maxDepth = 8;

/** Creates a logger writing one JSON object per line to `sink` (stdout by default). */
export function createLogger(
  options: { level?: LogLevel; sink?: (line: string) => void; fields?: LogFields } = {},
): Logger {
  const secrets = new Set<string>();
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const min = order[options.level ?? 'info'];

  const make = (base: LogFields): Logger => {
    const write = (level: LogLevel, message: string, fields?: LogFields) => {
      if (order[level] < min) return;
      // Longest first, so a secret that contains another is blanked whole.
      const known = [...secrets].sort((a, b) => b.length - a.length);
      // Values are blanked before serializing: JSON.stringify escapes `"` and `\`, so a secret holding either would no
      // longer be found as is in the finished line.
      const entry = redactValue({ message, ...base, ...fields }, known, 0, new WeakSet()) as LogFields;
      const line = JSON.stringify({ level, time: new Date().toISOString(), ...entry });
      sink(redactLine(line, known));
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

/** Describes an error for a log line: name, message, and the same for its causes; never headers or bodies sent. */
export function describeError(error: Error): LogFields {
  const described: LogFields = { name: error.name, message: error.message };
  if (error.stack) described.stack = error.stack.split('\n').slice(0, 6).join('\n');
  if (error.cause instanceof Error) described.cause = describeError(error.cause);
  return described;
}

function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(redacted);
  return out;
}

/** Returns a copy of `value` fit for JSON.stringify, with every secret blanked in every string, key and error. */
function redactValue(value: unknown, secrets: readonly string[], depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  if (depth >= maxDepth) return '[too deep]';
  seen.add(value);
  try {
    if (value instanceof Error) return redactValue(describeError(value), secrets, depth + 1, seen);
    if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1, seen));
    const toJson = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJson === 'function') return redactValue(toJson.call(value), secrets, depth + 1, seen);
    const out: LogFields = {};
    for (const [key, item] of Object.entries(value)) {
      out[redactText(key, secrets)] = redactValue(item, secrets, depth + 1, seen);
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/**
 * A second net over the finished line, in case a value reached it by a path the walk above does not cover: each
 * secret as it reads once JSON-escaped (`"` as `\"`, `\` as `\\`), and as is.
 */
function redactLine(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    const escaped = JSON.stringify(secret).slice(1, -1);
    out = redactText(out, escaped === secret ? [secret] : [escaped, secret]);
  }
  return out;
}
