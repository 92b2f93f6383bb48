/**
 * The slash command (`/vcr` by default). Answers in the ack: help and parse errors directly, everything else with a
 * short "working…" while the job runs, or with nothing when a form was opened.
 */

import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { authorize } from '../../commands/authorize';
import { commandIds } from '../../commands/command-ids';
import { truncate } from '../../commands/format';
import { parseCommandText } from '../../commands/registry';
import type { Invocation, Reply } from '../../commands/reply';
import { runInvocation } from '../../commands/runner';
import { operationIdOf } from '../../store/operation-store';
import { decodeCommandText } from '../decode-command-text';
import { failureReply } from '../failure-reply';
import type { ListenerDeps } from '../listener-deps';
import { renderReply } from '../render';
import { noteRequest, outcomeOfFailure } from '../request-summary';
import { startInvocation } from '../start-invocation';
import { createDeadline, groupReadsWithin } from '../with-deadline';

/** Creates the slash command listener. */
export function onVcrCommand(deps: ListenerDeps) {
  return async ({ command, ack, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const deadline = createDeadline(deps.budgetMs, context);
    const logger = deps.logger.child({ surface: 'command', userId: command.user_id, channelId: command.channel_id });
    let reply: Reply | undefined;
    // Decoded once here: from now on the text is what the user typed (docs/decisions/0009).
    const typed = decodeCommandText(command.text ?? '');
    try {
      // Parsed first so admission knows the command; a parse error is still only told to someone admitted.
      let invocation: Invocation | undefined;
      let parseError: unknown;
      try {
        invocation = parseCommandText(typed, deps.config.slack.command);
      } catch (error) {
        parseError = error;
      }
      // A slash command retried by Slack is the same body with the same trigger_id: one request, one key.
      const requestKey = `slash:${command.team_id}:${command.trigger_id}`;
      const { actor, spec } = await authorize(deps, {
        userId: command.user_id,
        userTeamId: command.team_id,
        channelId: command.channel_id,
        surface: 'command',
        commandId: invocation?.command,
        // A refusal is audited once per request, however often Slack retries it (docs/decisions/0016).
        subject: { requestId: operationIdOf(requestKey) },
        lookup: groupReadsWithin(deadline),
      });
      if (!invocation || !spec) throw parseError;
      noteRequest(context, { commandId: spec.id, outcome: 'answered' });
      if (spec.id === commandIds.help) {
        reply = await runInvocation(deps.commandContext(actor, logger), invocation, { key: requestKey });
      } else {
        const outcome = await startInvocation(
          deps,
          {
            invocation,
            spec,
            actor,
            requestKey,
            triggerId: command.trigger_id,
            // A queued job answers in place of the working line the ack shows (a form opened shows none).
            target: { responseUrl: command.response_url, channelId: command.channel_id, replacesWorkingLine: true },
          },
          deadline,
        );
        if (outcome === 'queued') reply = workingReply(`${deps.config.slack.command} ${typed}`);
        noteRequest(context, { outcome });
      }
    } catch (error) {
      noteRequest(context, { outcome: outcomeOfFailure(error) });
      reply = failureReply(error, logger, { text: truncate(typed, 200) }, deps.config.slack.command);
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
