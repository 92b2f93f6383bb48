/**
 * The audit trail's Slack side: writes each outcome's record to the table and posts its one line in the audit
 * channel, once per record (docs/decisions/0016-audit-and-freeze.md). A channel setting that is wrong (the bot not
 * invited, the channel gone or archived) is logged as an error once per container with a ref, then only at debug
 * level with the same ref, since every change would log it again; each requester is still told, with that ref and
 * the fix.
 */
import type { AuditSink } from '../commands/audit/audit-sink';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { channelLink, type RichText, rich, toPlainText, withoutFinalStop } from '../rich-text';
import type { AuditStore } from '../store/audit-store';
import type { Delivery } from './delivery';
import { newErrorRef } from './failure-reply';
import { renderNotification } from './render';
import { explainSlackFailure, readSlackFailure, type SlackFailureContext } from './slack-api-errors';

/** What the audit trail needs. */
export interface AuditTrailDeps {
  config: Pick<Config, 'auditChannel'>;
  store: Pick<AuditStore, 'put'>;
  delivery: Pick<Delivery, 'post'>;
  logger: Logger;
  /** Where the bot's Slack settings live, for the words of a Slack failure. */
  slackContext: SlackFailureContext;
}

/** Creates the audit sink every outcome goes through; `record` never rejects. */
export function createAuditTrail(deps: AuditTrailDeps): AuditSink {
  const reported = new Map<string, string>();
  const { logger } = deps;

  const post = async (line: RichText, done: boolean): Promise<RichText | undefined> => {
    const channelId = deps.config.auditChannel;
    if (!channelId) return undefined;
    try {
      await deps.delivery.post(channelId, renderNotification(line));
      return undefined;
    } catch (error) {
      const failure = readSlackFailure(error);
      const meaning = failure
        ? explainSlackFailure(failure, { ...deps.slackContext, channelId, channelSetting: 'VCR_AUDIT_CHANNEL' })
        : undefined;
      const key = `${channelId}:${failure?.code ?? 'other'}`;
      const known = meaning?.misconfigured ? reported.get(key) : undefined;
      const ref = known ?? newErrorRef();
      const fields = { ref, channelId, ...(meaning ? { fix: toPlainText(meaning.fix) } : {}), error: asError(error) };
      if (known) logger.debug('Could not post a change notification, again', fields);
      else if (meaning && !meaning.misconfigured) logger.warn('Could not post a change notification', fields);
      else logger.error('Could not post a change notification', fields);
      if (meaning?.misconfigured) reported.set(key, ref);
      const why = meaning ? rich`${meaning.problem} ${withoutFinalStop(meaning.fix)}` : 'Something went wrong';
      const lead = done ? 'The change was made' : 'This was recorded';
      return rich`${lead}, but its notice could not be posted in ${channelLink(channelId)}: ${why} (ref \`${ref}\`).`;
    }
  };

  return {
    async record(record, line, options = {}) {
      const work = async (): Promise<RichText | undefined> => {
        try {
          // A record already there is a retry of this very outcome: its line was posted then.
          if (!(await deps.store.put({ ...record, line: toPlainText(line) }))) return undefined;
        } catch (error) {
          // The outcome stands; the line below still tells the channel, and the log keeps the record's facts.
          logger.error('Could not write an audit record', {
            ref: newErrorRef(),
            auditId: record.id,
            outcome: record.outcome,
            command: record.command,
            error: asError(error),
          });
        }
        return post(line, record.outcome === 'done');
      };
      try {
        return await (options.bound ? options.bound(work()) : work());
      } catch (error) {
        logger.warn('Auditing an outcome ran out of time', { auditId: record.id, error: asError(error) });
        return undefined;
      }
    },
  };
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
