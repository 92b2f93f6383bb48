import { seedIds } from '../../../local/emulator/seed';
import { fieldBlockId, imagePickerActionId } from '../../../src/slack/ids';
import { users, useSlackHarness } from '../../support/slack-harness';
import { formView } from '../../support/slack-requests';

const h = useSlackHarness();

const { paymentsApi, webFrontend } = seedIds.repositories;

/** The image picker of the form `image delete REPO` (or `image REPO`, with `command` image.show) opens. */
const imagePicker = (repoId: string, command = 'image.delete') => ({
  actionId: imagePickerActionId(repoId),
  blockId: fieldBlockId('image'),
  view: formView(command, { repo: repoId }),
});

const optionValues = (answer: { json?: Record<string, unknown> }) =>
  ((answer.json?.options as { value: string }[] | undefined) ?? []).map((option) => option.value).sort();

describe('onImageOptions', () => {
  it('answers the images of the picker repository only, with one bounded vCR call', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.operator, '', imagePicker(paymentsApi));

    // Assess
    expect(optionValues(answer)).toEqual(['base/node-runtime', 'team/api', 'team/worker']);
    const calls = h.emulator.requests.filter((request) => request.path.startsWith('/v1/'));
    expect(calls.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /v1/repository/${paymentsApi}/images`,
    ]);
    expect(calls[0]?.query).toMatchObject({ name: '', page: '1', size: '50' });
  });

  it('filters by what was typed and lists another repository when the picker names it', async () => {
    // Act
    const answer = await h.suggest(users.operator, 'web', imagePicker(webFrontend));

    // Assess
    expect(answer.json).toEqual({
      options: [{ text: { type: 'plain_text', text: 'web/app', emoji: true }, value: 'web/app' }],
    });
  });

  it('offers the images to a viewer when the form shows an image', async () => {
    // Act
    const answer = await h.suggest(users.viewer, 'team', imagePicker(paymentsApi, 'image.show'));

    // Assess
    expect(optionValues(answer)).toEqual(['team/api', 'team/worker']);
  });

  it('answers no options and calls nothing when a viewer asks from the image delete form', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.viewer, 'team', imagePicker(paymentsApi));

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
  });

  it('offers a name too long for an option value with a placeholder value and a text that says so', async () => {
    // Prepare
    const longName = `team/${'deep-path/'.repeat(8)}service`;
    h.emulator.state.images.push({
      id: 9_000,
      repoId: webFrontend,
      name: longName,
      pullCount: 0,
      updateTime: '2025-01-01T00:00:00.000Z',
    });

    // Act
    const answer = await h.suggest(users.operator, 'team/deep', imagePicker(webFrontend));

    // Assess
    expect(longName.length).toBeGreaterThan(75);
    expect(answer.json).toEqual({
      options: [
        {
          text: {
            type: 'plain_text',
            text: 'team/deep-path/deep-path/deep-path/deep… (too long: type REPO/IMAGE)',
            emoji: true,
          },
          value: '!long:0',
        },
      ],
    });
  });

  it('answers no options and logs a warning when vCR fails', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: `/v1/repository/${paymentsApi}/images`, status: 500, body: {} });

    // Act
    const answer = await h.suggest(users.operator, '', imagePicker(paymentsApi));

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.logs.some((line) => line.includes('"level":"warn"') && line.includes('Image options failed'))).toBe(true);
  });
});
