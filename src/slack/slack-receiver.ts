/**
 * Bolt's Lambda receiver with three gaps closed: it also refuses request timestamps far in the future (Bolt only
 * refuses old ones), it accepts a `Content-Type` with parameters, which Bolt would fail to parse
 * (docs/slack-limits.md#bolt-on-lambda), and it answers 400 to a correctly signed body that is not a request the bot
 * answers, which Bolt would dispatch into a crash and a 500 (docs/decisions/0011-payload-shapes.md). It also tells
 * every listener when its request arrived (docs/decisions/0013-lean-cold-start.md).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQueryString } from 'node:querystring';
import { AwsLambdaReceiver, type Logger as BoltLogger } from '@slack/bolt';
import { payloadProblem } from './payload-shape';
import type { RequestArrival } from './with-deadline';

/** The handler Bolt's receiver returns: API Gateway event in, API Gateway response out. */
export type SlackHttpHandler = ReturnType<AwsLambdaReceiver['toHandler']>;

// Slack's replay window is five minutes either way (docs/slack-limits.md#time-limits).
const maxSkewSeconds = 5 * 60;
// Slack sends forms (commands, interactions) and JSON (Events API); Bolt logs an error for anything else.
const contentTypes = ['application/x-www-form-urlencoded', 'application/json'];
const badRequest = { statusCode: 400, body: '' };
// API Gateway waits at most 30 s for a Lambda integration, so an older receipt time is a wrong clock or a hand-made
// event rather than an arrival.
const maxQueuedMs = 30_000;

/** The Lambda receiver of the bot; signature verification is always on. */
export class SlackReceiver extends AwsLambdaReceiver {
  readonly #now: () => number;
  readonly #log: BoltLogger;
  readonly #signingSecret: string;

  constructor(options: { signingSecret: string; logger: BoltLogger; now?: () => number }) {
    super({
      signingSecret: options.signingSecret,
      logger: options.logger,
      signatureVerification: true,
      // Bolt's context carries it to every listener, whose deadline counts from it (src/slack/with-deadline.ts).
      customPropertiesExtractor: (event) => arrivalOf(event, options.now ?? Date.now),
    });
    this.#now = options.now ?? Date.now;
    this.#log = options.logger;
    this.#signingSecret = options.signingSecret;
  }

  override toHandler(): SlackHttpHandler {
    const handle = super.toHandler();
    return async (event, context) => {
      const timestamp = Number(headerOf(event.headers, 'x-slack-request-timestamp'));
      if (Number.isFinite(timestamp) && timestamp > this.#now() / 1000 + maxSkewSeconds) {
        this.#log.info('Refused a request stamped in the future');
        return { statusCode: 401, body: '' };
      }
      const bare = withBareContentType(event);
      const contentType = headerOf(bare.headers, 'content-type');
      if (!contentTypes.includes(contentType ?? '')) {
        this.#log.warn('Refused a request whose content type Slack does not send', {
          contentType: String(contentType).slice(0, 80),
        });
        return badRequest;
      }
      const rawBody = rawBodyOf(bare);
      let body: unknown;
      try {
        body = parseBody(rawBody, contentType!);
      } catch {
        // Bolt parses the body before it checks the signature; an unparsable body is a bad request, not a crash.
        this.#log.warn('Refused a request whose body could not be parsed');
        return badRequest;
      }
      // Only a signed body is checked: an unsigned one gets Bolt's 401 whatever it holds.
      if (this.#isSigned(bare.headers, rawBody)) {
        const problem = payloadProblem(body);
        if (problem !== undefined) {
          this.#log.warn(`Refused a signed request that is not one the bot answers: ${problem.slice(0, 200)}`);
          return badRequest;
        }
      }
      return handle(bare, context);
    };
  }

  // The same check as Bolt's (v0 HMAC of `v0:timestamp:body`, five minutes back), made here only to know whether the
  // body deserves the shape check; Bolt still makes its own before dispatching.
  #isSigned(headers: Record<string, string | undefined>, rawBody: string): boolean {
    const signature = headerOf(headers, 'x-slack-signature');
    const timestamp = Number(headerOf(headers, 'x-slack-request-timestamp'));
    if (!signature || !timestamp || timestamp < this.#now() / 1000 - maxSkewSeconds) return false;
    const expected = `v0=${createHmac('sha256', this.#signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, Buffer.from(expected));
  }
}

/**
 * When API Gateway received `event` (`requestContext.timeEpoch`, which the local server sets when it has read the
 * request), moved onto the monotonic clock deadlines use; now when the event carries no usable time.
 */
function arrivalOf(event: { requestContext?: { timeEpoch?: unknown } }, now: () => number): RequestArrival {
  const queuedMs = now() - Number(event.requestContext?.timeEpoch);
  const waited = Number.isFinite(queuedMs) && queuedMs <= maxQueuedMs ? Math.max(0, queuedMs) : 0;
  return { arrivedAt: performance.now() - waited };
}

function headerOf(headers: Record<string, string | undefined>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

// Media types are case-insensitive and may carry parameters; Bolt compares the whole header with its two types.
function withBareContentType<E extends { headers: Record<string, string | undefined> }>(event: E): E {
  const key = Object.keys(event.headers).find((candidate) => candidate.toLowerCase() === 'content-type');
  const value = key === undefined ? undefined : event.headers[key];
  if (key === undefined || value === undefined) return event;
  const bare = value.split(';')[0]?.trim().toLowerCase() ?? value;
  return bare === value ? event : { ...event, headers: { ...event.headers, [key]: bare } };
}

// As Bolt reads it (AwsLambdaReceiver getRawBody), so the signature is checked over the same text.
function rawBodyOf(event: { body?: string | null; isBase64Encoded?: boolean }): string {
  if (event.body === undefined || event.body === null) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('ascii') : event.body;
}

// As Bolt decodes it (AwsLambdaReceiver parseRequestBody), so the shape checked is the one Bolt dispatches.
function parseBody(rawBody: string, contentType: string): unknown {
  if (contentType === 'application/json') return JSON.parse(rawBody);
  const fields = parseQueryString(rawBody);
  return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
}
