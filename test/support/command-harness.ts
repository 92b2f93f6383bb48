/**
 * Shared steps of every command test: commands through the real pipeline, the vCR calls seen, reply readers, and
 * emulator edits that stand for a docker push.
 */

import { randomUUID } from 'node:crypto';
import type { StoredArtifact, StoredImage } from '../../local/emulator/emulator-state';
import { nextNumericId } from '../../local/emulator/state-queries';
import { authorize } from '../../src/commands/authorize';
import type { Actor, CommandContext } from '../../src/commands/command';
import { parseCommandText } from '../../src/commands/registry';
import type { Action, Invocation, Part, Reply } from '../../src/commands/reply';
import { decide, runInvocation } from '../../src/commands/runner';
import { UserError } from '../../src/errors';
import { type RichText, rich } from '../../src/rich-text';
import type { CommandHarness } from './command-context';
import { mrkdwn } from './mrkdwn';

/** Admits `ctx.actor` the way every entry does, with the role the context already names, then returns the context. */
async function admitted(
  ctx: CommandContext,
  commandId: string,
  decision?: { requestedBy: string; choice: 'confirm' | 'cancel' },
): Promise<CommandContext> {
  await authorize(
    {
      config: { slack: { command: ctx.slashCommand }, allowedChannels: undefined } as never,
      roles: { roleOf: async () => ctx.actor.role },
      freeze: ctx.freeze,
      audit: ctx.audit,
    },
    { userId: ctx.actor.userId, surface: 'job', commandId, decision },
  );
  return ctx;
}

/** Runs an invocation through admission and the runner, as a new request unless `key` names an earlier one. */
export async function runAs(
  harness: CommandHarness,
  invocation: Invocation,
  actor?: Partial<Actor>,
  key: string = randomUUID(),
): Promise<Reply> {
  const ctx = await admitted(harness.context(actor), invocation.command);
  return runInvocation(ctx, invocation, { key });
}

/** Confirms or cancels operation `id` as `actor` (an operator by default), through admission, as a click's job does. */
export async function decideAs(
  harness: CommandHarness,
  id: string,
  choice: 'confirm' | 'cancel',
  actor?: Partial<Actor>,
): Promise<Reply> {
  const operation = await harness.operations.get(id);
  if (!operation) throw new UserError('This request is no longer known; run the command again.');
  const ctx = await admitted(harness.context(actor), operation.command, { requestedBy: operation.requestedBy, choice });
  return decide(ctx, operation, choice);
}

/** Parses `text` as typed after `/vcr` and runs it as `actor` (an operator by default). */
export function runText(harness: CommandHarness, text: string, actor?: Partial<Actor>): Promise<Reply> {
  return runAs(harness, parseCommandText(text), actor);
}

/** Runs an invocation as a button or a modal submit sends it. */
export function runArgs(
  harness: CommandHarness,
  command: string,
  args: Invocation['args'],
  actor?: Partial<Actor>,
): Promise<Reply> {
  return runAs(harness, { command, args }, actor);
}

/** Runs what a button runs, failing the test when the button runs no command. */
export function runButton(harness: CommandHarness, invocation: Invocation | undefined): Promise<Reply> {
  if (!invocation) throw new Error('the button runs no command');
  return runAs(harness, invocation);
}

/** Returns the management calls vCR received as `METHOD path` (with `?query` when asked), leaving out IAM mints. */
export function vcrCalls(harness: CommandHarness, options: { query?: boolean } = {}): string[] {
  return harness.emulator.requests
    .filter((request) => request.path.startsWith('/v1/'))
    .map((request) => {
      const query = options.query ? new URLSearchParams(request.query).toString() : '';
      return `${request.method} ${request.path}${query ? `?${query}` : ''}`;
    });
}

/** Returns the calls that change something on vCR (anything but a GET, plus the secret refresh, a GET that does). */
export function vcrChanges(harness: CommandHarness, options: { query?: boolean } = {}): string[] {
  return vcrCalls(harness, options).filter(
    (call) => !call.startsWith('GET ') || call.split('?')[0]?.endsWith('/refresh'),
  );
}

/** Returns the parts of `reply` of one type. */
export function partsOf<T extends Part['type']>(reply: Reply, type: T): Extract<Part, { type: T }>[] {
  return reply.parts.filter((part): part is Extract<Part, { type: T }> => part.type === type);
}

/** Returns the buttons of the actions parts of `reply`, not those beside list rows. */
export function actionsOf(reply: Reply): Action[] {
  return partsOf(reply, 'actions').flatMap((part) => part.actions);
}

/** Returns the buttons beside the rows of the lists of `reply`. */
export function rowActionsOf(reply: Reply): Action[] {
  return partsOf(reply, 'list').flatMap((part) => part.items.flatMap((item) => item.action ?? []));
}

/** Returns the id of the operation a preview's buttons confirm, failing the test when there is none. */
export function operationIdOf(reply: Reply): string {
  const id = actionsOf(reply).find((action) => action.decision?.choice === 'confirm')?.decision?.operationId;
  if (!id) throw new Error('the reply has no confirm button');
  return id;
}

/** Returns every text of `reply` (text, parts, fields, list rows and empty lines) as one string, for `toContain`. */
export function allText(reply: Reply): string {
  const texts: RichText[] = [reply.text];
  for (const part of reply.parts) {
    if (part.type === 'header' || part.type === 'text' || part.type === 'context') texts.push(part.text);
    if (part.type === 'fields') texts.push(...part.fields.map((field) => rich`${field.label}: ${field.value}`));
    if (part.type === 'list') {
      texts.push(...part.items.flatMap((item) => [item.title, ...(item.lines ?? [])]), part.empty);
    }
  }
  // Mentions read as Slack shows them in mrkdwn (`<@U…>`); plain words stay as they are.
  return texts.map((text) => (typeof text === 'string' ? text : mrkdwn(text))).join('\n');
}

/** Makes the emulator answer every GET of `path` with one page that holds `listData`, whatever vCR's state. */
export function answerOnePage(harness: CommandHarness, path: string, listData: unknown[]): void {
  harness.emulator.inject({
    method: 'GET',
    path,
    status: 200,
    body: { listData, page: 1, pageSize: 10, totalPage: 1, totalItem: listData.length },
  });
}

/** Adds an image without artifacts to a repository in the emulator. */
export function addImage(harness: Pick<CommandHarness, 'emulator'>, repoId: string, name: string): StoredImage {
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

/** Adds an image with one untagged artifact to a repository in the emulator, as a docker push would. */
export function pushImage(harness: Pick<CommandHarness, 'emulator'>, repoId: string, name: string): StoredImage {
  const image = addImage(harness, repoId, name);
  pushArtifact(harness, repoId, name);
  return image;
}

/** Adds an artifact with `tags` to an image in the emulator, as a docker push would, and returns it. */
export function pushArtifact(
  harness: Pick<CommandHarness, 'emulator'>,
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
export function addTag(harness: Pick<CommandHarness, 'emulator'>, artifact: StoredArtifact, name: string): void {
  const tagIds = harness.emulator.state.artifacts.flatMap((stored) => stored.tags.map((tag) => tag.id));
  const id = Math.max(0, ...tagIds, ...artifact.tags.map((tag) => tag.id)) + 1;
  artifact.tags.push({ id, name, pushTime: artifact.pushTime, pullTime: null, immutable: false });
}
