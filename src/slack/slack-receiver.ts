/**
 * Bolt's Lambda receiver with two gaps closed: it also refuses request timestamps far in the future (Bolt only
 * refuses old ones), and it accepts a `Content-Type` with parameters, which Bolt would fail to parse
 * (../shared/slack-limits.md "Bolt on Lambda"). It also tells every listener when its request arrived.
 */
import { AwsLambdaReceiver, type Logger as BoltLogger } from '@slack/bolt';
import type { RequestArrival } from './with-deadline';

/** The handler Bolt's receiver returns: API Gateway event in, API Gateway response out. */
export type SlackHttpHandler = ReturnType<AwsLambdaReceiver['toHandler']>;

// Slack's replay window is five minutes either way.
const maxSkewSeconds = 5 * 60;
// API Gateway waits at most 30 s for a Lambda integration, so an older receipt time is a wrong clock or a hand-made
// event rather than an arrival.
const maxQueuedMs = 30_000;

/** The Lambda receiver of the bot; signature verification is always on. */
export class SlackReceiver extends AwsLambdaReceiver {
  readonly #now: () => number;
  readonly #log: BoltLogger;

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
  }

  override toHandler(): SlackHttpHandler {
    const handle = super.toHandler();
    return async (event, context) => {
      const timestamp = Number(headerOf(event.headers, 'x-slack-request-timestamp'));
      if (Number.isFinite(timestamp) && timestamp > this.#now() / 1000 + maxSkewSeconds) {
        this.#log.info('Refused a request stamped in the future');
        return { statusCode: 401, body: '' };
      }
      try {
        return await handle(withBareContentType(event), context);
      } catch (error) {
        // Bolt parses the body before it checks the signature; an unparsable body is a bad request, not a crash.
        this.#log.warn('Refused a request whose body could not be parsed', error);
        return { statusCode: 400, body: '' };
      }
    };
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

function withBareContentType<E extends { headers: Record<string, string | undefined> }>(event: E): E {
  const key = Object.keys(event.headers).find((candidate) => candidate.toLowerCase() === 'content-type');
  const value = key === undefined ? undefined : event.headers[key];
  if (key === undefined || value === undefined || !value.includes(';')) return event;
  const bare = value.split(';')[0]?.trim().toLowerCase() ?? value;
  return { ...event, headers: { ...event.headers, [key]: bare } };
}
