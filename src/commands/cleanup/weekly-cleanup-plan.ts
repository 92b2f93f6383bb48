/**
 * The watcher's weekly cleanup plan of one repository with saved rules: a dry run, posted for people to act on. The
 * watcher never deletes: its button plans again for whoever clicks it, and that fresh plan's Request cleanup goes
 * through approval like any other (docs/decisions/0019-cleanup-plans.md).
 */
import type { SavedCleanupRules } from '../../store/cleanup-rules-store';
import type { ReadContext } from '../command';
import { commandIds } from '../command-ids';
import type { Reply } from '../reply';
import { plan } from './cleanup';

/**
 * Returns the weekly plan of `saved`'s repository as a reply to post, with a button that plans it again for the
 * clicker (whose preview carries Request cleanup); undefined when the rules would remove nothing.
 */
export async function weeklyCleanupPlan(ctx: ReadContext, saved: SavedCleanupRules): Promise<Reply | undefined> {
  const planned = await plan(ctx, { repo: saved.repoId, ...saved.rules });
  if (!('pin' in planned)) return undefined;
  const text = `Weekly cleanup plan: ${planned.summary}. Nothing is deleted unless someone requests it and an approver agrees.`;
  return {
    text,
    parts: [
      ...planned.preview.parts,
      {
        type: 'actions',
        actions: [
          {
            label: 'Review and request cleanup',
            style: 'primary',
            invocation: { command: commandIds.cleanup, args: planned.args },
          },
        ],
      },
    ],
    visibility: 'in_channel',
  };
}
