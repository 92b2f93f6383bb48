/**
 * A slash command of the Slack app that this bot is not configured to answer (a second command in the app's
 * settings, or one renamed without `SLACK_COMMAND`): it is told which command works, instead of an error.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ListenerDeps } from '../listener-deps';

/** Creates the listener of every slash command other than the configured one; it ignores the configured one. */
export function onUnknownCommand(deps: ListenerDeps) {
  const known = deps.config.slack.command;
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // The configured command has its own listener, which acks; Bolt runs every matching listener.
    if (command.command === known) return;
    deps.logger.info('A slash command this bot does not answer was sent', {
      userId: command.user_id,
      command: command.command.slice(0, 40),
    });
    await ack({ response_type: 'ephemeral', text: `This bot answers \`${known}\` only; type \`${known} help\`.` });
  };
}
