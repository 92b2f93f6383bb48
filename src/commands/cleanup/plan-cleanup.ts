/**
 * The cleanup planner: a pure function from the artifacts of a repository's images and a rule set to the artifacts
 * the rules would remove (docs/decisions/0019-cleanup-plans.md). It reads nothing and deletes nothing.
 */
import type { CleanupRules } from '../../store/cleanup-rules-store';
import type { Artifact } from '../../vcr/types';
import { tagNamesOf } from '../image/artifact-fields';

/** Why a rule selected an artifact. */
export type CleanupReason = 'beyond-keep' | 'untagged-older' | 'unpulled';

/** An artifact the plan would delete, with every tag it carries (deleting a digest removes them all). */
export interface CleanupCandidate {
  digest: string;
  tags: string[];
  /** Bytes. */
  size: number;
  pushTime: string;
  pullTime: string | null;
  reasons: CleanupReason[];
}

/** The plan of one image: its candidates (oldest push first) and what the rules kept. */
export interface ImageCleanupPlan {
  image: string;
  candidates: CleanupCandidate[];
  /** Artifacts of the image read. */
  artifactCount: number;
  /** Artifacts a removal rule selected but a protected or immutable tag kept. */
  protectedCount: number;
  /** Artifacts a removal rule selected but `keep` kept as one of the newest. */
  keptNewestCount: number;
}

/** What a rule set would remove from a repository. */
export interface CleanupPlan {
  /** Images with at least one candidate, in the order given. */
  byImage: ImageCleanupPlan[];
  /** How many candidates, over every image. */
  candidateCount: number;
  /** Bytes the candidates hold: an upper bound on what deleting them frees, as layers may be shared. */
  bytesUpperBound: number;
  /** Candidates left out by `maxCandidates`; a later run plans them. */
  leftOut: number;
  protectedCount: number;
  keptNewestCount: number;
  artifactCount: number;
}

/** The artifacts of one image, as read from vCR. */
export interface ImageArtifacts {
  image: string;
  artifacts: Artifact[];
}

/** A rule set with its protect patterns resolved. */
export interface ResolvedCleanupRules extends CleanupRules {
  protect: string[];
}

/** Options of `planCleanup`. */
export interface PlanCleanupOptions {
  /** The plan's clock, epoch ms: every age is measured from it. */
  now: number;
  /** The most candidates the plan holds; the rest are counted in `leftOut`. */
  maxCandidates?: number;
  /** The most characters of digests and tags the plan holds (it is stored), the rest counted in `leftOut`. */
  maxChars?: number;
}

const dayMs = 86_400_000;

/**
 * Plans what `rules` would remove from `images`. An artifact is a candidate when any given removal rule selects it
 * (`untaggedOlderDays`, `unpulledDays`; `keep` alone selects every artifact past the newest N), unless keep wins: it
 * is one of the newest `keep` of its image, or one of its tags is protected or immutable.
 */
