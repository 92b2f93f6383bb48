/**
 * The bench's baseline: a plain Bolt app on `AwsLambdaReceiver`, written the way the Bolt docs suggest, that calls
 * vCR before it acks. Bolt answers API Gateway only when the listener is done, so every ack waits for vCR.
 */
import { App, AwsLambdaReceiver, LogLevel } from '@slack/bolt';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** Where the naive app finds Slack and vCR. */
export interface NaiveAppOptions {
  signingSecret: string;
  botToken: string;
  slackApiUrl: string;
  vcrUrl: string;
  /** A vCR bearer token; the baseline is about acks, not about minting. */
  vcrToken: string;
}

/** The app's Lambda entry: an API Gateway event in, its answer out. */
export type NaiveHandler = (event: APIGatewayProxyEventV2) => Promise<{ statusCode: number; body?: string }>;

/** Creates the naive app and returns its Lambda entry. */
export function createNaiveBoltApp(options: NaiveAppOptions): NaiveHandler {
  const receiver = new AwsLambdaReceiver({ signingSecret: options.signingSecret, logLevel: LogLevel.ERROR });
  const app = new App({
    receiver,
    token: options.botToken,
    botId: 'B0NAIVE',
    botUserId: 'U0NAIVE',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: options.slackApiUrl },
  });
  const repositories = async (name = ''): Promise<{ name: string }[]> => {
    const url = `${options.vcrUrl}/v1/repository?name=${encodeURIComponent(name)}`;
    const response = await fetch(url, { headers: { Authorization: `Bearer ${options.vcrToken}` } });
    const page = (await response.json()) as { listData?: { name: string }[] };
    return page.listData ?? [];
  };

  app.command(/.*/, async ({ command, ack, client }) => {
    const found = await repositories();
    if (command.text.startsWith('repo attach')) {
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Attach a user' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: found[0]?.name ?? 'none' } }],
        },
      });
      await ack();
      return;
    }
    await ack({ response_type: 'ephemeral', text: found.map((repository) => repository.name).join(', ') });
  });
  app.action(/.*/, async ({ ack }) => {
    // What a confirm click deletes is read first.
    await repositories();
    await ack();
  });
  app.options(/.*/, async ({ body, ack }) => {
    const found = await repositories('value' in body ? body.value : '');
    await ack({
      options: found.map((repository) => ({
        text: { type: 'plain_text', text: repository.name },
        value: repository.name,
      })),
    });
  });

  const handle = receiver.toHandler();
  return (event) => handle(event as never, {}) as Promise<{ statusCode: number; body?: string }>;
}
