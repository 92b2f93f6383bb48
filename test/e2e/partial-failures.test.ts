/**
 * Issue 8 §7: a delete of several steps that fails part-way says what was deleted and what is still there, in the
 * reply, the operation record and the notification, whatever vCR's error; a fresh preview shows only what is left.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { pushImage } from '../support/command-harness';
import { buttonIn, type E2eHarness, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const { operator } = e2eUsers;
const { sandboxTmp } = seedIds.repositories;
const notifyChannel = 'C0AUDIT';

const storeOf = (harness: E2eHarness) =>
  createDynamoOperationStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });
const notifications = (harness: E2eHarness) =>
  harness
    .callsOf('chat.postMessage')
    .filter((call) => call.channel === notifyChannel)
    .map((call) => String(call.text));

describe('a forced repository delete that fails on the third of four images', () => {
  const harness = useE2eHarness({ env: { VCR_NOTIFY_CHANNEL: notifyChannel, VCR_TIMEOUT_MS: '300' } });

  it.each([
    ['vCR answers 500', { status: 500 }, 'vCR failed to delete artifact'],
    [
      'vCR refuses with 400',
      { status: 400, body: { message: 'artifact is being scanned' } },
      'artifact is being scanned',
    ],
    ['vCR does not answer in time', { delayMs: 600 }, 'may or may not have happened'],
  ] as const)(
    'says what went and what is still there when %s, and previews only what is left',
    async (_, fault, why) => {
      // Prepare: four images of one artifact each, in an empty repository.
      for (const name of ['img/a', 'img/b', 'img/c', 'img/d']) pushImage(harness, sandboxTmp, name);
      const preview = await harness.reply('repo delete sandbox-tmp --force', operator);
      const operationId = JSON.parse(buttonIn(preview, 'Delete').value!).op as string;
      harness.emulator.inject({
        method: 'DELETE',
        path: /\/images\/artifacts\/delete$/,
        query: { imageName: 'img/c' },
        ...fault,
        times: 1,
      });
      const notifiedBefore = notifications(harness).length;

      // Act
      const click = await harness.click(buttonIn(preview, 'Delete'), operator);
      await harness.settle();
      const answer = harness.posted(click.responseUrl).at(-1);
      const fresh = await harness.click(buttonIn(answer, 'Fresh preview'), operator);
      await harness.settle();

      // Assess
      const text = readableText(answer);
      expect(text).toMatch(
        /^Delete repository `sandbox-tmp` and its 4 images stopped part-way \(ref `[0-9a-f]{8}`\)\. /,
      );
      expect(text).toContain(why);
      expect(text).toContain('Deleted: image `img/a`, image `img/b`.');
      // A step whose answer was lost is neither deleted nor still there, in the reply and the notice alike.
      const artifactC = 'artifact `sha256:[0-9a-f]{12}` \\(untagged\\) of `img/c`';
      const rest = 'image `img/c`, image `img/d`, repository `sandbox-tmp`';
      const state =
        why === 'may or may not have happened'
          ? `May or may not be deleted: ${artifactC}\\.\\s+Still there: ${rest}`
          : `Still there: ${artifactC}, ${rest}`;
      expect(text).toMatch(new RegExp(`Deleted: image \`img/a\`, image \`img/b\`\\.\\s+${state}\\.`));
      const record = await storeOf(harness).get(operationId);
      expect(record?.detail).toMatchObject({
        kind: 'PartialFailureError',
        done: ['image `img/a`', 'image `img/b`'],
        remaining: expect.arrayContaining(['image `img/c`', 'image `img/d`', 'repository `sandbox-tmp`']),
      });
      expect(notifications(harness).slice(notifiedBefore)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^<@U0OPERATOR>: delete repository \`sandbox-tmp\` and its 4 images stopped part-way\\. Deleted: image \`img/a\`, image \`img/b\`\\. ${state}\\.$`,
          ),
        ),
      ]);
      const freshText = readableText(harness.posted(fresh.responseUrl).at(-1));
      expect(freshText).toContain('Delete 2 images with their');
      expect(freshText).toContain('`img/c`, `img/d`');
      expect(freshText).not.toContain('img/a');

      // Clean up for the next case: the images left go, the emptied repository stays.
      const { images, artifacts } = harness.emulator.state;
      for (const list of [images, artifacts]) {
        for (let index = list.length - 1; index >= 0; index -= 1)
          if (list[index]!.repoId === sandboxTmp) list.splice(index, 1);
      }
    },
  );
});
