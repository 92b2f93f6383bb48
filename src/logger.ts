/**
 * Structured JSON-line logging through Powertools' Logger, with our formatter blanking every known secret value
 * before a line is written (docs/decisions/0023-powertools-logger-and-metrics.md).
 */
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions, LogAttributes, UnformattedAttributes } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';

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
  /** Adds the Lambda invocation's request id and cold-start flag to every later line of this logger and its family. */
  addContext(context: Partial<Context>): void;
}

const redacted = '[redacted]';
// Blanking is a plain substring replacement, so a short value would blank ordinary words and ids in every line
// (a 3-letter "secret" would eat parts of messages); real tokens and secrets are far longer, so such values are not
// registered at all.
const minSecretLength = 6;
// Deep enough for any field the bot logs; anything deeper is cut rather than walked without end.
const maxDepth = 8;

/**
 * Powertools' formatter seam, holding our redaction: every string, key and error of a line is blanked of the known
 * secrets before Powertools serializes it, and the line keeps the shape it had before Powertools
 * (`level`, `time`, `message`, `service`, fields; docs/decisions/0023-powertools-logger-and-metrics.md).
 */
class RedactingFormatter extends LogFormatter {
  readonly secrets = new Set<string>();

  /** The known secrets, longest first, so a secret that contains another is blanked whole. */
  known(): string[] {
    return [...this.secrets].sort((a, b) => b.length - a.length);
  }

  override formatAttributes(attributes: UnformattedAttributes, additional: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    const entry = {
      level: attributes.logLevel.toLowerCase(),
      time: attributes.timestamp.toISOString(),
      message: attributes.message,
      // Powertools names a logger without a service `service_undefined`; ours then has no `service` at all.
      ...(attributes.serviceName && attributes.serviceName !== 'service_undefined'
        ? { service: attributes.serviceName }
        : {}),
      ...(context ? { function_request_id: context.awsRequestId, cold_start: context.coldStart } : {}),
      ...additional,
    };
    // Values are blanked before serializing: JSON.stringify escapes `"` and `\`, so a secret holding either would no
    // longer be found as is in the finished line.
    return new LogItem({ attributes: redactValue(entry, this.known(), 0, new WeakSet()) as LogAttributes });
  }

  override formatError(error: Error): LogAttributes {
    return redactValue(describeError(error), this.known(), 0, new WeakSet()) as LogAttributes;
  }
}

/** Powertools' Logger writing its finished lines to our sink, so tests and local runs read what Lambda would. */
class SinkLogger extends PowertoolsLogger {
  constructor(
    options: ConstructorOptions,
    private readonly sink: (line: string) => void,
    private readonly formatter: RedactingFormatter,
  ) {
    super(options);
  }

  protected override printLog(_level: number, log: LogItem): void {
    const line = JSON.stringify(log.getAttributes(), this.getJsonReplacer());
    this.sink(redactLine(line, this.formatter.known()));
  }
}

/** Creates a logger writing one JSON object per line to `sink` (stdout by default), through Powertools' Logger. */
export function createLogger(
  options: { level?: LogLevel; sink?: (line: string) => void; fields?: LogFields } = {},
): Logger {
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const formatter = new RedactingFormatter();
  // `service` is one of Powertools' own keys: a field of that name becomes its service name.
  const { service, ...fields } = options.fields ?? {};
  const engine = new SinkLogger(
    {
      logLevel: (options.level ?? 'info').toUpperCase() as Uppercase<LogLevel>,
      ...(typeof service === 'string' ? { serviceName: service } : {}),
      logFormatter: formatter,
    },
    sink,
    formatter,
  );

  const make = (base: LogFields): Logger => ({
    debug: (m, f) => engine.debug(m, { ...base, ...f }),
    info: (m, f) => engine.info(m, { ...base, ...f }),
    warn: (m, f) => engine.warn(m, { ...base, ...f }),
    error: (m, f) => engine.error(m, { ...base, ...f }),
    child: (more) => make({ ...base, ...more }),
    addSecret: (value) => {
      if (value && value.length >= minSecretLength) formatter.secrets.add(value);
    },
    addContext: (context) => engine.addContext(context as Context),
  });
  return make(fields);
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
