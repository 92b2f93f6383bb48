import { seedIds } from '../../local/emulator/seed';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { pickerIn } from '../support/slack-requests';

const harness = useE2eHarness();

const { sandboxTmp, webFrontend, paymentsApi } = seedIds.repositories;
// Minting an IAM token is a POST too, but it changes nothing on vCR.
const writes = () =>
  harness.emulator.requests.filter((request) => request.method !== 'GET' && !request.path.startsWith('/accounts-api/'));
const requestsTo = (method: string, path: string) =>
  harness.emulator.requests.filter((request) => request.method === method && request.path === path);

/** Types a destructive command and returns its preview, checking that nothing changed on vCR yet. */
async function preview(text: string, userId: string = e2eUsers.operator): Promise<Record<string, unknown>> {
  const writesBefore = writes().length;
  const reply = await harness.reply(text, userId);
  expect(writes().length).toBe(writesBefore);
  return reply;
}

describe('repo delete', () => {
  it('shows what goes and a red button with a confirm dialog when repo delete is typed', async () => {
    // Prepare
    const text = 'repo delete sandbox-tmp';

    // Act
    const reply = await preview(text);

    // Assess
    expect(readableText(reply)).toContain('Quota freed');
    const confirm = buttonIn(reply, 'Delete');
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toMatchObject({ style: 'danger', confirm: { text: expect.any(String) } });
    expect(buttonIn(reply, 'Cancel').style).toBeUndefined();
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(true);
  });

  it('deletes nothing and says so when Cancel is clicked', async () => {
    // Prepare
    const reply = await preview('repo delete sandbox-tmp');

    // Act
    const { ack, responseUrl } = await harness.click(buttonIn(reply, 'Cancel'), e2eUsers.operator);
    await harness.settle();
    const late = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('Nothing was changed');
    expect(readableText(harness.posted(late.responseUrl).at(-1))).toContain('cancelled');
    expect(requestsTo('DELETE', `/v1/repository/${sandboxTmp}`)).toEqual([]);
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(true);
  });

  it('deletes exactly once when the confirm button is clicked twice at the same time', async () => {
    // Prepare
    const reply = await preview('repo delete sandbox-tmp');
    const confirm = buttonIn(reply, 'Delete');

    // Act
    const clicks = await Promise.all([
      harness.click(confirm, e2eUsers.operator),
      harness.click(confirm, e2eUsers.admin),
    ]);
    await harness.settle();

    // Assess
    expect(clicks.map(({ ack }) => ack.statusCode)).toEqual([200, 200]);
    expect(requestsTo('DELETE', `/v1/repository/${sandboxTmp}`)).toHaveLength(1);
    expect(harness.emulator.state.repositories.some((repo) => repo.uuid === sandboxTmp)).toBe(false);
    const answers = clicks.map(({ responseUrl }) => readableText(harness.posted(responseUrl).at(-1)));
    expect(answers.filter((answer) => answer.includes('Deleted repository `sandbox-tmp`'))).toHaveLength(1);
    expect(answers.filter((answer) => answer.includes('already'))).toHaveLength(1);
  });

  it('refuses and shows the new state when the repository changed between preview and click', async () => {
    // Prepare
    const reply = await preview('repo delete web-frontend --force');
    const imageCount = harness.emulator.state.images.filter((image) => image.repoId === webFrontend).length;
    harness.emulator.state.images.push({
      id: 9001,
      repoId: webFrontend,
      name: 'web/late-arrival',
      pullCount: 0,
      updateTime: new Date().toISOString(),
    });

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    const answer = readableText(harness.posted(responseUrl).at(-1));
    expect(answer).toContain('changed since the preview');
    expect(answer).toContain(`was ${imageCount}`);
    expect(writes().filter((request) => request.method === 'DELETE')).toEqual(
      requestsTo('DELETE', `/v1/repository/${sandboxTmp}`),
    );
  });
});

describe('user secret', () => {
  it('regenerates once and sends the new secret only by DM when the confirm button is clicked twice', async () => {
    // Prepare
    const user = harness.emulator.state.users.find((candidate) => candidate.name === 'ci-deployer')!;
    const oldSecret = harness.emulator.currentSecret(user.uuid)!;
    const reply = await preview('user secret ci-deployer');
    const callsBefore = harness.slack.calls.length;

    // Act
    const clicks = await Promise.all([
      harness.click(buttonIn(reply, 'New secret'), e2eUsers.operator),
      harness.click(buttonIn(reply, 'New secret'), e2eUsers.operator),
    ]);
    await harness.settle();

    // Assess
    expect(requestsTo('GET', `/v1/user/${user.uuid}/refresh`)).toHaveLength(1);
    const newSecret = harness.emulator.currentSecret(user.uuid)!;
    expect(newSecret).not.toBe(oldSecret);
    const carrying = harness.slack.calls
      .slice(callsBefore)
      .filter((call) => JSON.stringify(call.body).includes(newSecret));
    expect(carrying).toEqual([
      {
        method: 'chat.postMessage',
        body: expect.objectContaining({ channel: expect.stringMatching(/^D/) }),
        authorization: expect.any(String),
      },
    ]);
    const replies = clicks.flatMap(({ responseUrl }) => harness.posted(responseUrl));
    expect(readableText({ replies })).toContain('direct message');
    expect(JSON.stringify(replies)).not.toContain(newSecret);
    expect(harness.logs.join('\n')).not.toContain(newSecret);
  });
});

