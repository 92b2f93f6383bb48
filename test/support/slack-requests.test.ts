import { randomBytes } from 'node:crypto';
import { App, AwsLambdaReceiver, type Logger, LogLevel } from '@slack/bolt';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type FakeSlack, startFakeSlack } from '../../local/fakes/slack-api';
import {
  createSlackDriver,
  readAnswer,
  retriedEvent,
  type SlackDriver,
  signedEvent,
  slashCommandBody,
  testUsers,
} from './slack-requests';

/** What a bare Bolt app's command listener saw of one delivery. */
interface Seen {
  text: string;
  triggerId: string;
  retryNum?: unknown;
  retryReason?: string;
}

const signingSecret = randomBytes(32).toString('hex');
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
let slack: FakeSlack;
let seen: Seen[];
let send: (event: APIGatewayProxyEventV2) => ReturnType<SlackDriver['retry']>;
let driver: SlackDriver;

beforeAll(async () => {
  slack = await startFakeSlack();
  // Bolt's own receiver and signature check, and nothing of the bot: what Slack's retry must get through.
  const receiver = new AwsLambdaReceiver({ signingSecret, logger: silent });
  // With both bot ids given Bolt never calls auth.test; the client points at the fake Slack all the same.
  const app = new App({
    receiver,
    token: 'xoxb-unused',
    botId: slack.botId,
    botUserId: slack.botUserId,
    clientOptions: { slackApiUrl: slack.url },
    logger: silent,
  });
  app.command('/vcr', async ({ ack, command, context }) => {
    seen.push({
      text: command.text,
      triggerId: command.trigger_id,
      retryNum: context.retryNum,
      retryReason: context.retryReason,
    });
    await ack();
  });
  const handler = receiver.toHandler();
  send = async (event) => {
    const answer = await handler(event as never, {});
    return readAnswer(answer.statusCode, answer.body);
  };
  driver = createSlackDriver({ send, slack, signingSecret });
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  await slack.close();
});

const decodedBody = (event: APIGatewayProxyEventV2) =>
  event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : event.body;

describe('retriedEvent', () => {
  it.each([
    ['plain', false],
    ['base64', true],
  ])(
    'keeps a %s body and its content type, signs it afresh and adds the timeout retry headers',
    async (_label, base64) => {
      // Prepare
      const body = slashCommandBody({ text: 'user disable ci-robot', userId: testUsers.operator, responseUrl: 'x' });
      const sentAt = 1_750_000_000;
      const original = signedEvent(body, signingSecret, { base64, timestampSeconds: sentAt });

      // Act
      const retry = retriedEvent(original, signingSecret, { timestampSeconds: sentAt + 3 });

      // Assess
      expect(retry.isBase64Encoded).toBe(base64);
      expect(decodedBody(retry)).toBe(body);
      expect(retry.headers).toEqual({
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(sentAt + 3),
        'x-slack-signature': expect.stringMatching(/^v0=[0-9a-f]{64}$/),
        'x-slack-retry-num': '1',
        'x-slack-retry-reason': 'http_timeout',
      });
      expect(retry.headers['x-slack-signature']).not.toBe(original.headers['x-slack-signature']);
    },
  );

  it('is verified by Bolt, which reports the retry to the listener, when the same command is delivered again', async () => {
    // Prepare
    const first = await driver.command('user disable ci-robot', testUsers.operator, { base64: true });

    // Act
    const again = await driver.retry(first.event);
    const third = await driver.retry(first.event, { num: 2, reason: 'http_error' });

    // Assess
    expect([first.ack.statusCode, again.statusCode, third.statusCode]).toEqual([200, 200, 200]);
    // Bolt 5's Lambda receiver passes the header through as it came: a string, although Context types it a number.
    expect(seen).toEqual([
      { text: 'user disable ci-robot', triggerId: seen[0]!.triggerId, retryNum: undefined, retryReason: undefined },
      { text: 'user disable ci-robot', triggerId: seen[0]!.triggerId, retryNum: '1', retryReason: 'http_timeout' },
      { text: 'user disable ci-robot', triggerId: seen[0]!.triggerId, retryNum: '2', retryReason: 'http_error' },
    ]);
  });

  it('is refused by Bolt when re-signed with another secret', async () => {
    // Prepare
    const first = await driver.command('repos', testUsers.viewer);

    // Act
    const answer = await send(retriedEvent(first.event, 'not-the-signing-secret'));

    // Assess
    expect(answer.statusCode).toBe(401);
    expect(seen).toHaveLength(1);
  });
});