export function planCleanup(
  images: readonly ImageArtifacts[],
  rules: ResolvedCleanupRules,
  options: PlanCleanupOptions,
): CleanupPlan {
  const isProtected = protectMatcher(rules.protect);
  const onlyKeep = rules.untaggedOlderDays === undefined && rules.unpulledDays === undefined;
  const byImage: ImageCleanupPlan[] = [];
  const totals = { candidateCount: 0, bytesUpperBound: 0, leftOut: 0, protectedCount: 0, keptNewestCount: 0 };
  let artifactCount = 0;
  for (const { image, artifacts } of images) {
    artifactCount += artifacts.length;
    const newest = newestFirst(artifacts);
    const plan: ImageCleanupPlan = {
      image,
      candidates: [],
      artifactCount: artifacts.length,
      protectedCount: 0,
      keptNewestCount: 0,
    };
    newest.forEach((artifact, rank) => {
      const beyondKeep = rules.keep !== undefined && rank >= rules.keep;
      const reasons = reasonsOf(artifact, rules, options.now, onlyKeep ? beyondKeep : false);
      // With `keep` alone every artifact is selected, so the newest N count as kept by it.
      if (reasons.length === 0 && !onlyKeep) return;
      if (rules.keep !== undefined && !beyondKeep) {
        plan.keptNewestCount += 1;
        return;
      }
      const tags = tagNamesOf(artifact);
      if ((artifact.tags ?? []).some((tag) => tag?.immutable === true) || tags.some(isProtected)) {
        plan.protectedCount += 1;
        return;
      }
      plan.candidates.push({
        digest: artifact.digest,
        tags,
        size: sizeOf(artifact),
        pushTime: artifact.pushTime,
        pullTime: artifact.pullTime ?? null,
        reasons,
      });
    });
    plan.candidates.reverse();
    totals.protectedCount += plan.protectedCount;
    totals.keptNewestCount += plan.keptNewestCount;
    if (plan.candidates.length > 0) byImage.push(plan);
  }
  const max = options.maxCandidates ?? Number.POSITIVE_INFINITY;
  let chars = options.maxChars ?? Number.POSITIVE_INFINITY;
  for (const plan of byImage) {
    const fits: CleanupCandidate[] = [];
    for (const candidate of plan.candidates) {
      // Once one candidate does not fit, none after it is taken, so the plan is always the oldest ones first.
      chars -= candidate.digest.length + candidate.tags.reduce((sum, tag) => sum + tag.length + 3, 0);
      if (totals.candidateCount >= max || chars < 0) break;
      fits.push(candidate);
      totals.candidateCount += 1;
    }
    totals.leftOut += plan.candidates.length - fits.length;
    plan.candidates = fits;
    totals.bytesUpperBound += fits.reduce((sum, candidate) => sum + candidate.size, 0);
  }
  return { byImage: byImage.filter((plan) => plan.candidates.length > 0), ...totals, artifactCount };
}

/**
 * Returns a test of tag names against `patterns`: each is a whole tag name, where `*` stands for any run of
 * characters (`v*`, `prod-*`); nothing else is special.
 */
export function protectMatcher(patterns: readonly string[]): (tag: string) => boolean {
  const matchers = patterns.map((pattern) => {
    const parts = pattern.split('*');
    if (parts.length === 1) return (tag: string) => tag === pattern;
    return (tag: string) => globMatches(tag, parts);
  });
  return (tag) => matchers.some((matches) => matches(tag));
}

/** True when `tag` is `parts` joined by any runs of characters (a glob split on `*`), matched whole. */
function globMatches(tag: string, parts: readonly string[]): boolean {
  const first = parts[0] ?? '';
  const last = parts.at(-1) ?? '';
  if (tag.length < first.length + last.length || !tag.startsWith(first) || !tag.endsWith(last)) return false;
  let at = first.length;
  const end = tag.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = tag.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

function reasonsOf(artifact: Artifact, rules: CleanupRules, now: number, beyondKeep: boolean): CleanupReason[] {
  const reasons: CleanupReason[] = [];
  if (beyondKeep) reasons.push('beyond-keep');
  const pushed = Date.parse(artifact.pushTime);
  if (
    rules.untaggedOlderDays !== undefined &&
    tagNamesOf(artifact).length === 0 &&
    olderThan(pushed, rules.untaggedOlderDays, now)
  ) {
    reasons.push('untagged-older');
  }
  // Never pulled counts as not pulled since its push.
  const pulled = artifact.pullTime ? Date.parse(artifact.pullTime) : pushed;
  if (rules.unpulledDays !== undefined && olderThan(pulled, rules.unpulledDays, now)) reasons.push('unpulled');
  return reasons;
}

// A time that cannot be read is never old: an unreadable date must not make an artifact a candidate.
function olderThan(time: number, days: number, now: number): boolean {
  return Number.isFinite(time) && now - time > days * dayMs;
}

/** Newest push first; an artifact whose push time cannot be read counts as newest, so `keep` keeps it. */
function newestFirst(artifacts: readonly Artifact[]): Artifact[] {
  const timeOf = (artifact: Artifact) => {
    const time = Date.parse(artifact.pushTime);
    return Number.isFinite(time) ? time : Number.POSITIVE_INFINITY;
  };
  return [...artifacts].sort((a, b) => timeOf(b) - timeOf(a) || a.digest.localeCompare(b.digest));
}

function sizeOf(artifact: Artifact): number {
  return typeof artifact.size === 'number' && Number.isFinite(artifact.size) && artifact.size > 0 ? artifact.size : 0;
}
