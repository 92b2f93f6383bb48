/**
 * The slash command (`/vcr` by default). Answers in the ack: help and parse errors directly, everything else with a
 * short "working…" while the job runs, or with nothing when a form was opened.
 */
import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { truncate } from '../../commands/format';
import { parseCommandText } from '../../commands/registry';
import type { Reply } from '../../commands/reply';
import { runInvocation } from '../../commands/run-invocation';
import { admitActor } from '../admit-actor';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { renderReply } from '../render';
import { startInvocation } from '../start-invocation';
import { createDeadline } from '../with-deadline';

/** Creates the slash command listener. */
export function onVcrCommand(deps: ListenerDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const deadline = createDeadline(deps.budgetMs, context);
    const logger = deps.logger.child({ surface: 'command', userId: command.user_id, channelId: command.channel_id });
    let reply: Reply | undefined;
    try {
      const actor = await admitActor(
        deps,
        {
          teamId: command.team_id,
          userId: command.user_id,
          channelId: command.channel_id,
          checkChannel: true,
        },
        deadline,
      );
      const invocation = parseCommandText(command.text ?? '', deps.config.slack.command);
      if (invocation.command === 'help') {
        reply = await runInvocation(deps.commandContext(actor, logger), invocation);
      } else {
        const outcome = await startInvocation(
          deps,
          {
            invocation,
            actor,
            teamId: command.team_id,
            triggerId: command.trigger_id,
            target: { responseUrl: command.response_url, channelId: command.channel_id },
          },
          deadline,
        );
        if (outcome === 'queued') reply = workingReply(`${deps.config.slack.command} ${command.text ?? ''}`);
      }
    } catch (error) {
      reply = failureReply(error, logger, { text: truncate(command.text ?? '', 200) }, deps.config.slack.command);
    }
    // One ack, always: an empty one after a form opened, the answer otherwise.
    await ack(reply ? ackMessage(reply) : undefined);
  };
}

function workingReply(typed: string): Reply {
  const text = `Working on \`${truncate(typed.trim().replace(/`/g, "'"), 200)}\`…`;
  return { text, parts: [{ type: 'context', text }] };
}

function ackMessage(reply: Reply): RespondArguments {
  return { response_type: 'ephemeral', ...renderReply(reply) };
}
