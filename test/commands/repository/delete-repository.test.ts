import { randomBytes, randomUUID } from 'node:crypto';
import { seedIds } from '../../../local/emulator/seed';
import { startVcrEmulator } from '../../../local/emulator/vcr-emulator';
import { PartialFailureError } from '../../../src/commands/partial-failure';
import { parseCommandText } from '../../../src/commands/registry';
import { decide, runInvocation } from '../../../src/commands/runner';
import { createVcrClient } from '../../../src/vcr/client';
import { createTokenProvider } from '../../../src/vcr/token';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import {
  actionsOf,
  addImage,
  allText,
  answerOnePage,
  decideAs,
  operationIdOf,
  partsOf,
  pushArtifact,
  pushImage,
  runButton,
  runText,
  vcrCalls,
} from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

const { paymentsApi, sandboxTmp } = seedIds.repositories;

describe('repo delete', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const state = () => harness.emulator.state;
  const repositoryExists = (repoId: string) => state().repositories.some((repo) => repo.uuid === repoId);
  const imagesIn = (repoId: string) =>
    state()
      .images.filter((image) => image.repoId === repoId)
      .map((i) => i.name);
  const changes = () => vcrCalls(harness).filter((call) => !call.startsWith('GET'));

  describe('an empty repository', () => {
    it('previews what goes and changes nothing when typed', async () => {
      // Act
      const reply = await runText(harness, 'repo delete sandbox-tmp');

      // Assess
      expect(partsOf(reply, 'fields')[0]?.fields).toEqual([
        { label: 'Repository', value: 'sandbox-tmp (`10001234-sandbox-tmp`)' },
        { label: 'Images', value: '0' },
        { label: 'Artifacts', value: '0' },
        { label: 'Size', value: '0 B' },
        { label: 'Attached users (lose access)', value: 'none' },
        { label: 'Quota freed', value: '5 GB' },
      ]);
      expect(actionsOf(reply)).toEqual([
        {
          label: 'Delete sandbox-tmp',
          style: 'danger',
          decision: { operationId: operationIdOf(reply), command: 'repo.delete', choice: 'confirm' },
          confirm: {
            title: 'Delete repository sandbox-tmp?',
            text: 'This deletes the repository sandbox-tmp and frees its 5 GB quota. It cannot be undone.',
            confirm: 'Delete',
            deny: 'Keep it',
          },
        },
        { label: 'Cancel', decision: { operationId: operationIdOf(reply), command: 'repo.delete', choice: 'cancel' } },
      ]);
      const operation = await harness.operations.get(operationIdOf(reply));
      expect(operation).toMatchObject({
        command: 'repo.delete',
        status: 'requested',
        requestedBy: 'U0OPERATOR',
        channelId: 'C0CHANNEL',
        summary: 'delete repository `sandbox-tmp`',
        pin: { repoId: sandboxTmp, repoName: 'sandbox-tmp', imageCount: 0, artifactCount: 0, imageNames: [] },
      });
      expect(repositoryExists(sandboxTmp)).toBe(true);
      expect(changes()).toEqual([]);
    });

    it('deletes the repository exactly once when the preview is confirmed twice', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete sandbox-tmp');
      harness.emulator.clearRequests();

      // Act
      const first = await decideAs(harness, operationIdOf(preview), 'confirm');
      const second = await decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      expect(first.text).toBe('Deleted repository `sandbox-tmp`; 5 GB of quota freed.');
      expect(mrkdwn(first.notify)).toBe('<@U0OPERATOR> deleted repository `sandbox-tmp`');
      expect(first.replaceOriginal).toBe(true);
      expect(second.text).toBe(first.text);
      expect(mrkdwn(partsOf(second, 'context').at(-1)?.text)).toBe(
        'This was already done by <@U0OPERATOR>; it runs only once.',
      );
      expect(second.notify).toBeUndefined();
      expect(repositoryExists(sandboxTmp)).toBe(false);
      expect(changes()).toEqual([`DELETE /v1/repository/${sandboxTmp}`]);
    });

    it('drops the request and deletes nothing when Cancel is clicked', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete sandbox-tmp');

      // Act
      const cancelled = await decideAs(harness, operationIdOf(preview), 'cancel');
      const lateConfirm = await decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      expect(cancelled.text).toBe('Cancelled: delete repository `sandbox-tmp`');
      expect(mrkdwn(lateConfirm.text)).toBe('This request was cancelled by <@U0OPERATOR>; nothing was changed.');
      expect(repositoryExists(sandboxTmp)).toBe(true);
      expect(changes()).toEqual([]);
    });

    it('refuses and shows the new image when an image was pushed after the preview', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete sandbox-tmp');
      pushImage(harness, sandboxTmp, 'late/push');

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow(
        '`sandbox-tmp` changed since the preview: it now holds 1 image (was 0); new: `late/push`. ' +
          'Nothing was deleted; run the command again for a fresh preview.',
      );
      expect(repositoryExists(sandboxTmp)).toBe(true);
      expect(imagesIn(sandboxTmp)).toEqual(['late/push']);
      expect(changes()).toEqual([]);
      expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
    });

    it('says it is gone when someone else deleted it after the preview', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete sandbox-tmp');
      state().repositories.splice(
        state().repositories.findIndex((repo) => repo.uuid === sandboxTmp),
        1,
      );

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow('The repository `sandbox-tmp` no longer exists; nothing was deleted.');
    });
  });

  describe('a repository with images', () => {
    it('says it must be empty, suggests --force and offers no confirm button when --force is not given', async () => {
      // Act
      const reply = await runText(harness, 'repo delete payments-api');

      // Assess
      expect(allText(reply)).toContain(
        '`payments-api` still holds 3 images, and vCR deletes only empty repositories, so nothing can be confirmed. ' +
          'Run `/vcr repo delete payments-api --force`',
      );
      expect(allText(reply)).toContain('Attached users (lose access): `ci-deployer` (push), `qa-reader` (pull)');
      expect(actionsOf(reply)).toEqual([
        {
          label: 'Plan with --force',
          invocation: { command: 'repo.delete', args: { repo: paymentsApi, force: true } },
        },
      ]);
      expect(harness.operations.items.size).toBe(0);
      expect(changes()).toEqual([]);
    });

    it('plans deleting every image then the repository and pins them when --force is given', async () => {
      // Act
      const reply = await runText(harness, 'repo delete payments-api --force');

      // Assess
      expect(partsOf(reply, 'text')[0]?.text).toBe(
        '1. Delete 3 images with their 6 artifacts: `team/worker`, `team/api`, `base/node-runtime`\n' +
          '2. Delete the repository `payments-api`.',
      );
      expect(allText(reply)).toContain('Size: 764 MB');
      expect(allText(reply)).toContain('Quota freed: 20 GB');
      const operation = await harness.operations.get(operationIdOf(reply));
      expect(operation?.pin).toEqual({
        repoId: paymentsApi,
        repoName: 'payments-api',
        imageCount: 3,
        artifactCount: 6,
        imageNames: ['base/node-runtime', 'team/api', 'team/worker'],
      });
      expect(operation?.summary).toBe('delete repository `payments-api` and its 3 images');
      expect(changes()).toEqual([]);
    });

    it('deletes artifacts, images and then the repository once when the forced plan is confirmed', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete payments-api --force');
      harness.emulator.clearRequests();

      // Act
      const reply = await decideAs(harness, operationIdOf(preview), 'confirm');
      const again = await decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      expect(reply.text).toBe('Deleted repository `payments-api` and its 3 images; 20 GB of quota freed.');
      expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> deleted repository `payments-api` and its 3 images');
      expect(again.text).toBe(reply.text);
      expect(allText(again)).toContain('This was already done by <@U0OPERATOR>; it runs only once.');
      expect(again.notify).toBeUndefined();
      expect(repositoryExists(paymentsApi)).toBe(false);
      expect(state().artifacts.filter((artifact) => artifact.repoId === paymentsApi)).toEqual([]);
      const deletes = changes();
      expect(deletes.filter((call) => call.endsWith('/images/artifacts/delete'))).toHaveLength(6);
      // The first image delete is refused for its artifacts; the other images go artifacts first straight away.
      expect(deletes.filter((call) => call.endsWith('/images/delete'))).toHaveLength(4);
      expect(deletes.at(-1)).toBe(`DELETE /v1/repository/${paymentsApi}`);
      expect(deletes.filter((call) => call === `DELETE /v1/repository/${paymentsApi}`)).toHaveLength(1);
    });

    it('deletes images without their artifacts first when vCR accepts deleting an image with artifacts', async () => {
      // Prepare
      const credentials = { clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url') };
      const lenient = await startVcrEmulator({ port: 0, imageDeleteRequiresEmpty: false, ...credentials });
      try {
        const tokens = createTokenProvider({
          iamUrl: lenient.iamUrl,
          credentials: async () => credentials,
        });
        const vcr = createVcrClient({ baseUrl: lenient.url, tokens, backoffMs: 1 });
        const preview = await runInvocation(
          { ...harness.context(), vcr },
          parseCommandText('repo delete payments-api --force'),
          { key: randomUUID() },
        );
        const operation = await harness.operations.get(operationIdOf(preview));
        if (!operation) throw new Error('the preview stored no operation');

        // Act
        const reply = await decide({ ...harness.context(), vcr }, operation, 'confirm');

        // Assess
        expect(reply.text).toBe('Deleted repository `payments-api` and its 3 images; 20 GB of quota freed.');
        const calls = lenient.requests.filter((request) => request.method === 'DELETE').map((request) => request.path);
        expect(calls).toEqual([
          `/v1/repository/${paymentsApi}/images/delete`,
          `/v1/repository/${paymentsApi}/images/delete`,
          `/v1/repository/${paymentsApi}/images/delete`,
          `/v1/repository/${paymentsApi}`,
        ]);
      } finally {
        await lenient.close();
      }
    });

    describe('a forced delete that fails on the third of four images', () => {
      /** Four images of one artifact each in the empty sandbox, listed in this order by vCR. */
      const fourImages = () => {
        for (const name of ['img/a', 'img/b', 'img/c', 'img/d']) pushImage(harness, sandboxTmp, name);
      };
      const artifactOf = (imageName: string) =>
        state().artifacts.find((artifact) => artifact.repoId === sandboxTmp && artifact.imageName === imageName)!;

      it.each([
        ['vCR answers 500', { status: 500 }, 'vCR failed to delete artifact', 'failed'],
        [
          'vCR refuses with 400',
          { status: 400, body: { message: 'artifact is locked' } },
          'vCR refused to delete artifact',
          'failed',
        ],
        ['the connection drops', { dropConnection: true }, 'so that may or may not have happened', 'outcome_unknown'],
      ] as const)(
        'says what went and what is still there, and records both, when %s',
        async (_, fault, why, status) => {
          // Prepare
          fourImages();
          const preview = await runText(harness, 'repo delete sandbox-tmp --force');
          const shortC = artifactOf('img/c').digest.slice(0, 19);
          harness.emulator.inject({
            method: 'DELETE',
            path: /\/images\/artifacts\/delete$/,
            query: { imageName: 'img/c' },
            ...fault,
          });

          // Act
          const error = await decideAs(harness, operationIdOf(preview), 'confirm').catch((caught: unknown) => caught);

          // Assess
          expect(error).toBeInstanceOf(PartialFailureError);
          const partial = error as PartialFailureError;
          expect(partial.action).toBe('delete repository `sandbox-tmp` and its 4 images');
          expect(partial.done).toEqual(['image `img/a`', 'image `img/b`']);
          // A step whose answer was lost is neither done nor still there: it is unsure.
          const artifactC = `artifact \`${shortC}\` (untagged) of \`img/c\``;
          const unsure = status === 'outcome_unknown' ? [artifactC] : [];
          expect(partial.unsure).toEqual(unsure);
          expect(partial.remaining).toEqual([
            ...(unsure.length > 0 ? [] : [artifactC]),
            'image `img/c`',
            'image `img/d`',
            'repository `sandbox-tmp`',
          ]);
          expect(partial.reason()).toContain(why);
          expect(partial.retry).toEqual({ command: 'repo.delete', args: { repo: sandboxTmp, force: true } });
          expect(imagesIn(sandboxTmp)).toEqual(['img/c', 'img/d']);
          expect(repositoryExists(sandboxTmp)).toBe(true);
          const operation = await harness.operations.get(operationIdOf(preview));
          expect(operation?.status).toBe(status);
          expect(operation?.detail).toMatchObject({
            kind: 'PartialFailureError',
            done: ['image `img/a`', 'image `img/b`'],
            remaining: partial.remaining,
            unsure,
            message: expect.stringContaining(
              unsure.length > 0
                ? `Deleted: image \`img/a\`, image \`img/b\`. May or may not be deleted: ${artifactC}. Still there: image`
                : 'Deleted: image `img/a`, image `img/b`. Still there: artifact',
            ),
          });
        },
      );

      it('previews only what is left when its fresh preview runs', async () => {
        // Prepare
        fourImages();
        const preview = await runText(harness, 'repo delete sandbox-tmp --force');
        harness.emulator.inject({
          method: 'DELETE',
          path: /\/images\/delete$/,
          query: { imageName: 'img/c' },
          status: 500,
        });
        const partial = (await decideAs(harness, operationIdOf(preview), 'confirm').catch(
          (caught: unknown) => caught,
        )) as PartialFailureError;
        harness.emulator.clearFaults();

        // Act
        const fresh = await runButton(harness, partial.retry);

        // Assess
        expect(partial.remaining).toEqual(['image `img/c`', 'image `img/d`', 'repository `sandbox-tmp`']);
        expect(allText(fresh)).toContain('1. Delete 2 images with their 1 artifact: `img/c`, `img/d`');
        expect(operationIdOf(fresh)).not.toBe(operationIdOf(preview));
      });

      it('says the images went and the repository is still there when the last step fails', async () => {
        // Prepare
        fourImages();
        const preview = await runText(harness, 'repo delete sandbox-tmp --force');
        harness.emulator.inject({ method: 'DELETE', path: `/v1/repository/${sandboxTmp}`, status: 503 });

        // Act
        const error = await decideAs(harness, operationIdOf(preview), 'confirm').catch((caught: unknown) => caught);

        // Assess
        expect(error).toMatchObject({
          name: 'PartialFailureError',
          done: ['image `img/a`', 'image `img/b`', 'image `img/c`', 'image `img/d`'],
          remaining: ['repository `sandbox-tmp`'],
        });
        expect((error as PartialFailureError).reason()).toBe(
          'vCR failed to delete repository `sandbox-tmp` (it said 503).',
        );
      });
    });

    it('lets the failure through as it is when vCR fails before anything was deleted', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete payments-api --force');
      harness.emulator.inject({
        method: 'DELETE',
        path: `/v1/repository/${paymentsApi}/images/artifacts/delete`,
        status: 500,
      });

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'VcrApiError', status: 500 });
      expect(repositoryExists(paymentsApi)).toBe(true);
      expect((await harness.operations.get(operationIdOf(preview)))?.status).toBe('failed');
    });

    it('records what went and what stayed when it fails part-way', async () => {
      // Prepare: vCR refuses the first image for its artifacts, deletes them, then fails the image itself.
      const preview = await runText(harness, 'repo delete payments-api --force');
      const id = operationIdOf(preview);
      harness.emulator.inject({ method: 'DELETE', path: /\/images\/delete$/, status: 500, times: 2 });

      // Act
      const act = decideAs(harness, id, 'confirm');

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'PartialFailureError' });
      // The images go in vCR's list order, team/worker first: its two artifacts went, then vCR failed the image.
      const partial = expect.objectContaining({
        changed: [
          expect.stringMatching(/^artifact `sha256:\w+` .* of `team\/worker`$/),
          expect.stringMatching(/^artifact `sha256:\w+` .* of `team\/worker`$/),
        ],
        unchanged: expect.arrayContaining([
          'image `team/worker`',
          'image `team/api`',
          'image `base/node-runtime`',
          'repository `payments-api`',
        ]),
      });
      expect((await harness.operations.get(id))?.detail?.partial).toEqual(partial);
      expect(harness.audit.records).toEqual([
        expect.objectContaining({
          outcome: 'partial',
          requestId: id,
          partial,
          vcr: expect.objectContaining({ status: 500 }),
        }),
      ]);
      expect(repositoryExists(paymentsApi)).toBe(true);
    });

    it('refuses and names the new image when one was pushed between preview and confirm', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete payments-api --force');
      pushImage(harness, paymentsApi, 'team/new');
      harness.emulator.clearRequests();

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow(
        '`payments-api` changed since the preview: it now holds 4 images (was 3); new: `team/new`. Nothing was deleted',
      );
      expect(imagesIn(paymentsApi)).toHaveLength(4);
      expect(repositoryExists(paymentsApi)).toBe(true);
      expect(changes()).toEqual([]);
    });

    it('refuses when a new artifact was pushed onto an image shown in the preview', async () => {
      // Prepare
      const preview = await runText(harness, 'repo delete payments-api --force');
      pushArtifact(harness, paymentsApi, 'team/api');

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow('its images now hold 7 artifacts (was 6)');
      expect(changes()).toEqual([]);
    });

    it('names ten images and counts the rest, and pins a hash, when there are many', async () => {
      // Prepare
      for (let index = 0; index < 60; index++)
        pushImage(harness, sandboxTmp, `bulk/image-${String(index).padStart(2, '0')}`);

      // Act
      const reply = await runText(harness, 'repo delete sandbox-tmp --force');

      // Assess
      expect(partsOf(reply, 'text')[0]?.text).toMatch(
        /^1\. Delete 60 images with their 60 artifacts: (`bulk\/image-\d\d`, ){9}`bulk\/image-\d\d` and 50 more\n/,
      );
      const pin = (await harness.operations.get(operationIdOf(reply)))?.pin;
      expect(pin).toMatchObject({
        repoId: sandboxTmp,
        imageCount: 60,
        imageNamesHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(pin?.imageNames).toBeUndefined();
    });

    it('refuses a hashed plan when an image was replaced by another of a different name', async () => {
      // Prepare
      for (let index = 0; index < 60; index++)
        pushImage(harness, sandboxTmp, `bulk/image-${String(index).padStart(2, '0')}`);
      const preview = await runText(harness, 'repo delete sandbox-tmp --force');
      const replaced = state().images.find((image) => image.name === 'bulk/image-00');
      if (replaced) replaced.name = 'bulk/other-00';
      for (const artifact of state().artifacts)
        if (artifact.imageName === 'bulk/image-00') artifact.imageName = 'bulk/other-00';

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow('it now holds 60 images (was 60), with other names');
    });

    it('refuses a forced delete without a preview when there are more images than it handles', async () => {
      // Prepare
      for (let index = 0; index < 201; index++) {
        state().images.push({
          id: 10_000 + index,
          repoId: sandboxTmp,
          name: `many/i${index}`,
          pullCount: 0,
          updateTime: '2025-01-01T00:00:00Z',
        });
      }

      // Act
      const act = runText(harness, 'repo delete sandbox-tmp --force');

      // Assess
      await expect(act).rejects.toThrow('`sandbox-tmp` holds 201 images, more than the 200 a forced delete handles.');
      expect(harness.operations.items.size).toBe(0);
    });

    it('refuses a forced delete without a preview when the images hold more artifacts than it handles', async () => {
      // Prepare
      for (let index = 0; index < 501; index++)
        pushArtifact(harness, sandboxTmp, index % 2 === 0 ? 'bulk/a' : 'bulk/b');
      addImage(harness, sandboxTmp, 'bulk/a');
      addImage(harness, sandboxTmp, 'bulk/b');

      // Act
      const act = runText(harness, 'repo delete sandbox-tmp --force');

      // Assess
      await expect(act).rejects.toThrow(
        'The images of `sandbox-tmp` hold more than 500 artifacts, more than a forced delete handles. Delete some ' +
          'images first (`/vcr image delete` or the vCR console), then run this again.',
      );
      expect(harness.operations.items.size).toBe(0);
      expect(changes()).toEqual([]);
    });

    it('counts and pins the artifacts of an image by reading them when vCR lists the image without a count', async () => {
      // Prepare
      pushImage(harness, sandboxTmp, 'bulk/a');
      pushArtifact(harness, sandboxTmp, 'bulk/a');
      pushArtifact(harness, sandboxTmp, 'bulk/a');
      answerOnePage(harness, `/v1/repository/${sandboxTmp}/images`, [
        { name: 'bulk/a', pullCount: 0, updateTime: '2025-01-01T00:00:00Z' },
      ]);

      // Act
      const reply = await runText(harness, 'repo delete sandbox-tmp --force');

      // Assess
      expect(partsOf(reply, 'text')[0]?.text).toMatch(/^1\. Delete 1 image with their 3 artifacts: `bulk\/a`\n/);
      expect((await harness.operations.get(operationIdOf(reply)))?.pin).toMatchObject({
        imageCount: 1,
        artifactCount: 3,
      });
      expect(vcrCalls(harness)).toContain(`GET /v1/repository/${sandboxTmp}/images/artifacts`);
    });

    it('refuses and deletes nothing when the images hold more artifacts than it handles at the click', async () => {
      // Prepare
      pushImage(harness, sandboxTmp, 'bulk/a');
      const preview = await runText(harness, 'repo delete sandbox-tmp --force');
      for (let index = 0; index < 500; index++) pushArtifact(harness, sandboxTmp, 'bulk/a');

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow(
        '`sandbox-tmp` changed since the preview: its images now hold more than 500 artifacts (was 1). Nothing was deleted',
      );
      expect(changes()).toEqual([]);
    });

    it('stops before deleting any artifact when vCR undercounted them and they are more than it handles', async () => {
      // Prepare
      pushImage(harness, sandboxTmp, 'bulk/a');
      for (let index = 0; index < 500; index++) pushArtifact(harness, sandboxTmp, 'bulk/a');
      answerOnePage(harness, `/v1/repository/${sandboxTmp}/images`, [
        { name: 'bulk/a', artifactCount: 1, pullCount: 0, updateTime: '2025-01-01T00:00:00Z' },
      ]);
      const preview = await runText(harness, 'repo delete sandbox-tmp --force');

      // Act
      const act = decideAs(harness, operationIdOf(preview), 'confirm');

      // Assess
      await expect(act).rejects.toThrow(
        '`sandbox-tmp/bulk/a` has more artifacts than the 500 in all one delete handles.',
      );
      expect(changes().filter((call) => call.endsWith('/images/artifacts/delete'))).toEqual([]);
      expect(repositoryExists(sandboxTmp)).toBe(true);
    });

    it('opens the forced plan when the button of the refusal is clicked', async () => {
      // Prepare
      const refusal = await runText(harness, 'repo delete payments-api');
      const button = actionsOf(refusal)[0];

      // Act
      const plan = await runButton(harness, button?.invocation);

      // Assess
      expect(operationIdOf(plan)).toEqual(expect.any(String));
      expect(changes()).toEqual([]);
    });
  });

  it('says the repository is unknown when it is', async () => {
    // Act
    const act = runText(harness, 'repo delete no-such-repo --force');

    // Assess
    await expect(act).rejects.toThrow('No repository named `no-such-repo`.');
  });

  it('refuses an unknown option without calling vCR when one is typed', async () => {
    // Act
    const act = () => parseCommandText('repo delete payments-api --forse');

    // Assess
    expect(act).toThrow('Unknown option `--forse`.');
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('refuses when a viewer asks for a preview', async () => {
    // Act
    const act = runText(harness, 'repo delete sandbox-tmp', { role: 'viewer' });

    // Assess
    await expect(act).rejects.toThrow('*operator* role');
    expect(harness.operations.items.size).toBe(0);
  });
});
