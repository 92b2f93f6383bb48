/**
 * One pass of the scheduled watcher: every repository user's expiry reminders, then every repository's quota watch,
 * within a time budget, and the snapshots and progress the Home tab reads (docs/decisions/0021-scheduled-watcher.md).
 * It acts as a viewer: it only reads vCR, and its notices' buttons run ordinary commands for whoever clicks them.
 */
import pLimit from 'p-limit';
import type { Logger } from '../../logger';
import type {
  ExpiringUserRow,
  QuotaWatchRow,
  WatchPassProgress,
  WatchSnapshots,
  WatchStore,
} from '../../store/watch-store';
import type { VcrReads } from '../../vcr/client';
import { paginate } from '../../vcr/paginate';
import type { Paging, Repository, RepoUser } from '../../vcr/types';
import type { Actor } from '../command';
import type { Reply } from '../reply';
import { postWeeklyCleanupPlan, type WeeklyCleanupPlans } from './cleanup-plan-watch';
import { watchUserExpiry } from './expiry-watch';
import type { NoticePoster } from './notice-poster';
import { watchRepositoryQuota } from './quota-watch';

/** Who the watcher is to the bot: a system actor with the viewer role. */
export const watcherActor: Actor = { userId: 'watcher', role: 'viewer' };

/** What a pass needs. */
export interface WatchPassDeps {
  vcr: VcrReads;
  store: WatchStore;
  poster: NoticePoster;
  /** Where notices go; without one the pass records its state and snapshots and posts nothing. */
  alertChannel?: string;
  /** Ascending usage percentages that raise a quota alert. */
  thresholds: readonly number[];
  logger: Logger;
  now: () => number;
  /** Repositories or users watched at once; 8 by default. */
  concurrency?: number;
  /** The weekly cleanup plans of repositories with saved rules; none when absent. */
  cleanupPlans?: WeeklyCleanupPlans;
}

/** What a pass did: its progress as recorded, and how many notices it posted. */
export interface WatchPassResult extends WatchPassProgress {
  alertsPosted: number;
  remindersPosted: number;
  cleanupPlansPosted: number;
}

// vCR pages of a hundred, as `repos` and `users` read them (docs/vcr-api.md#lists-and-paging).
const pageSize = 100;
const outOfTimeSignal = Symbol('out of time');

/**
 * Runs one pass that starts nothing new once `deadlineAt` (epoch ms) has passed; then, or when a list cannot be read,
 * it records how far it got and writes snapshots marked incomplete. Resolves with the progress; rejects only when the
 * state table cannot be written.
 */
