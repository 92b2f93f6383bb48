/** A repository for cleanup tests, added to the emulator's state with ages relative to now. */
import { defaultRegistryUrl } from '../../local/emulator/defaults';
import type { StoredArtifact } from '../../local/emulator/emulator-state';
import { seededDigest, seededUuid } from '../../local/emulator/seed';
import type { VcrEmulator } from '../../local/emulator/vcr-emulator';

const dayMs = 86_400_000;

/** One seeded artifact: its label (its digest derives from it), tags, age in days, last pull in days (or never). */
type Seed = [label: string, tags: string[], pushedDaysAgo: number, pulledDaysAgo: number | null, extra?: Extra];
interface Extra {
  size?: number;
  immutable?: boolean;
}

// The repository of the hand-computed plan (test/commands/cleanup/plan-cleanup.test.ts has the same layout):
// team/api newest first a1 a2 a7 | a3 a4 a5 a6, team/worker w2 w4 w5 | w3 w1 w6. The plan is a6 and a4 of team/api
// and w6 of team/worker; a5 carries `prod-5`, w3 carries `latest` beside `build-1`, w1 an immutable tag.
const layout: Record<string, Seed[]> = {
  'team/api': [
    ['a1', ['latest'], 1, 1],
    ['a2', ['v1.2'], 10, null],
    ['a7', [], 15, null],
    ['a3', ['build-7'], 20, 2],
    ['a4', [], 31, null, { size: 300_000_000 }],
    ['a5', ['build-5', 'prod-5'], 40, null],
    ['a6', ['build-3'], 50, 45, { size: 500_000_000 }],
  ],
  'team/worker': [
    ['w2', [], 3, null],
    ['w4', [], 60, null],
    ['w5', ['nightly'], 70, null],
    ['w3', ['build-1', 'latest'], 90, null],
    ['w1', ['build-9'], 100, null, { immutable: true }],
    ['w6', ['build-0', 'rc-0'], 120, 95, { size: 2_000_000_000 }],
  ],
};
/** The labels of the plan the rules `--keep 3 --untagged-older 14 --unpulled 30 --protect latest,prod-*` make. */
export const plannedLabels = ['a6', 'a4', 'w6'];

let seeded = 0;

/** Adds an empty private repository `name` of 50 GB created at `createdAt` (ISO), and returns its id. */
export function addCleanupRepository(emulator: VcrEmulator, name: string, createdAt: string): string {
  const uuid = `repo-${seededUuid(`repository/${name}`)}`;
  emulator.state.repositories.push({
    uuid,
    name,
    isPublic: false,
    quotaLimit: 50,
    registryUrl: defaultRegistryUrl,
    createdAt,
  });
  return uuid;
}

/** Adds a fresh repository with the layout above to the emulator, and returns its name and the digest of a label. */
export function seedCleanupRepository(emulator: VcrEmulator): { name: string; digest: (label: string) => string } {
  seeded += 1;
  const name = `cleanup-demo-${seeded}`;
  const { state } = emulator;
  const now = Date.now();
  const iso = (days: number) => new Date(now - days * dayMs).toISOString();
  const uuid = addCleanupRepository(emulator, name, iso(400));
  let last = 90_000 + seeded * 100;
  const nextId = () => {
    last += 1;
    return last;
  };
  for (const [image, artifacts] of Object.entries(layout)) {
    state.images.push({ id: nextId(), repoId: uuid, name: image, pullCount: 3, updateTime: iso(1) });
    for (const [label, tags, pushed, pulled, extra = {}] of artifacts) {
      const artifact: StoredArtifact = {
        id: nextId(),
        repoId: uuid,
        imageName: image,
        digest: seededDigest(`${name}/${label}`),
        type: 'IMAGE',
        size: extra.size ?? 1_000_000,
        pushTime: iso(pushed),
        pullTime: pulled === null ? null : iso(pulled),
        tags: tags.map((tag, i) => ({
          id: nextId(),
          name: tag,
          pushTime: iso(pushed),
          pullTime: pulled === null ? null : iso(pulled),
          immutable: extra.immutable === true && i === 0,
        })),
      };
      state.artifacts.push(artifact);
    }
  }
  return { name, digest: (label) => seededDigest(`${name}/${label}`) };
}
