import fc from 'fast-check';
import { planCleanup, protectMatcher } from '../../../src/commands/cleanup/plan-cleanup';
import type { Artifact } from '../../../src/vcr/types';

const now = Date.UTC(2026, 5, 1);
const daysAgo = (days: number) => new Date(now - days * 86_400_000).toISOString();

/** An artifact as vCR lists it; `immutable` marks its first tag. */
function artifact(
  digest: string,
  tags: string[],
  pushedDaysAgo: number,
  pulledDaysAgo: number | null,
  options: { immutable?: boolean; size?: number } = {},
): Artifact {
  const pushTime = daysAgo(pushedDaysAgo);
  const pullTime = pulledDaysAgo === null ? null : daysAgo(pulledDaysAgo);
  return {
    digest: `sha256:${digest.padEnd(64, '0')}`,
    type: 'IMAGE',
    size: options.size ?? 1000,
    pushTime,
    pullTime,
    tags:
      tags.length === 0
        ? null
        : tags.map((name, i) => ({
            id: `${digest}-${i}`,
            name,
            pushTime,
            pullTime,
            artifactId: digest,
            repositoryId: 'r',
            immutable: options.immutable === true && i === 0,
          })),
  };
}

const full = (digest: string) => `sha256:${digest.padEnd(64, '0')}`;

// The seeded repository of the hand-computed plan: two images, every rule and every way of being kept.
const api = [
  artifact('a1', ['latest'], 1, 1),
  artifact('a2', ['v1.2'], 10, null),
  artifact('a7', [], 15, null),
  artifact('a3', ['build-7'], 20, 2),
  artifact('a4', [], 31, null, { size: 300 }),
  artifact('a5', ['build-5', 'prod-5'], 40, null),
  artifact('a6', ['build-3'], 50, 45, { size: 500 }),
];
const worker = [
  artifact('w2', [], 3, null),
  artifact('w4', [], 60, null),
  artifact('w5', ['nightly'], 70, null),
  artifact('w3', ['build-1', 'latest'], 90, null),
  artifact('w1', ['build-9'], 100, null, { immutable: true }),
  artifact('w6', ['build-0', 'rc-0'], 120, 95, { size: 2000 }),
];
const seeded = [
  { image: 'team/api', artifacts: api },
  { image: 'team/worker', artifacts: worker },
];

describe('planCleanup', () => {
  it('matches the hand-computed plan when keep, untagged-older, unpulled and protected patterns combine', () => {
    // Prepare
    const rules = { keep: 3, untaggedOlderDays: 14, unpulledDays: 30, protect: ['latest', 'prod-*'] };

    // Act
    const plan = planCleanup(seeded, rules, { now });

    // Assess
    // api, newest first: a1 a2 a7 | a3 a4 a5 a6. a7 (untagged, 15 days) is kept as one of the newest 3; a5 (not
    // pulled for 40 days) carries `prod-5`; a3 was pulled 2 days ago. worker: w2 w4 w5 | w3 w1 w6. w4 and w5 are
    // kept as newest; w3 carries `latest` beside `build-1`, w1 an immutable tag.
    expect(plan).toEqual({
      byImage: [
        {
          image: 'team/api',
          artifactCount: 7,
          protectedCount: 1,
          keptNewestCount: 1,
          candidates: [
            {
              digest: full('a6'),
              tags: ['build-3'],
              size: 500,
              pushTime: daysAgo(50),
              pullTime: daysAgo(45),
              reasons: ['unpulled'],
            },
            {
              digest: full('a4'),
              tags: [],
              size: 300,
              pushTime: daysAgo(31),
              pullTime: null,
              reasons: ['untagged-older', 'unpulled'],
            },
          ],
        },
        {
          image: 'team/worker',
          artifactCount: 6,
          protectedCount: 2,
          keptNewestCount: 2,
          candidates: [
            {
              digest: full('w6'),
              tags: ['build-0', 'rc-0'],
              size: 2000,
              pushTime: daysAgo(120),
              pullTime: daysAgo(95),
              reasons: ['unpulled'],
            },
          ],
        },
      ],
      candidateCount: 3,
      bytesUpperBound: 2800,
      leftOut: 0,
      protectedCount: 3,
      keptNewestCount: 3,
      artifactCount: 13,
    });
  });

  it('removes every artifact past the newest N but the protected ones when keep is the only rule', () => {
    // Act
    const plan = planCleanup([{ image: 'team/api', artifacts: api }], { keep: 2, protect: ['latest'] }, { now });

    // Assess
    const candidates = plan.byImage[0]?.candidates ?? [];
    expect(candidates.map((candidate) => candidate.digest)).toEqual(['a6', 'a5', 'a4', 'a3', 'a7'].map(full));
    expect(candidates.every((candidate) => candidate.reasons.join() === 'beyond-keep')).toBe(true);
    expect(plan.keptNewestCount).toBe(2);
  });

  it('counts a never-pulled artifact as not pulled since its push when unpulled is the rule', () => {
    // Prepare
    const artifacts = [artifact('n1', ['old'], 40, null), artifact('n2', ['new'], 10, null)];

    // Act
    const plan = planCleanup([{ image: 'i', artifacts }], { unpulledDays: 30, protect: [] }, { now });

    // Assess
    expect(plan.byImage[0]?.candidates.map((candidate) => candidate.tags)).toEqual([['old']]);
  });

  it('selects nothing by age when a push time cannot be read', () => {
    // Prepare
    const broken = { ...artifact('b1', [], 400, null), pushTime: 'yesterday-ish' };

    // Act
    const plan = planCleanup([{ image: 'i', artifacts: [broken] }], { untaggedOlderDays: 1, protect: [] }, { now });

    // Assess
    expect(plan.candidateCount).toBe(0);
  });

  it('holds the first candidates only and counts the rest when the plan is capped', () => {
    // Act
    const plan = planCleanup(seeded, { keep: 1, protect: [] }, { now, maxCandidates: 4 });

    // Assess
    expect(plan.candidateCount).toBe(4);
    // 6 past the newest of team/api, 4 of team/worker (its immutable w1 is kept): 10, of which 4 fit.
    expect(plan.leftOut).toBe(6);
    expect(plan.byImage.flatMap((entry) => entry.candidates)).toHaveLength(4);
  });
});

