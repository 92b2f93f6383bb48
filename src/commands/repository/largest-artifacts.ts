/** `repo largest REPO`: the ten largest artifacts of a repository and the ten pulled least recently. */

import pLimit from 'p-limit';
import { collect, paginate } from '../../vcr/paginate';
import type { Artifact, Repository } from '../../vcr/types';
import type { CommandSpec, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { formatBytes, formatDate, shortDigest, truncate } from '../format';
import { counted, quotedList, tagNamesOf } from '../image/artifact-fields';
import { listAllArtifacts, maxScannedArtifacts } from '../image/image-lookup';
import type { ListItem, Part, Reply } from '../reply';
import { parseRepositoryRef, repoOf } from './repository-args';
import { resolveRepository } from './resolve-repository';

/** One artifact with the image it belongs to. */
interface FoundArtifact {
  imageName: string;
  artifact: Artifact;
}

const shown = 10;
// Artifact lists of this many images at once: a repository of many images is read in a few seconds without putting
// more than a handful of calls in flight at vCR.
const imagesAtOnce = 8;
const pageSize = 100;
// A repository with more images than this is read on the first ones listed, as a cleanup plan is.
const maxImages = 500;

/** Lists the ten largest artifacts of a repository and the ten pulled least recently, over all its images. */
export const largestArtifacts: CommandSpec = {
  id: commandIds.repoLargest,
  words: ['repo', 'largest'],
  usage: 'repo largest REPO',
  summary: 'Shows the ten largest artifacts of a repository and the ten pulled least recently.',
  details: ['An artifact never pulled counts from its push time, and says "never pulled".'],
  role: 'viewer',
  kind: 'read',
  parse: parseRepositoryRef,
  validate: (args) => ({ ...args, repo: repoOf(args) }),
  run: async (ctx, args): Promise<Reply> => {
    const repo = await resolveRepository(ctx.vcr, repoOf(args), { slashCommand: ctx.slashCommand });
    const { found, cut, moreImages } = await allArtifacts(ctx, repo);
    const bounds = [
      ...(moreImages ? [`Only the first ${maxImages} images vCR lists were read.`] : []),
      ...(cut.length > 0
        ? [`Only the first ${maxScannedArtifacts} artifacts vCR lists were read of ${quotedList(cut, 5)}.`]
        : []),
    ];
    const largest = [...found].sort((a, b) => size(b) - size(a)).slice(0, shown);
    const oldest = [...found].sort((a, b) => lastUse(a) - lastUse(b)).slice(0, shown);
    const empty = `\`${repo.name}\` has no artifacts.`;
    return {
      text: `Largest and least recently pulled artifacts of ${repo.name}: ${counted(found.length, 'artifact')}`,
      parts: [
        { type: 'header', text: truncate(`Largest and oldest in ${repo.name}`, 150) },
        { type: 'text', text: `*Largest* of ${counted(found.length, 'artifact')}` },
        { type: 'list', empty, items: largest.map(row) },
        { type: 'divider' },
        { type: 'text', text: '*Least recently pulled*' },
        { type: 'list', empty, items: oldest.map(row) },
        ...bounds.map((text): Part => ({ type: 'context', text })),
        {
          type: 'actions',
          actions: [
            { label: 'Open repository', invocation: { command: commandIds.repoShow, args: { repo: repo.uuid } } },
          ],
        },
      ],
    };
  },
};

// Every page of every image, since the largest artifact may be anywhere; `name=` is always sent (docs/vcr-api.md).
// Bounded like a cleanup plan's inventory (src/commands/cleanup/cleanup.ts): so many images, so many artifacts each.
async function allArtifacts(
  ctx: ReadContext,
  repo: Repository,
): Promise<{ found: FoundArtifact[]; cut: string[]; moreImages: boolean }> {
  const images = await collect(
    paginate((page, size) => ctx.vcr.images.list(repo.uuid, { name: '', page, size }), {
      pageSize,
      maxItems: maxImages + 1,
    }),
  );
  const limit = pLimit(imagesAtOnce);
  const cut: string[] = [];
  const perImage = await Promise.all(
    images.slice(0, maxImages).map((image) =>
      limit(async () => {
        const { artifacts, tooMany } = await listAllArtifacts(ctx, repo, image.name, maxScannedArtifacts);
        if (tooMany) cut.push(image.name);
        return artifacts.map((artifact) => ({ imageName: image.name, artifact }));
      }),
    ),
  );
  return { found: perImage.flat(), cut, moreImages: images.length > maxImages };
}

function size(found: FoundArtifact): number {
  return Number.isFinite(found.artifact.size) ? found.artifact.size : 0;
}

// An artifact never pulled was last used when it was pushed; one with neither time sorts first, as the oldest.
function lastUse(found: FoundArtifact): number {
  const time = Date.parse(found.artifact.pullTime ?? found.artifact.pushTime ?? '');
  return Number.isFinite(time) ? time : 0;
}

function row({ imageName, artifact }: FoundArtifact): ListItem {
  const tags = tagNamesOf(artifact);
  const pulled = artifact.pullTime ? `pulled ${formatDate(artifact.pullTime)}` : 'never pulled';
  return {
    title: `*${imageName}* ${tags.length > 0 ? quotedList(tags, 5) : '_untagged_'} \`${shortDigest(artifact.digest)}\``,
    lines: [`${formatBytes(artifact.size)} · pushed ${formatDate(artifact.pushTime, 'unknown')} · ${pulled}`],
  };
}
