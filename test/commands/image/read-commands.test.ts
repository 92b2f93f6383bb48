import { seededDigest, seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import {
  addImage,
  allText,
  partsOf,
  pushArtifact,
  rowActionsOf,
  runArgs,
  runButton,
  runText,
  vcrCalls,
} from '../../support/command-harness';
import { formFor } from '../../support/user-harness';

const { paymentsApi, sandboxTmp } = seedIds.repositories;
const apiDigests = [0, 1, 2].map((index) => seededDigest(`payments-api/team/api#${index}`));

describe('image read commands', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  describe('images', () => {
    it('lists the images with artifacts, pulls, last update and a Tags button when a repository is named', async () => {
      // Act
      const reply = await runText(harness, 'images payments-api', { role: 'viewer' });

      // Assess
      expect(reply.text).toBe('Images in payments-api: 3');
      expect(partsOf(reply, 'list')[0]?.items).toMatchInlineSnapshot(`
[
  {
    "action": {
      "invocation": {
        "args": {
          "ref": "repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/worker",
        },
        "command": "tags.list",
      },
      "label": "Tags",
    },
    "lines": [
      "2 artifacts · 158 pulls · updated 2025-02-22 03:30 UTC",
    ],
    "title": "*team/worker*",
  },
  {
    "action": {
      "invocation": {
        "args": {
          "ref": "repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/api",
        },
        "command": "tags.list",
      },
      "label": "Tags",
    },
    "lines": [
      "3 artifacts · 412 pulls · updated 2025-02-20 09:12 UTC",
    ],
    "title": "*team/api*",
  },
  {
    "action": {
      "invocation": {
        "args": {
          "ref": "repo-ed672310-17a1-4549-ac83-1f025f598aa4/base/node-runtime",
        },
        "command": "tags.list",
      },
      "label": "Tags",
    },
    "lines": [
      "1 artifact · 37 pulls · updated 2024-12-02 07:00 UTC",
    ],
    "title": "*base/node-runtime*",
  },
]
`);
      expect(partsOf(reply, 'pager')).toEqual([
        {
          type: 'pager',
          page: 1,
          totalPage: 1,
          totalItem: 3,
          invocation: { command: 'images.list', args: { repo: paymentsApi } },
        },
      ]);
    });

    it('renders the first page of 10,000 images with one list call when the button carries the repository id', async () => {
      // Prepare
      const images = Array.from({ length: 10_000 }, (_, index) => ({
        id: 100_000 + index,
        repoId: sandboxTmp,
        name: `bulk/image-${index}`,
        pullCount: 0,
        updateTime: '2025-01-01T00:00:00.000Z',
      }));
      harness.emulator.state.images.push(...images);
      harness.emulator.clearRequests();

      // Act
      const reply = await runButton(harness, { command: 'images.list', args: { repo: sandboxTmp } });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(10);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 1, totalPage: 1000, totalItem: 10_000 });
      expect(vcrCalls(harness, { query: true })).toEqual([
        `GET /v1/repository/${sandboxTmp}`,
        `GET /v1/repository/${sandboxTmp}/images?name=&page=1&size=10`,
      ]);
    });

    it('asks vCR for the lowered filter and keeps it in the pager when a filter is given', async () => {
      // Act
      const reply = await runText(harness, 'images payments-api TEAM --page 1');

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual(['*team/worker*', '*team/api*']);
      expect(vcrCalls(harness, { query: true }).at(-1)).toBe(
        `GET /v1/repository/${paymentsApi}/images?name=team&page=1&size=10`,
      );
      expect(partsOf(reply, 'pager')[0]?.invocation).toEqual({
        command: 'images.list',
        args: { repo: paymentsApi, filter: 'TEAM' },
      });
    });

    it('shows the last page and says so when a page after the last is asked', async () => {
      // Act
      const reply = await runText(harness, 'images payments-api --page 3');

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(3);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 1, totalPage: 1 });
      expect(partsOf(reply, 'context').at(-1)?.text).toBe(
        'There is only 1 page, so this is the last one rather than page 3.',
      );
    });

    it('says the repository has no images when it is empty', async () => {
      // Act
      const reply = await runText(harness, 'images sandbox-tmp');

      // Assess
      expect(partsOf(reply, 'list')[0]?.empty).toBe('`sandbox-tmp` has no images yet.');
    });

    it('names the unknown repository when none matches', async () => {
      // Act
      const act = runText(harness, 'images no-such-repo');

      // Assess
      await expect(act).rejects.toThrow('No repository named `no-such-repo`. Try `/vcr repos no-such-repo`.');
    });

    it('refuses without calling vCR when the repository is missing', () => {
      // Act
      const act = () => parseCommandText('images');

      // Assess
      expect(act).toThrow('Missing REPO.');
      expect(vcrCalls(harness, { query: true })).toEqual([]);
    });
  });

  describe('image', () => {
    it('shows the card with the pull line on its registry and Tags and Delete buttons when an image is named', async () => {
      // Act
      const reply = await runText(harness, 'image payments-api/team/api', { role: 'viewer' });

      // Assess
      expect(reply.parts).toMatchInlineSnapshot(`
[
  {
    "text": "Image team/api",
    "type": "header",
  },
  {
    "fields": [
      {
        "label": "Repository",
        "value": "payments-api (\`10001234-payments-api\`)",
      },
      {
        "label": "Image",
        "value": "\`team/api\`",
      },
      {
        "label": "Artifacts",
        "value": "3 artifacts",
      },
      {
        "label": "Pulls",
        "value": "412",
      },
      {
        "label": "Last update",
        "value": "2025-02-20 09:12 UTC",
      },
    ],
    "type": "fields",
  },
  {
    "text": "Pull: \`docker pull vcr.vngcloud.vn/10001234-payments-api/team/api:<tag>\`",
    "type": "context",
  },
  {
    "actions": [
      {
        "invocation": {
          "args": {
            "ref": "repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/api",
          },
          "command": "tags.list",
        },
        "label": "Tags",
      },
      {
        "invocation": {
          "args": {
            "ref": "repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/api",
          },
          "command": "image.delete",
        },
        "label": "Delete",
        "style": "danger",
      },
    ],
    "type": "actions",
  },
]
`);
    });

    it('uses the HAN registry host in the pull line when the repository lives there', async () => {
      // Act
      const reply = await runText(harness, 'image ml-models/ml/trainer');

      // Assess
      expect(partsOf(reply, 'context')[0]?.text).toBe(
        'Pull: `docker pull vcr-han.vngcloud.vn/10001234-ml-models/ml/trainer:<tag>`',
      );
    });

    it.each([
      ['https://vcr-han.vngcloud.vn/', 'vcr-han.vngcloud.vn'],
      ['', 'vcr.vngcloud.vn'],
      [undefined, 'vcr.vngcloud.vn'],
    ])('prints only the host in the pull line when the registry URL is %p', async (registryUrl, host) => {
      // Prepare
      const repo = harness.emulator.state.repositories.find((candidate) => candidate.uuid === paymentsApi);
      if (!repo) throw new Error('seed changed: payments-api is missing');
      (repo as { registryUrl?: string }).registryUrl = registryUrl;

      // Act
      const reply = await runText(harness, 'image payments-api/team/api');

      // Assess
      expect(partsOf(reply, 'context')[0]?.text).toBe(
        `Pull: \`docker pull ${host}/10001234-payments-api/team/api:<tag>\``,
      );
    });

    it('accepts the docker path with the registry host and backend name', async () => {
      // Act
      const reply = await runText(harness, 'image vcr.vngcloud.vn/10001234-payments-api/team/api');

      // Assess
      expect(reply.text).toBe('Image team/api in payments-api');
    });

    it('asks for the image in a form with a picker of that repository when only REPO is typed', async () => {
      // Act
      const form = await formFor(harness, 'image payments-api');

      // Assess
      expect(form).toEqual({
        title: 'Show an image',
        submit: 'Show',
        command: 'image.show',
        fixedArgs: { repo: paymentsApi },
        fields: [{ kind: 'image', name: 'image', label: 'Image in payments-api', repoId: paymentsApi }],
      });
    });

    it('names the missing image without calling vCR when only REPO is typed where no form opens', async () => {
      // Act
      const act = runText(harness, 'image payments-api', { role: 'viewer' });

      // Assess
      await expect(act).rejects.toThrow(
        '`payments-api` names no image after the repository: pick one, or write `payments-api/IMAGE`.',
      );
      expect(vcrCalls(harness, { query: true })).toEqual([]);
    });

    it('shows the picked image when the form submits the repository id and an image name', async () => {
      // Act
      const reply = await runArgs(harness, 'image.show', { repo: paymentsApi, image: 'team/api' }, { role: 'viewer' });

      // Assess
      expect(reply.text).toBe('Image team/api in payments-api');
    });

    it('names the rule without calling vCR when a word with a tag names no image', () => {
      // Act
      const act = () => parseCommandText('image payments-api:latest');

      // Assess
      expect(act).toThrow('`payments-api:latest` names no image after the repository.');
      expect(vcrCalls(harness, { query: true })).toEqual([]);
    });

    it('refuses a tag and points at tags when the reference carries one', () => {
      // Act
      const act = () => parseCommandText('image payments-api/team/api:latest');

      // Assess
      expect(act).toThrow(
        '`:latest` is not taken here: this shows a whole image; `tags REPO/IMAGE:TAG` shows one artifact.',
      );
    });

    it('names the image and the list to look at when the image is unknown', async () => {
      // Act
      const act = runText(harness, 'image payments-api/team/nope');

      // Assess
      await expect(act).rejects.toThrow(
        'No image `team/nope` in repository `payments-api`. Try `/vcr images payments-api`.',
      );
    });
  });

  describe('tags', () => {
    it('lists the artifacts with digest, tags, size, times and a Delete button by digest when an image is named', async () => {
      // Act
      const reply = await runText(harness, 'tags payments-api/team/api', { role: 'viewer' });

      // Assess
      const items = partsOf(reply, 'list')[0]?.items ?? [];
      expect(items.map((item) => [item.title, ...(item.lines ?? [])])).toEqual([
        [
          `*${apiDigests[0]?.slice(0, 19)}* \`v1.4.2\`, \`latest\``,
          '179 MB · pushed 2025-02-20 09:12 UTC · pulled 2025-03-01 06:40 UTC',
        ],
        [
          `*${apiDigests[1]?.slice(0, 19)}* \`v1.4.1\``,
          '177 MB · pushed 2025-02-10 14:03 UTC · pulled 2025-02-18 11:22 UTC',
        ],
        [`*${apiDigests[2]?.slice(0, 19)}* _untagged_`, '177 MB · pushed 2025-01-28 08:47 UTC · pulled never'],
      ]);
      expect(items[0]?.action).toEqual({
        label: 'Delete',
        style: 'danger',
        invocation: { command: 'artifact.delete', args: { ref: `${paymentsApi}/team/api@${apiDigests[0]}` } },
      });
      expect(partsOf(reply, 'pager')[0]).toMatchObject({
        totalItem: 3,
        invocation: { command: 'tags.list', args: { ref: `${paymentsApi}/team/api` } },
      });
    });

    it('keeps the artifacts with a matching tag when a filter is given', async () => {
      // Act
      const reply = await runText(harness, 'tags payments-api/team/api v1.4');

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(2);
      expect(vcrCalls(harness, { query: true }).at(-1)).toBe(
        `GET /v1/repository/${paymentsApi}/images/artifacts?imageName=team%2Fapi&name=v1.4&page=1&size=10`,
      );
    });

    it('shows only the artifact carrying exactly that tag when REF has a tag that others contain', async () => {
      // Prepare
      pushArtifact(harness, paymentsApi, 'team/api', ['latest-rc']);

      // Act
      const reply = await runText(harness, 'tags payments-api/team/api:latest');

      // Assess
      const items = partsOf(reply, 'list')[0]?.items ?? [];
      expect(items.map((item) => item.title)).toEqual([`*${apiDigests[0]?.slice(0, 19)}* \`v1.4.2\`, \`latest\``]);
      expect(partsOf(reply, 'pager')).toEqual([]);
      expect(partsOf(reply, 'context')[0]?.text).toBe(`Digest \`${apiDigests[0]}\``);
    });

    it('shows only that artifact when REF has a digest', async () => {
      // Act
      const reply = await runText(harness, `tags payments-api/team/api@${apiDigests[2]}`);

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual([
        `*${apiDigests[2]?.slice(0, 19)}* _untagged_`,
      ]);
    });

    it.each([
      ['as replies show it', (digest: string) => digest.slice(0, 19)],
      ['without sha256: and in capitals', (digest: string) => digest.slice(7, 23).toUpperCase()],
    ])('shows that artifact when REF has a digest prefix %s', async (_, prefix) => {
      // Act
      const reply = await runText(harness, `tags payments-api/team/api@${prefix(apiDigests[2]!)}`);

      // Assess
      expect(partsOf(reply, 'context')[0]?.text).toBe(`Digest \`${apiDigests[2]}\``);
    });

    it('lists the artifacts a digest prefix starts when it starts more than one', async () => {
      // Prepare: the harness's pushes get digests of `a`s and their number, so their first 12 digits agree.
      addImage(harness, sandboxTmp, 'twins/app');
      const [one, two] = [['v1'], []].map((tags) => pushArtifact(harness, sandboxTmp, 'twins/app', tags));

      // Act
      const act = runText(harness, 'tags sandbox-tmp/twins/app@sha256:aaaaaaaaaaaa');

      // Assess
      await expect(act).rejects.toThrow(
        `\`sha256:aaaaaaaaaaaa\` starts 2 artifacts of \`sandbox-tmp/twins/app\`: \`${two!.digest}\` (untagged), ` +
          `\`${one!.digest}\` (v1). Type more of the digest, or name the artifact by a tag.`,
      );
    });

    it('says no artifact carries the tag when only longer tags contain it', async () => {
      // Act
      const act = runText(harness, 'tags payments-api/team/api:v1.4');

      // Assess
      await expect(act).rejects.toThrow(
        'No tag `v1.4` in `payments-api/team/api`. Try `/vcr tags payments-api/team/api`.',
      );
    });

    it('runs from the Tags button of the image list', async () => {
      // Prepare
      const list = await runText(harness, 'images payments-api');

      // Act
      const reply = await runButton(harness, rowActionsOf(list)[1]?.invocation);

      // Assess
      expect(reply.text).toBe('Artifacts of payments-api/team/api: 3');
    });

    it('refuses a tag and a filter together without calling vCR', () => {
      // Act
      const act = () => parseCommandText('tags payments-api/team/api:latest v1');

      // Assess
      expect(act).toThrow('Give either a `:TAG` or `@DIGEST` in REF, or a FILTER, not both.');
      expect(vcrCalls(harness, { query: true })).toEqual([]);
    });

    it('names the digest rule without calling vCR when the digest is malformed', () => {
      // Act
      const act = () => parseCommandText('tags payments-api/team/api@sha256:abc');

      // Assess
      expect(act).toThrow(
        '`sha256:abc` is not a digest: it is `sha256:` followed by its 64 hex digits, or at least the first 12 of them.',
      );
      expect(vcrCalls(harness, { query: true })).toEqual([]);
    });

    it('names the image when it is unknown', async () => {
      // Act
      const act = runText(harness, 'tags payments-api/team/nope');

      // Assess
      await expect(act).rejects.toThrow('No image `team/nope` in repository `payments-api`.');
    });

    it('says which artifacts contain no such tag when the filter matches none', async () => {
      // Act
      const reply = await runText(harness, 'tags payments-api/team/api zzz');

      // Assess
      expect(allText(reply)).toContain('No tag of `payments-api/team/api` contains `zzz`.');
    });
  });
});
