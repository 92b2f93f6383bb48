import { seededDigest, seedIds } from '../../../local/emulator/seed';
import { parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import {
  actionsOf,
  addTag,
  allText,
  decideAs,
  operationIdOf,
  partsOf,
  rowActionsOf,
  runButton,
  runText,
  vcrCalls,
  vcrChanges,
} from '../../support/command-harness';
import { artifactsOf, artifactTagged } from '../../support/image-harness';
import { mrkdwn } from '../../support/mrkdwn';

const { paymentsApi } = seedIds.repositories;
const apiDigests = [0, 1, 2].map((index) => seededDigest(`payments-api/team/api#${index}`));
const short = (digest: string | undefined) => digest?.slice(0, 19) ?? '';

describe('artifact delete', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const apiDigestsNow = () => artifactsOf(harness, paymentsApi, 'team/api').map((artifact) => artifact.digest);

  it('resolves the tag to its digest, names the other tags that go and pins them when typed', async () => {
    // Act
    const reply = await runText(harness, 'artifact delete payments-api/team/api:latest');

    // Assess
    expect(partsOf(reply, 'header')[0]?.text).toBe('Delete tag latest of team/api?');
    expect(partsOf(reply, 'fields')[0]?.fields).toEqual([
      { label: 'Repository', value: 'payments-api (`10001234-payments-api`)' },
      { label: 'Image', value: '`team/api`' },
      { label: 'Digest', value: `\`${short(apiDigests[0])}\`` },
      { label: 'Size freed', value: '179 MB' },
      { label: 'Pushed', value: '2025-02-20 09:12 UTC' },
      { label: 'Last pulled', value: '2025-03-01 06:40 UTC' },
      { label: 'Tags that go', value: '`v1.4.2`, `latest`' },
    ]);
    expect(partsOf(reply, 'text')[0]?.text).toBe(
      `\`latest\` is on artifact \`${short(apiDigests[0])}\`. vCR deletes the whole artifact, so every tag on it ` +
        'goes with it: also `v1.4.2`.',
    );
    const operationId = operationIdOf(reply);
    expect(actionsOf(reply)).toEqual([
      {
        label: 'Delete team/api:latest',
        style: 'danger',
        decision: { operationId, command: 'artifact.delete', choice: 'confirm' },
        confirm: {
          title: `Delete artifact ${short(apiDigests[0])}?`,
          text: `This deletes artifact ${short(apiDigests[0])} of payments-api/team/api (179 MB) with its tags v1.4.2, latest. It cannot be undone.`,
          confirm: 'Delete',
          deny: 'Keep it',
        },
      },
      { label: 'Cancel', decision: { operationId, command: 'artifact.delete', choice: 'cancel' } },
    ]);
    expect(await harness.operations.get(operationId)).toMatchObject({
      command: 'artifact.delete',
      args: { ref: `${paymentsApi}/team/api:latest` },
      summary: `delete artifact \`${short(apiDigests[0])}\` of \`payments-api/team/api\` (tags \`v1.4.2\`, \`latest\`)`,
      pin: {
        repoId: paymentsApi,
        repoName: 'payments-api',
        imageName: 'team/api',
        digest: apiDigests[0],
        tags: { count: 2, names: ['latest', 'v1.4.2'] },
        tag: 'latest',
      },
    });
    expect(vcrCalls(harness, { query: true }).at(-1)).toBe(
      `GET /v1/repository/${paymentsApi}/images/artifacts?imageName=team%2Fapi&name=latest&page=1&size=100`,
    );
    expect(vcrChanges(harness, { query: true })).toEqual([]);
  });

  it('picks the artifact carrying exactly the tag when other tags contain it', async () => {
    // Act
    const reply = await runText(harness, 'artifact delete payments-api/team/api:v1.4.1');

    // Assess
    expect(partsOf(reply, 'text')[0]?.text).toBe(
      `\`v1.4.1\` is on artifact \`${short(apiDigests[1])}\`, which carries no other tag.`,
    );
  });

  it('previews an untagged artifact when it is named by digest', async () => {
    // Act
    const reply = await runText(harness, `artifact delete payments-api/team/api@${apiDigests[2]}`);

    // Assess
    expect(partsOf(reply, 'header')[0]?.text).toBe(`Delete artifact ${short(apiDigests[2])} of team/api?`);
    expect(allText(reply)).toContain('Tags that go: none (untagged)');
    expect(allText(reply)).toContain(`Artifact \`${short(apiDigests[2])}\` carries no tags.`);
    expect((await harness.operations.get(operationIdOf(reply)))?.pin).toEqual({
      repoId: paymentsApi,
      repoName: 'payments-api',
      imageName: 'team/api',
      digest: apiDigests[2],
      tags: { count: 0, names: [] },
    });
  });

  it('deletes the artifact with all its tags exactly once when the preview is confirmed twice', async () => {
    // Prepare
    const preview = await runText(harness, 'artifact delete payments-api/team/api:latest');
    harness.emulator.clearRequests();

    // Act
    const first = await decideAs(harness, operationIdOf(preview), 'confirm');
    const second = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(first.text).toBe(
      `Deleted artifact \`${short(apiDigests[0])}\` of \`payments-api/team/api\` (tags \`v1.4.2\`, \`latest\`); 179 MB freed.`,
    );
    expect(mrkdwn(first.notify)).toBe(
      `<@U0OPERATOR> deleted artifact \`${short(apiDigests[0])}\` of \`payments-api/team/api\` (tags \`v1.4.2\`, \`latest\`)`,
    );
    expect(second.text).toBe(first.text);
    expect(mrkdwn(partsOf(second, 'context').at(-1)?.text)).toBe(
      'This was already done by <@U0OPERATOR>; it runs only once.',
    );
    expect(second.notify).toBeUndefined();
    expect(vcrChanges(harness, { query: true })).toEqual([
      `DELETE /v1/repository/${paymentsApi}/images/artifacts/delete?digest=${encodeURIComponent(apiDigests[0] ?? '')}&imageName=team%2Fapi`,
    ]);
    expect(apiDigestsNow()).toEqual([apiDigests[1], apiDigests[2]]);
  });

  it('deletes an artifact named by digest when the preview is confirmed', async () => {
    // Prepare
    const preview = await runText(harness, `artifact delete payments-api/team/api@${apiDigests[2]}`);

    // Act
    const reply = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(reply.text).toBe(
      `Deleted artifact \`${short(apiDigests[2])}\` of \`payments-api/team/api\` (untagged); 177 MB freed.`,
    );
    expect(apiDigestsNow()).toEqual([apiDigests[0], apiDigests[1]]);
  });

  it('drops the request and deletes nothing when Cancel is clicked', async () => {
    // Prepare
    const preview = await runText(harness, 'artifact delete payments-api/team/api:latest');

    // Act
    const cancelled = await decideAs(harness, operationIdOf(preview), 'cancel');
    const lateConfirm = await decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    expect(cancelled.text).toBe(
      `Cancelled: delete artifact \`${short(apiDigests[0])}\` of \`payments-api/team/api\` (tags \`v1.4.2\`, \`latest\`)`,
    );
    expect(mrkdwn(lateConfirm.text)).toBe('This request was cancelled by <@U0OPERATOR>; nothing was changed.');
    expect(vcrChanges(harness, { query: true })).toEqual([]);
    expect(apiDigestsNow()).toEqual(apiDigests);
  });

  it('refuses and shows where the tag points now when it moved between preview and confirm', async () => {
    // Prepare
    const preview = await runText(harness, 'artifact delete payments-api/team/api:latest');
    const from = artifactTagged(harness, paymentsApi, 'team/api', 'latest');
    from.tags = from.tags.filter((tag) => tag.name !== 'latest');
    addTag(harness, artifactTagged(harness, paymentsApi, 'team/api', 'v1.4.1'), 'latest');
    harness.emulator.clearRequests();

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      `The tag \`latest\` moved since the preview: it now points to artifact \`${short(apiDigests[1])}\` ` +
        `(tags \`v1.4.1\`, \`latest\`), not \`${short(apiDigests[0])}\`. Nothing was deleted; run the command again for a fresh preview.`,
    );
    expect(vcrChanges(harness, { query: true })).toEqual([]);
    expect(apiDigestsNow()).toEqual(apiDigests);
    expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
  });

  it('refuses when the tag was removed between preview and confirm', async () => {
    // Prepare
    const preview = await runText(harness, 'artifact delete payments-api/team/api:v1.4.1');
    const tagged = artifactTagged(harness, paymentsApi, 'team/api', 'v1.4.1');
    tagged.tags = [];

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      'The tag `v1.4.1` is no longer in `payments-api/team/api`; nothing was deleted. Try `/vcr tags payments-api/team/api`.',
    );
    expect(apiDigestsNow()).toEqual(apiDigests);
  });

  it('refuses and names the new tag when one was added to the digest between preview and confirm', async () => {
    // Prepare
    const preview = await runText(harness, `artifact delete payments-api/team/api@${apiDigests[0]}`);
    addTag(harness, artifactTagged(harness, paymentsApi, 'team/api', 'latest'), 'prod');

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      `The tags on artifact \`${short(apiDigests[0])}\` of \`payments-api/team/api\` changed since the preview: ` +
        'now 3 (was 2); new: `prod`. Nothing was deleted; run the command again for a fresh preview.',
    );
    expect(vcrChanges(harness, { query: true })).toEqual([]);
  });

  it('says the artifact is gone when someone else deleted it after the preview', async () => {
    // Prepare
    const preview = await runText(harness, `artifact delete payments-api/team/api@${apiDigests[2]}`);
    const { state } = harness.emulator;
    state.artifacts.splice(
      state.artifacts.findIndex((artifact) => artifact.digest === apiDigests[2]),
      1,
    );

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      `The artifact \`${short(apiDigests[2])}\` of \`payments-api/team/api\` no longer exists; nothing was deleted.`,
    );
    expect(vcrChanges(harness, { query: true })).toEqual([]);
  });

  it("shows vCR's words when vCR refuses the delete", async () => {
    // Prepare
    const preview = await runText(harness, 'artifact delete payments-api/team/api:v1.4.1');
    harness.emulator.inject({
      method: 'DELETE',
      path: `/v1/repository/${paymentsApi}/images/artifacts/delete`,
      status: 400,
      body: { message: 'Artifact is immutable' },
    });

    // Act
    const act = decideAs(harness, operationIdOf(preview), 'confirm');

    // Assess
    await expect(act).rejects.toThrow(
      `Could not delete artifact \`${short(apiDigests[1])}\` of \`payments-api/team/api\`: vCR said: Artifact is immutable.`,
    );
  });

  it('opens the preview by digest when the Delete button of a tags row is clicked', async () => {
    // Prepare
    const tags = await runText(harness, 'tags payments-api/team/api', { role: 'viewer' });

    // Act
    const preview = await runButton(harness, rowActionsOf(tags)[1]?.invocation);

    // Assess
    expect((await harness.operations.get(operationIdOf(preview)))?.pin).toMatchObject({ digest: apiDigests[1] });
  });

  it('names both ways to name an artifact without calling vCR when REF has neither tag nor digest', () => {
    // Act
    const act = () => parseCommandText('artifact delete payments-api/team/api');

    // Assess
    expect(act).toThrow(
      '`payments-api/team/api` names a whole image: add `:TAG` or `@sha256:DIGEST` to name one artifact',
    );
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });

  it('names the digest rule without calling vCR when the digest is malformed', () => {
    // Act
    const act = () => parseCommandText('artifact delete payments-api/team/api@sha256:XYZ');

    // Assess
    expect(act).toThrow(
      '`sha256:XYZ` is not a digest: it is `sha256:` followed by its 64 hex digits, or at least the first 12 of them.',
    );
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });

  it('previews and pins the whole digest when REF has the short digest replies show', async () => {
    // Act
    const reply = await runText(harness, `artifact delete payments-api/team/api@${short(apiDigests[1])}`);

    // Assess
    const operation = await harness.operations.get(operationIdOf(reply));
    expect(operation?.pin).toMatchObject({ digest: apiDigests[1] });
    expect(operation?.args).toEqual({ ref: `${paymentsApi}/team/api@${apiDigests[1]}` });
    expect(apiDigestsNow()).toContain(apiDigests[1]);
  });

  it('names the unknown tag and where to look when no artifact carries it', async () => {
    // Act
    const act = runText(harness, 'artifact delete payments-api/team/api:v9');

    // Assess
    await expect(act).rejects.toThrow('No tag `v9` in `payments-api/team/api`. Try `/vcr tags payments-api/team/api`.');
    expect(harness.operations.items.size).toBe(0);
  });

  it('names the unknown digest when the image has no such artifact', async () => {
    // Act
    const act = runText(harness, `artifact delete payments-api/team/api@sha256:${'0'.repeat(64)}`);

    // Assess
    await expect(act).rejects.toThrow('No artifact `sha256:000000000000` in `payments-api/team/api`.');
  });

  it('names the unknown image', async () => {
    // Act
    const act = runText(harness, 'artifact delete payments-api/team/nope:latest');

    // Assess
    await expect(act).rejects.toThrow('No image `team/nope` in repository `payments-api`.');
  });

  it('refuses a viewer', async () => {
    // Act
    const act = runText(harness, 'artifact delete payments-api/team/api:latest', { role: 'viewer' });

    // Assess
    await expect(act).rejects.toThrow('*operator* role');
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });
});
