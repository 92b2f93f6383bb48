/** Signs a request body the way Slack does (v0 HMAC-SHA256), for tests and local drivers of the bot. */
import { createHmac } from 'node:crypto';

/** The two headers of a signed Slack request. */
export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** Signs `body` with `signingSecret` at `timestampSeconds` (now by default). */
export function signSlackRequest(
  body: string,
  signingSecret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const hash = createHmac('sha256', signingSecret).update(`v0:${timestampSeconds}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${hash}`, 'x-slack-request-timestamp': String(timestampSeconds) };
}
