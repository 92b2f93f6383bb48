/**
 * The watcher's weekly cleanup plans: for each repository with saved cleanup rules, once per week, a dry run posted
 * for people to act on. The watcher never deletes; the plan's button plans again for whoever clicks it, and that
 * plan's Request cleanup goes through approval (docs/decisions/0019-cleanup-plans.md).
 */
import { UserError } from '../../errors';
import type { Logger } from '../../logger';
import type { SavedCleanupRules } from '../../store/cleanup-rules-store';
import type { WatchStore } from '../../store/watch-store';
import type { Reply } from '../reply';

/** Where the weekly plans come from: the saved rule sets, and the plan of one (undefined when it removes nothing). */
export interface WeeklyCleanupPlans {
  list(): Promise<SavedCleanupRules[]>;
  plan(saved: SavedCleanupRules): Promise<Reply | undefined>;
}

/** What posting one weekly plan needs. */
export interface CleanupPlanWatchDeps {
  store: Pick<WatchStore, 'markSent' | 'clearSent'>;
  /** Posts to the alert channel; answers false when Slack did not take it. Absent: nothing is posted or marked. */
  post?: (reply: Reply) => Promise<boolean>;
  now: () => number;
  /** True once the pass's time ran out: a plan that failed then is tried again next pass, whatever its error. */
  outOfTime?: () => boolean;
  /** Says why a plan was not made this week (its repository is gone, say); nothing is logged without it. */
  logger?: Pick<Logger, 'info'>;
}

const weekMs = 7 * 86_400_000;
// 1970-01-05 was a Monday: weeks counted from it start on Mondays, 00:00 UTC.
const firstMondayMs = 4 * 86_400_000;

/** The notice key of `repoId`'s plan in the week holding `at` (epoch ms); weeks start on Monday, 00:00 UTC. */
export function weeklyPlanKey(repoId: string, at: number): string {
  return `cleanup-plan#${repoId}#week${Math.floor((at - firstMondayMs) / weekMs)}`;
}

/**
 * Posts `saved`'s plan unless this week's was already made. The week is marked before planning, so a plan that would
 * remove nothing, or cannot be made (a `UserError`: its repository is gone), is not read again until next week; a plan
 * that failed otherwise, or that Slack did not take, is unmarked for the next pass.
 * Answers true when a plan was posted.
 */
export async function postWeeklyCleanupPlan(
  deps: CleanupPlanWatchDeps,
  plans: Pick<WeeklyCleanupPlans, 'plan'>,
  saved: SavedCleanupRules,
): Promise<boolean> {
  if (!deps.post) return false;
  const key = weeklyPlanKey(saved.repoId, deps.now());
  if (!(await deps.store.markSent(key, { keepDays: 14 }))) return false;
  let reply: Reply | undefined;
  try {
    reply = await plans.plan(saved);
  } catch (error) {
    // A plan that answers with a UserError (the repository was deleted, the rules no longer apply) answers the same
    // next pass: the week stays marked, so it is not retried hourly nor leaves every pass incomplete.
    if (error instanceof UserError && !deps.outOfTime?.()) {
      deps.logger?.info('The watcher made no weekly cleanup plan', { repoId: saved.repoId, why: error.message });
      return false;
    }
    await deps.store.clearSent(key);
    throw error;
  }
  if (!reply) return false;
  if (await deps.post(reply)) return true;
  await deps.store.clearSent(key);
  return false;
}
