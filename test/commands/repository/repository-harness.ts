/** Shared steps of the repository command tests: typed commands through the real pipeline, and vCR calls seen. */
import type { StoredArtifact, StoredImage } from '../../../local/emulator/emulator-state';
import { nextNumericId } from '../../../local/emulator/state-queries';
import type { Actor } from '../../../src/commands/command';
import { parseCommandText } from '../../../src/commands/registry';
import type { Action, Part, Reply } from '../../../src/commands/reply';
import { runInvocation } from '../../../src/commands/run-invocation';
import type { CommandHarness } from '../../support/command-context';

/** Parses `text` as typed after `/vcr` and runs it as `actor` (an operator by default). */
export function runText(harness: CommandHarness, text: string, actor?: Partial<Actor>): Promise<Reply> {
  return runInvocation(harness.context(actor), parseCommandText(text));
}

/** Returns the management calls vCR received, as `METHOD path`, leaving out IAM token mints. */
export function vcrCalls(harness: CommandHarness): string[] {
  return harness.emulator.requests
    .filter((request) => request.path.startsWith('/v1/'))
    .map((request) => `${request.method} ${request.path}`);
}

/** Returns the parts of `reply` of one type. */
export function partsOf<T extends Part['type']>(reply: Reply, type: T): Extract<Part, { type: T }>[] {
  return reply.parts.filter((part): part is Extract<Part, { type: T }> => part.type === type);
}

/** Returns every button of `reply`. */
export function actionsOf(reply: Reply): Action[] {
  return partsOf(reply, 'actions').flatMap((part) => part.actions);
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
    if (part.type === 'list')
      texts.push(...part.items.flatMap((item) => [item.title, ...(item.lines ?? [])]), part.empty);
  }
  return texts.join('\n');
}

/** Adds an image with one untagged artifact of `size` bytes to a repository in the emulator, as a docker push would. */
export function pushImage(harness: CommandHarness, repoId: string, name: string, size = 1024): void {
  const { state } = harness.emulator;
  const image: StoredImage = {
    id: nextNumericId(state.images),
    repoId,
    name,
    pullCount: 0,
    updateTime: new Date().toISOString(),
  };
  state.images.push(image);
  pushArtifact(harness, repoId, name, size);
}

/** Adds an untagged artifact of `size` bytes to an existing image in the emulator. */
export function pushArtifact(harness: CommandHarness, repoId: string, imageName: string, size = 1024): void {
  const { state } = harness.emulator;
  const id = nextNumericId(state.artifacts);
  const artifact: StoredArtifact = {
    id,
    repoId,
    imageName,
    digest: `sha256:${id.toString(16).padStart(64, '0')}`,
    type: 'IMAGE',
    size,
    pushTime: new Date().toISOString(),
    pullTime: null,
    tags: [],
  };
  state.artifacts.push(artifact);
}
