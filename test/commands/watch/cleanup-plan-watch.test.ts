import type { Reply } from '../../../src/commands/reply';
import { postWeeklyCleanupPlan, weeklyPlanKey } from '../../../src/commands/watch/cleanup-plan-watch';
import type { SavedCleanupRules } from '../../../src/store/cleanup-rules-store';
import { createMemoryWatchStore } from '../../support/memory-records';

const saved = { repoId: 'repo-1', rules: { keep: 3 } } as unknown as SavedCleanupRules;
const reply: Reply = { text: 'Weekly cleanup plan', parts: [] };
const sunday = Date.parse('2026-11-29T23:59:00.000Z');
const monday = Date.parse('2026-11-30T00:00:00.000Z');

describe('weeklyPlanKey', () => {
  it('changes on Monday at 00:00 UTC and nowhere else in a week', () => {
    // Act
    const keys = Array.from({ length: 7 * 24 }, (_, hour) => weeklyPlanKey('repo-1', monday + hour * 3_600_000));

    // Assess
    expect(weeklyPlanKey('repo-1', sunday)).not.toBe(weeklyPlanKey('repo-1', monday));
    expect(new Set(keys).size).toBe(1);
    expect(weeklyPlanKey('repo-1', monday + 7 * 86_400_000)).not.toBe(keys[0]);
  });
});

describe('postWeeklyCleanupPlan', () => {
  it('posts once a week, and again the next week', async () => {
    // Prepare
    let now = monday + 3_600_000;
    const posted: Reply[] = [];
    const deps = {
      store: createMemoryWatchStore(),
      post: async (message: Reply) => Boolean(posted.push(message)),
      now: () => now,
    };
    const plans = { plan: async () => reply };

    // Act
    const first = await postWeeklyCleanupPlan(deps, plans, saved);
    now += 2 * 86_400_000;
    const sameWeek = await postWeeklyCleanupPlan(deps, plans, saved);
    now += 7 * 86_400_000;
    const nextWeek = await postWeeklyCleanupPlan(deps, plans, saved);

    // Assess
    expect([first, sameWeek, nextWeek]).toEqual([true, false, true]);
    expect(posted).toHaveLength(2);
  });

  it('plans nothing again that week when the rules remove nothing', async () => {
    // Prepare
    let planned = 0;
    const deps = { store: createMemoryWatchStore(), post: async () => true, now: () => monday };
    const plans = {
      plan: async () => {
        planned += 1;
        return undefined;
      },
    };

    // Act
    const answers = [await postWeeklyCleanupPlan(deps, plans, saved), await postWeeklyCleanupPlan(deps, plans, saved)];

    // Assess
    expect(answers).toEqual([false, false]);
    expect(planned).toBe(1);
  });

  it('tries again on the next pass when Slack did not take the plan or planning failed', async () => {
    // Prepare
    const store = createMemoryWatchStore();
    let slackTakes = false;
    let planFails = true;
    const deps = { store, post: async () => slackTakes, now: () => monday };
    const plans = {
      plan: async () => {
        if (planFails) throw new Error('vCR answered 503');
        return reply;
      },
    };

    // Act
    const failed = await postWeeklyCleanupPlan(deps, plans, saved).catch((error: Error) => error.message);
    planFails = false;
    const refused = await postWeeklyCleanupPlan(deps, plans, saved);
    slackTakes = true;
    const taken = await postWeeklyCleanupPlan(deps, plans, saved);

    // Assess
    expect([failed, refused, taken]).toEqual(['vCR answered 503', false, true]);
  });

  it('posts and marks nothing without an alert channel', async () => {
    // Prepare
    const store = createMemoryWatchStore();

    // Act
    const answer = await postWeeklyCleanupPlan({ store, now: () => monday }, { plan: async () => reply }, saved);

    // Assess
    expect(answer).toBe(false);
    expect(await store.wasSent(weeklyPlanKey('repo-1', monday))).toBe(false);
  });
});