describe('repo detach', () => {
  it('removes the access only after the confirm click when repo detach is typed', async () => {
    // Prepare
    const reply = await preview('repo detach payments-api qa-reader');
    const user = harness.emulator.state.users.find((candidate) => candidate.name === 'qa-reader')!;
    const before = user.permissions.some((permission) => permission.repoId === paymentsApi);

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Detach'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(before).toBe(true);
    expect(user.permissions.some((permission) => permission.repoId === paymentsApi)).toBe(false);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('qa-reader');
  });
});

describe('user delete', () => {
  it('deletes the user only after the confirm click when user delete is typed', async () => {
    // Prepare
    const reply = await preview('user delete legacy-puller');
    const existed = harness.emulator.state.users.some((user) => user.name === 'legacy-puller');

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(existed).toBe(true);
    expect(harness.emulator.state.users.some((user) => user.name === 'legacy-puller')).toBe(false);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('legacy-puller');
  });
});

describe('image delete', () => {
  it('deletes the image with its artifacts only after the confirm click when image delete is typed', async () => {
    // Prepare
    const reply = await preview('image delete payments-api/base/node-runtime');
    const image = () =>
      harness.emulator.state.images.find(
        (candidate) => candidate.repoId === paymentsApi && candidate.name === 'base/node-runtime',
      );
    const existed = image() !== undefined;

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(readableText(reply)).toContain('20-alpine');
    expect(existed).toBe(true);
    expect(image()).toBeUndefined();
    expect(harness.emulator.state.artifacts.some((artifact) => artifact.imageName === 'base/node-runtime')).toBe(false);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('base/node-runtime');
  });
});

describe('image delete form', () => {
  it('previews the image picked in the modal with a Delete button and deletes nothing when image delete names a repository', async () => {
    // Prepare
    const writesBefore = writes().length;
    const { responseUrl } = await harness.command('image delete payments-api', e2eUsers.operator);
    const view = harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>;
    const answer = await harness.suggest(e2eUsers.operator, 'worker', pickerIn(view, 'image'));
    const [picked] = (answer.json?.options ?? []) as { value: string }[];

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, { image: picked!.value }));
    await harness.settle();

    // Assess
    expect(picked?.value).toBe('team/worker');
    expect(submitted.json?.response_action).toBeUndefined();
    const reply = harness.posted(responseUrl).at(-1);
    expect(readableText(reply)).toContain('Nothing is deleted until you confirm');
    expect(buttonIn(reply, 'Delete team/worker').style).toBe('danger');
    expect(writes().length).toBe(writesBefore);
    expect(
      harness.emulator.state.images.some((image) => image.repoId === paymentsApi && image.name === 'team/worker'),
    ).toBe(true);
  });
});

describe('artifact delete', () => {
  const artifactsOf = (imageName: string) =>
    harness.emulator.state.artifacts.filter(
      (artifact) => artifact.repoId === paymentsApi && artifact.imageName === imageName,
    );

  it('names the other tags on the digest and deletes the whole artifact when a tag is confirmed', async () => {
    // Prepare
    const reply = await preview('artifact delete payments-api/team/worker:stable');
    const before = artifactsOf('team/worker').length;

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(readableText(reply)).toContain('also `v2.0.0`, `latest`');
    const left = artifactsOf('team/worker');
    expect(left).toHaveLength(before - 1);
    expect(left.flatMap((artifact) => artifact.tags.map((tag) => tag.name))).toEqual(['v1.9.3']);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('team/worker');
  });

  it('refuses and deletes nothing when the tag moved to another digest after the preview', async () => {
    // Prepare
    const reply = await preview('artifact delete payments-api/team/api:latest');
    const [newest, older] = artifactsOf('team/api');
    const latest = newest!.tags.find((tag) => tag.name === 'latest')!;
    newest!.tags = newest!.tags.filter((tag) => tag !== latest);
    older!.tags.push(latest);
    const before = artifactsOf('team/api').length;

    // Act
    const { responseUrl } = await harness.click(buttonIn(reply, 'Delete'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(artifactsOf('team/api')).toHaveLength(before);
    const answer = readableText(harness.posted(responseUrl).at(-1));
    expect(answer).toContain('The tag `latest` moved since the preview');
    expect(answer).toContain('Nothing was deleted');
  });
});
