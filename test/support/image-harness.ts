/** Reads of the emulator's artifacts that the image command tests share. */
import type { StoredArtifact } from '../../local/emulator/emulator-state';
import type { CommandHarness } from './command-context';

/** Returns the stored artifacts of one image, newest push first, as the emulator lists them. */
export function artifactsOf(harness: CommandHarness, repoId: string, imageName: string): StoredArtifact[] {
  return harness.emulator.state.artifacts
    .filter((artifact) => artifact.repoId === repoId && artifact.imageName === imageName)
    .sort((a, b) => b.pushTime.localeCompare(a.pushTime) || b.id - a.id);
}

/** Returns the stored artifact that carries `tag` in one image, failing the test when none does. */
export function artifactTagged(
  harness: CommandHarness,
  repoId: string,
  imageName: string,
  tag: string,
): StoredArtifact {
  const found = artifactsOf(harness, repoId, imageName).find((artifact) =>
    artifact.tags.some((candidate) => candidate.name === tag),
  );
  if (!found) throw new Error(`no artifact tagged ${tag}`);
  return found;
}