export async function runWatchPass(deps: WatchPassDeps, options: { deadlineAt: number }): Promise<WatchPassResult> {
  const { logger, now } = deps;
  const startedAt = now();
  const outOfTime = () => now() >= options.deadlineAt;
  const limit = pLimit(deps.concurrency ?? 8);
  const reasons: string[] = [];
  let alertsPosted = 0;
  let remindersPosted = 0;
  let cleanupPlansPosted = 0;

  const channel = deps.alertChannel;
  if (!channel)
    logger.info('The watcher has no alert channel (VCR_ALERT_CHANNEL, VCR_AUDIT_CHANNEL): it posts nothing');
  const post = channel ? (reply: Reply) => deps.poster.post(channel, reply) : undefined;
  const base = { store: deps.store, post, now };

  // Each item is watched unless time ran out before its turn; a failed one is logged and the others go on.
  const watchAll = async <T, R>(kind: string, items: readonly T[], watch: (item: T) => Promise<R>) => {
    const results = await Promise.all(
      items.map((item) =>
        limit(async (): Promise<R | undefined> => {
          if (outOfTime()) return undefined;
          try {
            return await watch(item);
          } catch (error) {
            logger.warn(`The watcher could not watch one of the ${kind}`, { error: asError(error) });
            return undefined;
          }
        }),
      ),
    );
    const done = results.filter((result): result is Awaited<R> => result !== undefined);
    if (done.length < items.length) reasons.push(outOfTime() ? 'its time ran out' : `some ${kind} failed`);
    return done;
  };

  const users = await listAll('users', (page, size) => deps.vcr.users.list({ name: '', page, size }));
  const userRows: ExpiringUserRow[] = [];
  const seenUsers = new Set<string>();
  const watchedUsers = await watchAll('repository users', users.items, async (user: RepoUser) => {
    const result = await watchUserExpiry(base, user);
    seenUsers.add(user.uuid);
    if (result.row) userRows.push(result.row);
    if (result.reminded !== undefined) remindersPosted += 1;
    return true;
  });

  const repositories = await listAll('repositories', (page, size) =>
    deps.vcr.repositories.list({ name: '', page, size }),
  );
  // Items start in list order, so a pass cut short covered about a prefix: the next one starts where it stopped.
  const from = resumeFrom(await deps.store.getPass(), repositories.items.length);
  const inTurn = [...repositories.items.slice(from), ...repositories.items.slice(0, from)];
  const quotaRows: QuotaWatchRow[] = [];
  const seenRepositories = new Set<string>();
  const watchedRepositories = await watchAll('repositories', inTurn, async (repo: Repository) => {
    const result = await watchRepositoryQuota({ ...base, thresholds: deps.thresholds }, repo);
    seenRepositories.add(repo.uuid);
    if (result.skipped) logger.info('The watcher skipped a repository', { repoId: repo.uuid, why: result.skipped });
    if (result.row) quotaRows.push(result.row);
    if (result.alerted) alertsPosted += 1;
    return true;
  });

  // Weekly plans last: they read every artifact of a repository, and alerts and reminders matter more.
  const plans = deps.cleanupPlans;
  const saved = plans ? await listSaved(plans) : { items: [], complete: true };
  const plannedRepositories = plans
    ? await watchAll('cleanup plans', saved.items, async (rules) => {
        if (await postWeeklyCleanupPlan({ ...base, logger, outOfTime }, plans, rules)) cleanupPlansPosted += 1;
        return true;
      })
    : [];

  const complete =
    saved.complete &&
    plannedRepositories.length === saved.items.length &&
    users.complete &&
    repositories.complete &&
    watchedUsers.length === users.items.length &&
    watchedRepositories.length === repositories.items.length;
  // A pass cut short keeps the last pass's rows of what it did not see, so a run of short passes (each covering
  // another part in turn) shows every repository rather than only the last part.
  const withUnseen = async <K extends keyof WatchSnapshots>(
    kind: K,
    rows: WatchSnapshots[K][],
    seen: ReadonlySet<string>,
    idOf: (row: WatchSnapshots[K]) => string,
  ): Promise<WatchSnapshots[K][]> => {
    if (complete) return rows;
    const last = await deps.store.getSnapshot(kind).catch((error: unknown) => {
      logger.warn('The watcher could not read its last snapshot to keep what this pass did not see', {
        kind,
        error: asError(error),
      });
      return undefined;
    });
    return [...rows, ...(last?.rows ?? []).filter((row) => !seen.has(idOf(row)))];
  };
  const at = now();
  await deps.store.putSnapshot('quota', {
    at,
    complete,
    rows: (await withUnseen('quota', quotaRows, seenRepositories, (row) => row.repoId)).sort(
      (a, b) => b.percent - a.percent,
    ),
  });
  await deps.store.putSnapshot('expiringUsers', {
    at,
    complete,
    rows: (await withUnseen('expiringUsers', userRows, seenUsers, (row) => row.repoUserId)).sort(
      (a, b) => a.daysLeft - b.daysLeft,
    ),
  });
  const progress: WatchPassProgress = {
    startedAt,
    endedAt: now(),
    repositoriesSeen: watchedRepositories.length,
    repositoriesTotal: repositories.total,
    ...(from > 0 ? { repositoriesFrom: from } : {}),
    usersSeen: watchedUsers.length,
    usersTotal: users.total,
    ...(complete ? {} : { stoppedEarly: [...new Set(reasons)].join('; ') || 'it did not finish' }),
  };
  await deps.store.putPass(progress);
  const summary = { ...progress, alertsPosted, remindersPosted, cleanupPlansPosted };
  if (complete) logger.info('The watcher finished a pass', summary);
  else logger.warn('The watcher stopped a pass early', summary);
  return summary;

  // The saved cleanup rules, or none (and an incomplete pass) when they cannot be read.
  async function listSaved(source: WeeklyCleanupPlans) {
    try {
      return { items: await source.list(), complete: true };
    } catch (error) {
      logger.warn('The watcher could not list the saved cleanup rules', { error: asError(error) });
      reasons.push('the saved cleanup rules could not be listed');
      return { items: [], complete: false };
    }
  }

  // Every page of a list while time is left; `total` is what vCR said on the first page.
  async function listAll<T>(
    kind: string,
    fetchPage: (page: number, size: number) => Promise<Paging<T>>,
  ): Promise<{ items: T[]; total: number; complete: boolean }> {
    const items: T[] = [];
    let total = 0;
    const timed = async (page: number, size: number) => {
      if (outOfTime()) throw outOfTimeSignal;
      const answer = await fetchPage(page, size);
      if (page === 1) total = Number(answer.totalItem) || 0;
      return answer;
    };
    try {
      for await (const item of paginate(timed, { pageSize })) items.push(item);
      return { items, total: Math.max(total, items.length), complete: true };
    } catch (error) {
      if (error === outOfTimeSignal) reasons.push('its time ran out');
      else {
        logger.warn(`The watcher could not list the ${kind}`, { error: asError(error) });
        reasons.push(`the ${kind} could not be listed`);
      }
      return { items, total: Math.max(total, items.length), complete: false };
    }
  }
}

// The offset after the repositories the last pass covered, when it stopped early; 0 after a complete pass.
function resumeFrom(last: WatchPassProgress | undefined, count: number): number {
  if (!last?.stoppedEarly || count === 0) return 0;
  return ((last.repositoriesFrom ?? 0) + last.repositoriesSeen) % count;
}

function asError(error: unknown): Error | string {
  return error instanceof Error ? error : String(error);
}
