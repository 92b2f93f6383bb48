/**
 * `tags REF [FILTER]`: one page of an image's artifacts with digest, tags, size and push/pull times. A `:TAG` or
 * `@DIGEST` in REF narrows the answer to the one artifact carrying that exact tag or digest.
 */

import { UserError } from '../../errors';
import type { Artifact, Repository } from '../../vcr/types';
import { filterOf, pageOf, parsePositionals, pastEnd, validatePagedRead } from '../args';
import type { Args, CommandSpec, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { shortDigest, truncate } from '../format';
import { pagerParts, readPage, type ShownPage } from '../list-page';
import type { ListItem, Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { artifactLine, artifactTitle } from './artifact-fields';
import { imageRefOf, refText } from './image-args';
import { findArtifactByDigest, findArtifactByTag, isNotFound, missingImage } from './image-lookup';
import type { ImageRef } from './parse-image-ref';

/** Lists the artifacts of one image, ten per page, each with a button that previews deleting it. */
export const listTags: CommandSpec = {
  id: commandIds.tagsList,
  words: ['tags'],
  usage: 'tags REF [FILTER]',
  summary: 'Lists the artifacts of an image: short digest, tags, size, push and pull time.',
  details: [
    'REF is `REPO/IMAGE`. FILTER keeps artifacts with a tag containing it.',
    '`REPO/IMAGE:TAG` shows only the artifact carrying exactly that tag; `REPO/IMAGE@sha256:DIGEST` only that artifact (the first 12 hex digits of a digest are enough).',
  ],
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: (input) => {
    const [ref, filter] = parsePositionals(input, ['REF'], ['FILTER']);
    const args: Args = filter === undefined ? { ref } : { ref, filter };
    checkNarrowing(imageRefOf(args), filterOf(args));
    return args;
  },
  validate: (args) => {
    const normalized = { ...validatePagedRead(args), ref: String(args.ref ?? '').trim() };
    checkNarrowing(imageRefOf(normalized), filterOf(normalized));
    return normalized;
  },
  run: async (ctx, args): Promise<Reply> => {
    const ref = imageRefOf(args);
    const repo = await resolveRepository(ctx.vcr, ref.repo, { slashCommand: ctx.slashCommand });
    if (ref.tag || ref.digest) return oneArtifact(ctx, repo, ref);
    return artifactPage(ctx, repo, ref.image, filterOf(args), pageOf(args));
  },
};

/** A tag or digest already names one artifact, so a filter on top of it would be ambiguous. */
function checkNarrowing(ref: ImageRef, filter: string | undefined): void {
  if ((ref.tag || ref.digest) && filter) {
    throw new UserError('Give either a `:TAG` or `@DIGEST` in REF, or a FILTER, not both.', { field: 'filter' });
  }
}

async function artifactPage(
  ctx: ReadContext,
  repo: Repository,
  imageName: string,
  filter: string | undefined,
  page: number,
): Promise<Reply> {
  let shown: ShownPage<Artifact>;
  try {
    shown = await readPage(
      (at, size) => ctx.vcr.artifacts.list(repo.uuid, imageName, { name: filter ?? '', page: at, size }),
      page,
    );
  } catch (error) {
    if (isNotFound(error)) throw missingImage(ctx, repo, imageName);
    throw error;
  }
  const image = refText(repo.name, imageName);
  let empty = filter ? `No tag of \`${image}\` contains \`${filter}\`.` : `\`${image}\` has no artifacts.`;
  if (shown.totalItem > 0) empty = pastEnd(shown.page, shown.totalPage);
  const base = { ref: refText(repo.uuid, imageName) };
  return {
    text: `Artifacts of ${image}${filter ? ` with a tag matching ${filter}` : ''}: ${shown.totalItem}`,
    parts: [
      { type: 'header', text: truncate(`Tags of ${image}${filter ? ` matching "${filter}"` : ''}`, 150) },
      { type: 'list', empty, items: shown.items.map((artifact) => itemOf(repo, imageName, artifact)) },
      ...pagerParts(shown, { command: commandIds.tagsList, args: filter ? { ...base, filter } : base }),
    ],
  };
}

async function oneArtifact(ctx: ReadContext, repo: Repository, ref: ImageRef): Promise<Reply> {
  const shown = refText(repo.name, ref.image, ref);
  const artifact = ref.tag
    ? await findArtifactByTag(ctx, repo, ref.image, ref.tag)
    : await findArtifactByDigest(ctx, repo, ref.image, ref.digest ?? '');
  if (!artifact) {
    const what = ref.tag ? `tag \`${ref.tag}\`` : `artifact \`${shortDigest(ref.digest ?? '')}\``;
    throw new UserError(
      `No ${what} in \`${refText(repo.name, ref.image)}\`. Try \`${ctx.slashCommand} tags ${refText(repo.name, ref.image)}\`.`,
    );
  }
  return {
    text: `Artifact ${shown}: ${artifact.digest}`,
    parts: [
      { type: 'header', text: truncate(`Tags of ${shown}`, 150) },
      { type: 'list', empty: '', items: [itemOf(repo, ref.image, artifact)] },
      { type: 'context', text: `Digest \`${artifact.digest}\`` },
    ],
  };
}

function itemOf(repo: Repository, imageName: string, artifact: Artifact): ListItem {
  return {
    title: artifactTitle(artifact),
    lines: [artifactLine(artifact)],
    // Only runs the impact preview; the delete itself waits for the confirming click there.
    action: {
      label: 'Delete',
      style: 'danger',
      invocation: {
        command: commandIds.artifactDelete,
        args: { ref: refText(repo.uuid, imageName, { digest: artifact.digest }) },
      },
    },
  };
}
