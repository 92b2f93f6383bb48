/**
 * The environment that runs the bot against the local vCR emulator and the fake Slack, with its credentials in the
 * environment rather than in Secrets Manager: what `npm start` and the Slack-layer tests hand to the config loader.
 */
import type { VcrEmulator } from './emulator/vcr-emulator';
import type { FakeSlack } from './fakes/slack-api';

/** Returns the variables that point the bot at `emulator` and `slack` and give it `signingSecret` and `botToken`. */
export function localBotEnv(options: {
  emulator: VcrEmulator;
  slack: FakeSlack;
  signingSecret: string;
  botToken: string;
}): Record<string, string> {
  const { emulator } = options;
  return {
    ...localSlackEnv(options),
    VCR_CLIENT_ID: emulator.clientId,
    VCR_CLIENT_SECRET: emulator.clientSecret,
    VCR_API_URL: emulator.url,
    VCR_IAM_URL: emulator.iamUrl,
  };
}

/** Returns the variables that point the bot at `slack` and give it `signingSecret` and `botToken`, and no vCR ones. */
export function localSlackEnv(options: {
  slack: FakeSlack;
  signingSecret: string;
  botToken: string;
}): Record<string, string> {
  const { slack } = options;
  return {
    SLACK_SIGNING_SECRET: options.signingSecret,
    SLACK_BOT_TOKEN: options.botToken,
    SLACK_API_URL: slack.url,
    SLACK_BOT_ID: slack.botId,
    SLACK_BOT_USER_ID: slack.botUserId,
  };
}
