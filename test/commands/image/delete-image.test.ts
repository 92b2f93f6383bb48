import { seededDigest, seedIds } from '../../../local/emulator/seed';
import type { PartialFailureError } from '../../../src/commands/partial-failure';
import { parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import {
  actionsOf,
  addImage,
  addTag,
  allText,
  decideAs,
  operationIdOf,
  partsOf,
  pushArtifact,
  runArgs,
  runButton,
  runText,
  vcrCalls,
  vcrChanges,
} from '../../support/command-harness';
import { artifactsOf, artifactTagged } from '../../support/image-harness';
import { mrkdwn } from '../../support/mrkdwn';
import { formFor } from '../../support/user-harness';

const { paymentsApi, sandboxTmp } = seedIds.repositories;
const apiDigests = [0, 1, 2].map((index) => seededDigest(`payments-api/team/api#${index}`));
const apiImageQuery = 'imageName=team%2Fapi';

describe('image delete', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const imageExists = (repoId: string, name: string) =>
    harness.emulator.state.images.some((image) => image.repoId === repoId && image.name === name);

  it('previews every artifact, tag and byte that goes, pins them and changes nothing when typed', async () => {
    // Act
    const reply = await runText(harness, 'image delete payments-api/team/api');

    // Assess
    expect(reply.parts.filter((part) => part.type !== 'actions')).toMatchInlineSnapshot(`
[
  {
    "text": "Delete image team/api?",
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
        "value": "3",
      },
      {
        "label": "Tags",
        "value": "3",
      },
      {
        "label": "Size freed",
        "value": "534 MB",
      },
    ],
    "type": "fields",
  },
  {
    "text": "Tags that go: \`v1.4.2\`, \`latest\`, \`v1.4.1\`
Also 1 untagged artifact.",
    "type": "text",
  },
  {
    "forRequester": true,
    "text": "Nothing is deleted until you confirm. This cannot be undone.",
    "type": "context",
  },
]
`);
    const operationId = operationIdOf(reply);
    expect(actionsOf(reply)).toEqual([
      {
        label: 'Delete team/api',
        style: 'danger',
        decision: { operationId, command: 'image.delete', choice: 'confirm' },
        confirm: {
          title: 'Delete image team/api?',
          text: 'This deletes payments-api/team/api with its 3 artifacts and 3 tags (534 MB). It cannot be undone.',
          confirm: 'Delete',
          deny: 'Keep it',
        },
      },
      { label: 'Cancel', decision: { operationId, command: 'image.delete', choice: 'cancel' } },
    ]);
    const operation = await harness.operations.get(operationId);
    expect(operation).toMatchObject({
      command: 'image.delete',
      args: { ref: `${paymentsApi}/team/api` },
      summary: 'delete image `payments-api/team/api` (3 artifacts, 3 tags)',
      requestedBy: 'U0OPERATOR',
      status: 'requested',
    });
    expect(operation?.pin).toEqual({
      repoId: paymentsApi,
      repoName: 'payments-api',
      imageName: 'team/api',
      digests: { count: 3, names: [...apiDigests].sort() },
      tags: { count: 3, names: ['latest', 'v1.4.1', 'v1.4.2'] },
      size: 559_756_437,
    });
    expect(vcrChanges(harness, { query: true })).toEqual([]);
    expect(artifactsOf(harness, paymentsApi, 'team/api')).toHaveLength(3);
  });

  it('deletes the artifacts first, then the image, exactly once when the preview is confirmed twice', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');
    harness.emulator.clearRequests();

    // Act
    const first = await decideAs(harness, operationIdOf(preview), 'confirm');
    const second = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(first.text).toBe('Deleted image `payments-api/team/api`: 3 artifacts and 3 tags, 534 MB freed.');
    expect(allText(first)).toContain('vCR deletes only empty images, so its artifacts were deleted first.');
    expect(mrkdwn(first.notify)).toBe(
      '<@U0OPERATOR> deleted image `payments-api/team/api` (3 artifacts; tags `v1.4.2`, `latest`, `v1.4.1`)',
    );
    expect(second.text).toBe(first.text);
    expect(mrkdwn(partsOf(second, 'context').at(-1)?.text)).toBe(
      'This was already done by <@U0OPERATOR>; it runs only once.',
    );
    expect(second.notify).toBeUndefined();
    expect(vcrChanges(harness, { query: true })).toEqual([
      `DELETE /v1/repository/${paymentsApi}/images/delete?${apiImageQuery}`,
      ...apiDigests.map(
        (digest) =>
          `DELETE /v1/repository/${paymentsApi}/images/artifacts/delete?digest=${encodeURIComponent(digest)}&${apiImageQuery}`,
      ),
      `DELETE /v1/repository/${paymentsApi}/images/delete?${apiImageQuery}`,
    ]);
    expect(imageExists(paymentsApi, 'team/api')).toBe(false);
    expect(artifactsOf(harness, paymentsApi, 'team/api')).toEqual([]);
    expect(imageExists(paymentsApi, 'team/worker')).toBe(true);
  });

  it('deletes the artifacts first, then the image, when vCR refuses the image with a 500', async () => {
    // Prepare: vCR documents no status for refusing an image that still has artifacts (docs/vcr-api.md#still-unknown).
    const preview = await runText(harness, 'image delete payments-api/team/api');
    harness.emulator.inject({
      method: 'DELETE',
      path: `/v1/repository/${paymentsApi}/images/delete`,
      status: 500,
      body: { message: 'Internal Server Error' },
      times: 1,
    });
    harness.emulator.clearRequests();

    // Act
    const reply = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(reply.text).toBe('Deleted image `payments-api/team/api`: 3 artifacts and 3 tags, 534 MB freed.');
    expect(vcrChanges(harness).filter((call) => call.endsWith('/images/artifacts/delete'))).toHaveLength(3);
    expect(imageExists(paymentsApi, 'team/api')).toBe(false);
  });

  it('lets a 500 through and deletes nothing more when vCR refuses an image that has no artifacts', async () => {
    // Prepare
    addImage(harness, sandboxTmp, 'empty/app');
    const preview = await runText(harness, 'image delete sandbox-tmp/empty/app');
    harness.emulator.inject({ method: 'DELETE', path: `/v1/repository/${sandboxTmp}/images/delete`, status: 500 });

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'VcrApiError', status: 500 });
    expect(vcrChanges(harness).filter((call) => call.startsWith('DELETE'))).toHaveLength(1);
    expect(imageExists(sandboxTmp, 'empty/app')).toBe(true);
  });

  it('deletes the image with one call when vCR accepts deleting an image that has artifacts', async () => {
    // Prepare
    const lenient = await startCommandHarness({ imageDeleteRequiresEmpty: false });
    try {
      const preview = await runText(lenient, 'image delete payments-api/team/api');

      // Act
      const reply = await decideAs(lenient, operationIdOf(preview), 'confirm');

      // Assess
      expect(reply.text).toBe('Deleted image `payments-api/team/api`: 3 artifacts and 3 tags, 534 MB freed.');
      expect(partsOf(reply, 'context')).toEqual([]);
      expect(vcrChanges(lenient, { query: true })).toEqual([
        `DELETE /v1/repository/${paymentsApi}/images/delete?${apiImageQuery}`,
      ]);
      expect(artifactsOf(lenient, paymentsApi, 'team/api')).toEqual([]);
    } finally {
      await lenient.close();
    }
  });

  it('deletes an image without artifacts and says only the image went', async () => {
    // Prepare
    addImage(harness, sandboxTmp, 'empty/image');
    const preview = await runText(harness, 'image delete sandbox-tmp/empty/image');

    // Act
    const reply = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(allText(preview)).toContain('It has no artifacts: only the empty image goes.');
    expect(reply.text).toBe('Deleted image `sandbox-tmp/empty/image`: 0 artifacts and 0 tags, 0 B freed.');
    expect(imageExists(sandboxTmp, 'empty/image')).toBe(false);
  });

  it('drops the request and deletes nothing when Cancel is clicked', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');

    // Act
    const cancelled = await decideAs(harness, operationIdOf(preview), 'cancel');
    const lateConfirm = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(cancelled.text).toBe('Cancelled: delete image `payments-api/team/api` (3 artifacts, 3 tags)');
    expect(mrkdwn(lateConfirm.text)).toBe('This request was cancelled by <@U0OPERATOR>; nothing was changed.');
    expect(vcrChanges(harness, { query: true })).toEqual([]);
    expect(artifactsOf(harness, paymentsApi, 'team/api')).toHaveLength(3);
  });

  it('refuses and names the new artifact when one was pushed between preview and confirm', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');
    const pushed = pushArtifact(harness, paymentsApi, 'team/api', ['v1.5.0']);
    harness.emulator.clearRequests();

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      '`payments-api/team/api` changed since the preview. ' +
        `Artifacts: now 4 (was 3); new: \`${pushed.digest.slice(0, 19)}\`. ` +
        'Tags: now 4 (was 3); new: `v1.5.0`. Nothing was deleted; run the command again for a fresh preview.',
    );
    expect(vcrChanges(harness, { query: true })).toEqual([]);
    expect(artifactsOf(harness, paymentsApi, 'team/api')).toHaveLength(4);
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
  });

  it('refuses when a tag was added to an artifact shown in the preview', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');
    addTag(harness, artifactTagged(harness, paymentsApi, 'team/api', 'v1.4.1'), 'hotfix');

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow('Tags: now 4 (was 3); new: `hotfix`. Nothing was deleted');
    expect(vcrChanges(harness, { query: true })).toEqual([]);
  });

  it('says the image is gone when someone else deleted it after the preview', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');
    const { state } = harness.emulator;
    state.images.splice(
      state.images.findIndex((image) => image.repoId === paymentsApi && image.name === 'team/api'),
      1,
    );

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow('The image `payments-api/team/api` no longer exists; nothing was deleted.');
    expect(vcrChanges(harness, { query: true })).toEqual([]);
  });

  it.each([
    ['vCR answers 502', { status: 502 }, 'vCR failed to delete artifact', 'failed'],
    ['vCR refuses with 409', { status: 409, body: { message: 'tag is immutable' } }, 'tag is immutable.', 'failed'],
    ['the connection drops', { dropConnection: true }, 'may or may not have happened', 'outcome_unknown'],
  ] as const)(
    'says which artifacts went and what is still there when %s on the second artifact',
    async (_, fault, why, status) => {
      // Prepare
      addImage(harness, sandboxTmp, 'three/app');
      const artifacts = ['v1', 'v2', 'v3'].map((tag) => pushArtifact(harness, sandboxTmp, 'three/app', [tag]));
      const preview = await runText(harness, 'image delete sandbox-tmp/three/app');
      harness.emulator.inject({
        method: 'DELETE',
        path: /\/images\/artifacts\/delete$/,
        query: { digest: artifacts[1]!.digest },
        ...fault,
      });
      const item = (tag: string) => `artifact \`${artifacts[0]!.digest.slice(0, 19)}\` (\`${tag}\`) of \`three/app\``;

      // Act
      const error = await decideAs(harness, operationIdOf(preview), 'confirm').catch((caught: unknown) => caught);

      // Assess
      expect(error).toMatchObject({
        name: 'PartialFailureError',
        action: 'delete image `sandbox-tmp/three/app`',
        // vCR lists artifacts newest first, and they are deleted in that order.
        done: [item('v3')],
        // The artifact whose answer was lost is neither deleted nor still there.
        unsure: status === 'outcome_unknown' ? [item('v2')] : [],
        remaining: [...(status === 'outcome_unknown' ? [] : [item('v2')]), item('v1'), 'image `sandbox-tmp/three/app`'],
        retry: { command: 'image.delete', args: { ref: `${sandboxTmp}/three/app` } },
      });
      expect((error as PartialFailureError).reason()).toContain(why);
      expect(artifactsOf(harness, sandboxTmp, 'three/app').map((artifact) => artifact.digest)).toEqual([
        artifacts[1]!.digest,
        artifacts[0]!.digest,
      ]);
      const operation = await harness.operations.get(operationIdOf(preview));
      expect(operation?.status).toBe(status);
      expect(operation?.detail).toMatchObject({ done: [item('v3')], failed: item('v2') });
    },
  );

  it('lets the failure through as it is when vCR fails on the first artifact, before anything went', async () => {
    // Prepare
    const preview = await runText(harness, 'image delete payments-api/team/api');
    harness.emulator.inject({
      method: 'DELETE',
      path: `/v1/repository/${paymentsApi}/images/artifacts/delete`,
      status: 500,
    });

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'VcrApiError', status: 500 });
    expect(imageExists(paymentsApi, 'team/api')).toBe(true);
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
  });

  it('lists twenty tags and counts the rest, and pins a hash, when an image has many artifacts', async () => {
    // Prepare
    addImage(harness, sandboxTmp, 'bulk/app');
    for (let index = 0; index < 60; index++) pushArtifact(harness, sandboxTmp, 'bulk/app', [`build-${index}`]);

    // Act
    const reply = await runText(harness, 'image delete sandbox-tmp/bulk/app');

    // Assess
    expect(partsOf(reply, 'text')[0]?.text).toMatch(/^Tags that go: (`build-\d+`, ){19}`build-\d+` and 40 more$/);
    const pin = (await harness.operations.get(operationIdOf(reply)))?.pin;
    expect(pin?.digests).toEqual({ count: 60, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(pin?.tags).toEqual({ count: 60, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('refuses a hashed plan when one artifact was replaced by another', async () => {
    // Prepare
    addImage(harness, sandboxTmp, 'bulk/app');
    for (let index = 0; index < 60; index++) pushArtifact(harness, sandboxTmp, 'bulk/app', [`build-${index}`]);
    const preview = await runText(harness, 'image delete sandbox-tmp/bulk/app');
    const replaced = artifactTagged(harness, sandboxTmp, 'bulk/app', 'build-0');
    replaced.digest = `sha256:${'f'.repeat(64)}`;

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow('Artifacts: now 60 (was 60), not the same ones.');
  });

  it('refuses without a preview when the image has more artifacts than one delete handles', async () => {
    // Prepare
    addImage(harness, sandboxTmp, 'bulk/app');
    const artifacts = Array.from({ length: 501 }, (_, index) => ({
      id: 100_000 + index,
      repoId: sandboxTmp,
      imageName: 'bulk/app',
      digest: `sha256:${index.toString(16).padStart(64, 'b')}`,
      type: 'IMAGE',
      size: 1,
      pushTime: '2025-01-01T00:00:00.000Z',
      pullTime: null,
      tags: [],
    }));
    harness.emulator.state.artifacts.push(...artifacts);

    // Act
    const act = runText(harness, 'image delete sandbox-tmp/bulk/app');

    // Assess
    await expect(act).rejects.toThrow(
      '`sandbox-tmp/bulk/app` has more than 500 artifacts, more than one delete handles.',
    );
    expect(harness.operations.items.size).toBe(0);
  });

  it('opens the preview when the Delete button of the image card is clicked', async () => {
    // Prepare
    const card = await runText(harness, 'image payments-api/team/api', { role: 'viewer' });

    // Act
    const preview = await runButton(harness, actionsOf(card).find((action) => action.label === 'Delete')?.invocation);

    // Assess
    expect(preview.text).toBe(
      'Preview: delete image `payments-api/team/api` (3 artifacts, 3 tags). Nothing is deleted until you confirm.',
    );
  });

  it('refuses a tag and points at artifact delete without calling vCR when REF carries one', () => {
    // Act
    const act = () => parseCommandText('image delete payments-api/team/api:latest');

    // Assess
    expect(act).toThrow(
      '`:latest` is not taken here: this deletes a whole image; `artifact delete REPO/IMAGE:TAG` deletes one artifact.',
    );
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });

  describe('form', () => {
    it('asks for the image with a picker of that repository when only REPO is typed', async () => {
      // Act
      const form = await formFor(harness, 'image delete payments-api');

      // Assess
      expect(form).toEqual({
        title: 'Delete an image',
        submit: 'Preview',
        command: 'image.delete',
        fixedArgs: { repo: paymentsApi },
        fields: [
          {
            kind: 'image',
            name: 'image',
            label: 'Image in payments-api',
            repoId: paymentsApi,
            hint: 'Nothing is deleted yet: the next step shows what goes, with a Delete button.',
          },
        ],
      });
      expect(vcrChanges(harness)).toEqual([]);
    });

    it('opens no form and calls nothing when REF names an image', async () => {
      // Act
      const form = await formFor(harness, 'image delete payments-api/team/api');

      // Assess
      expect(form).toBeUndefined();
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('says at once that there is nothing to pick when the repository has no images', async () => {
      // Act
      const act = formFor(harness, 'image delete sandbox-tmp');

      // Assess
      await expect(act).rejects.toThrow('`sandbox-tmp` has no images.');
    });

    it('previews the picked image and deletes nothing when the form is submitted', async () => {
      // Act
      const reply = await runArgs(harness, 'image.delete', { repo: paymentsApi, image: 'team/api' });

      // Assess
      expect(reply.text).toBe(
        'Preview: delete image `payments-api/team/api` (3 artifacts, 3 tags). Nothing is deleted until you confirm.',
      );
      expect(actionsOf(reply).map((action) => action.label)).toEqual(['Delete team/api', 'Cancel']);
      expect(vcrChanges(harness)).toEqual([]);
      expect(imageExists(paymentsApi, 'team/api')).toBe(true);
    });

    it.each([
      [
        'missing',
        undefined,
        '`payments-api` names no image after the repository: pick one, or write `payments-api/IMAGE`.',
      ],
      [
        'the placeholder of a name too long to pick',
        '!long:0',
        "That image's name is longer than the 75 characters a picker can carry: type `image delete REPO/IMAGE` instead.",
      ],
      [
        'a name with a tag',
        'team/api:latest',
        '`:latest` is not taken here: this deletes a whole image; `artifact delete REPO/IMAGE:TAG` deletes one artifact.',
      ],
    ])('refuses on the image field without calling vCR when the submitted image is %s', async (_, image, message) => {
      // Act
      const act = runArgs(harness, 'image.delete', { repo: 'payments-api', image });

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'image', message });
      expect(vcrCalls(harness)).toEqual([]);
    });
  });

  it('names the unknown image without creating a request', async () => {
    // Act
    const act = runText(harness, 'image delete payments-api/team/nope');

    // Assess
    await expect(act).rejects.toThrow('No image `team/nope` in repository `payments-api`.');
    expect(harness.operations.items.size).toBe(0);
  });

  it('refuses a viewer', async () => {
    // Act
    const act = runText(harness, 'image delete payments-api/team/api', { role: 'viewer' });

    // Assess
    await expect(act).rejects.toThrow('*operator* role');
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });
});
