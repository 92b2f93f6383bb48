/** Shared steps of the image and system command tests: commands through the real pipeline, vCR calls, emulator edits. */
import type { StoredArtifact, StoredImage } from '../../../local/emulator/emulator-state';
import { nextNumericId } from '../../../local/emulator/state-queries';
import type { Actor } from '../../../src/commands/command';
import { parseCommandText } from '../../../src/commands/registry';
import type { Action, Invocation, Part, Reply } from '../../../src/commands/reply';
import { runInvocation } from '../../../src/commands/run-invocation';
import type { CommandHarness } from '../../support/command-context';

/** Parses `text` as typed after `/vcr` and runs it as `actor` (an operator by default). */
export function runText(harness: CommandHarness, text: string, actor?: Partial<Actor>): Promise<Reply> {
  return runInvocation(harness.context(actor), parseCommandText(text));
}

/** Runs an invocation as a button sends it. */
export function runButton(harness: CommandHarness, invocation: Invocation | undefined): Promise<Reply> {
  if (!invocation) throw new Error('the button runs no command');
  return runInvocation(harness.context(), invocation);
}

/** Returns the management calls vCR received as `METHOD path?query`, leaving out IAM token mints. */
export function vcrCalls(harness: CommandHarness): string[] {
  return harness.emulator.requests
    .filter((request) => request.path.startsWith('/v1/'))
    .map((request) => {
      const query = new URLSearchParams(request.query).toString();
      return `${request.method} ${request.path}${query ? `?${query}` : ''}`;
    });
}

/** Returns the calls that changed something (anything but GET). */
export function vcrChanges(harness: CommandHarness): string[] {
  return vcrCalls(harness).filter((call) => !call.startsWith('GET '));
}

/** Returns the parts of `reply` of one type. */
export function partsOf<T extends Part['type']>(reply: Reply, type: T): Extract<Part, { type: T }>[] {
  return reply.parts.filter((part): part is Extract<Part, { type: T }> => part.type === type);
}

/** Returns every button of `reply`, beside list rows included. */
export function actionsOf(reply: Reply): Action[] {
  const rowActions = partsOf(reply, 'list').flatMap((part) => part.items.flatMap((item) => item.action ?? []));
  return [...partsOf(reply, 'actions').flatMap((part) => part.actions), ...rowActions];
}

/** Returns the id of the pending action a preview's buttons confirm, failing the test when there is none. */
export function pendingIdOf(reply: Reply): string {
  const id = actionsOf(reply).find((action) => action.pending?.decision === 'confirm')?.pending?.id;
  if (!id) throw new Error('the reply has no confirm button');
  return id;
}

/** Returns every text of `reply` (text, parts, fields, list rows) as one string, for `toContain` checks. */
export function allText(reply: Reply): string {
  const texts = [reply.text];
  for (const part of reply.parts) {
    if (part.type === 'header' || part.type === 'text' || part.type === 'context') texts.push(part.text);
    if (part.type === 'fields') texts.push(...part.fields.map((field) => `${field.label}: ${field.value}`));
    if (part.type === 'list') {
      texts.push(...part.items.flatMap((item) => [item.title, ...(item.lines ?? [])]), part.empty);
    }
  }
  return texts.join('\n');
}

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

/** Adds an image without artifacts to a repository in the emulator. */
export function addImage(harness: CommandHarness, repoId: string, name: string): StoredImage {
  const { state } = harness.emulator;
  const image: StoredImage = {
    id: nextNumericId(state.images),
    repoId,
    name,
    pullCount: 0,
    updateTime: '2025-01-01T00:00:00.000Z',
  };
  state.images.push(image);
  return image;
}

/** Adds an artifact with `tags` to an image in the emulator, as a docker push would, and returns it. */
export function pushArtifact(
  harness: CommandHarness,
  repoId: string,
  imageName: string,
  tags: string[] = [],
  size = 1024,
): StoredArtifact {
  const { state } = harness.emulator;
  const id = nextNumericId(state.artifacts);
  const pushTime = new Date(Date.parse('2025-06-01T00:00:00.000Z') + id * 1000).toISOString();
  const artifact: StoredArtifact = {
    id,
    repoId,
    imageName,
    digest: `sha256:${id.toString(16).padStart(64, 'a')}`,
    type: 'IMAGE',
    size,
    pushTime,
    pullTime: null,
    tags: [],
  };
  for (const tag of tags) addTag(harness, artifact, tag);
  state.artifacts.push(artifact);
  return artifact;
}

/** Puts a new tag on an artifact in the emulator. */
export function addTag(harness: CommandHarness, artifact: StoredArtifact, name: string): void {
  const tagIds = harness.emulator.state.artifacts.flatMap((stored) => stored.tags.map((tag) => tag.id));
  const id = Math.max(0, ...tagIds, ...artifact.tags.map((tag) => tag.id)) + 1;
  artifact.tags.push({ id, name, pushTime: artifact.pushTime, pullTime: null, immutable: false });
}