describe('protectMatcher', () => {
  it.each([
    ['latest', true],
    ['latest-1', false],
    ['v1.2.3', true],
    ['v', true],
    ['dev', false],
    ['prod-eu', true],
    ['preprod-eu', false],
    ['axbyc', true],
    ['abc', true],
    ['acb', false],
  ])('matches %s whole with * standing for any characters: %s', (tag, expected) => {
    // Prepare
    const matches = protectMatcher(['latest', 'v*', 'prod-*', 'a*b*c']);

    // Act
    const matched = matches(tag);

    // Assess
    expect(matched).toBe(expected);
  });

  it('treats regular expression characters as plain text when a pattern holds them', () => {
    // Prepare
    const matches = protectMatcher(['v1.2']);

    // Act
    const results = [matches('v1.2'), matches('v1x2')];

    // Assess
    expect(results).toEqual([true, false]);
  });
});

describe('planCleanup properties', () => {
  const tagNames = fc.constantFrom('latest', 'v1', 'v2', 'prod-a', 'build-1', 'build-2', 'dev', 'rc');
  const artifacts = fc
    .array(
      fc.record({
        tags: fc.uniqueArray(tagNames, { maxLength: 3 }),
        pushed: fc.integer({ min: 0, max: 400 }),
        pulled: fc.option(fc.integer({ min: 0, max: 400 })),
        immutable: fc.boolean(),
      }),
      { maxLength: 12 },
    )
    .map((list) =>
      list.map((entry, i) => artifact(`d${i}`, entry.tags, entry.pushed, entry.pulled, { immutable: entry.immutable })),
    );
  const rules = fc.record(
    {
      keep: fc.integer({ min: 1, max: 5 }),
      untaggedOlderDays: fc.integer({ min: 1, max: 200 }),
      unpulledDays: fc.integer({ min: 1, max: 200 }),
      protect: fc.uniqueArray(fc.constantFrom('latest', 'v*', 'prod-*', 'build-*'), { maxLength: 3 }),
    },
    { requiredKeys: ['protect'] },
  );

  it('never plans a protected, immutable or newest-kept artifact, and lists every tag of each candidate', () => {
    fc.assert(
      fc.property(artifacts, rules, (list, ruleSet) => {
        const plan = planCleanup([{ image: 'i', artifacts: list }], ruleSet, { now });
        const candidates = plan.byImage.flatMap((entry) => entry.candidates);
        const isProtected = protectMatcher(ruleSet.protect);
        // Newest push first, ties by digest: the first `keep` are the newest N.
        const newest = [...list]
          .sort((a, b) => Date.parse(b.pushTime) - Date.parse(a.pushTime) || a.digest.localeCompare(b.digest))
          .slice(0, ruleSet.keep ?? 0)
          .map((entry) => entry.digest);
        for (const candidate of candidates) {
          const source = list.find((entry) => entry.digest === candidate.digest);
          expect(source).toBeDefined();
          const tags = (source?.tags ?? []).map((tag) => tag.name);
          expect(candidate.tags).toEqual(tags);
          expect(tags.some(isProtected)).toBe(false);
          expect(source?.tags?.some((tag) => tag.immutable)).not.toBe(true);
          expect(newest).not.toContain(candidate.digest);
        }
        expect(new Set(candidates.map((candidate) => candidate.digest)).size).toBe(candidates.length);
      }),
    );
  });
});
