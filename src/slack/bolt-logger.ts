/**
 * Bolt's and the Web API client's log lines, sent through our structured logger so they are redacted too. Bolt's
 * debug lines that dump a whole request or API body are dropped: they hold `response_url`s (anyone holding one may
 * post as the bot for 30 minutes), `trigger_id`s and the legacy verification token. Every other line is scrubbed of
 * those values as a second net.
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import { describeError, type LogFields, type Logger, type LogLevel as OurLogLevel } from '../logger';

const order: Record<OurLogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

// Debug lines of Bolt 5 (receivers/AwsLambdaReceiver.js, App.js) and @slack/web-api (WebClient.js) that carry a
// request, a response or an API call's body.
const payloadDumps = [
  'AWS event:',
  'Error details:',
  'http request body:',
  'http request result:',
  'http request headers:',
  'http request url:',
];

// Keys whose values must never reach a log line, in the shapes Slack bodies take once stringified: JSON (also
// JSON inside a JSON string), form-encoded, and form-encoded JSON (`payload=`).
const secretKey = '(?:[a-z_]*token|response_urls?|trigger_id)';
const scrubbers: RegExp[] = [
  new RegExp(`("${secretKey}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*(")`, 'gi'),
  new RegExp(`(\\\\"${secretKey}\\\\"\\s*:\\s*\\\\")(?:[^\\\\]|\\\\(?!"))*(\\\\")`, 'gi'),
  new RegExp(`(\\b${secretKey}=)[^&\\s"\\\\]*()`, 'gi'),
  new RegExp(`(%22${secretKey}%22%3A%22).*?(%22)`, 'gi'),
];
// A response_url or a Slack token wherever else it shows up, plain or URL-encoded.
const secretShapes = [/https?(?::\/\/|%3A%2F%2F)hooks\.slack\.com[^\s"&]*/gi, /\bxox[a-z]-[A-Za-z0-9-]+/g];
const scrubbed = '[scrubbed]';

/** Adapts `logger` to the logger interface Bolt and `WebClient` expect, starting at `level`. */
export function createBoltLogger(logger: Logger, level: OurLogLevel): BoltLogger {
  let current: OurLogLevel = level;
  let name: string | undefined;
  const write = (at: OurLogLevel, parts: unknown[]) => {
    if (order[at] < order[current]) return;
    const message = parts
      .filter((part) => !(part instanceof Error))
      .map((part) => (typeof part === 'string' ? part : safeJson(part)))
      .join(' ');
    if (at === 'debug' && carriesPayload(message)) return;
    const errors = parts.filter((part): part is Error => part instanceof Error).map(describeScrubbed);
    logger[at](scrubSlackSecrets(message) || 'Bolt', {
      source: name ?? 'bolt',
      ...(errors.length > 0 ? { errors } : {}),
    });
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

/** Replaces the values of `token`, `response_url` and `trigger_id` fields, hook URLs and Slack tokens in `text`. */
export function scrubSlackSecrets(text: string): string {
  let out = text;
  for (const pattern of scrubbers) out = out.replace(pattern, `$1${scrubbed}$2`);
  for (const pattern of secretShapes) out = out.replace(pattern, scrubbed);
  return out;
}

function carriesPayload(message: string): boolean {
  const start = message.trimStart();
  // A bare JSON dump is a body: Bolt's developer mode logs each request that way (App.js `processEvent`).
  return start.startsWith('{') || start.startsWith('[') || payloadDumps.some((prefix) => start.startsWith(prefix));
}

function describeScrubbed(error: Error): LogFields {
  const scrubFields = (fields: LogFields): LogFields =>
    Object.fromEntries(
      Object.entries(fields).map(([key, value]) => [
        key,
        typeof value === 'string'
          ? scrubSlackSecrets(value)
          : value && typeof value === 'object'
            ? scrubFields(value as LogFields)
            : value,
      ]),
    );
  return scrubFields(describeError(error));
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
