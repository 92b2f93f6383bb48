/**
 * Issue 8 review: vCR answers that look usable but are not, through the real handler. A secret vCR sent is used only
 * when it is plausibly one; a state-changing call answered 5xx may have been carried out; a page whose list is not a
 * list is unreadable; a permission list that cannot be checked is never rebuilt or read as "no access".
 */
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { createDynamoOperationStore } from '../../src/store/dynamo-operation-store';
import { buttonIn, type E2eHarness, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';

const { operator } = e2eUsers;
const { ciDeployer } = seedIds.users;
const { paymentsApi } = seedIds.repositories;
const notifyChannel = 'C0AUDIT';

const documentClient = (harness: E2eHarness) => DynamoDBDocumentClient.from(harness.dynamo.client);
const storeOf = (harness: E2eHarness) =>
  createDynamoOperationStore({ client: documentClient(harness), table: harness.table });
/** The statuses of the records of `command` whose `name` or `repoName` arg is `name`. */
const statusesOf = async (harness: E2eHarness, command: string, name: string) => {
  const { Items = [] } = await documentClient(harness).send(new ScanCommand({ TableName: harness.table }));
  return Items.filter(
    (item) => item.command === command && (item.args?.name === name || item.args?.repoName === name),
  ).map((item) => item.status as string);
};
const dms = (harness: E2eHarness) =>
  harness.callsOf('chat.postMessage').filter((call) => /^D/.test(String(call.channel)));
const notifications = (harness: E2eHarness) =>
  harness
    .callsOf('chat.postMessage')
    .filter((call) => call.channel === notifyChannel)
    .map((call) => String(call.text));

const unusableSecrets: [string, string, string | undefined][] = [
  ['a web page', '<html><body>OK</body></html>', 'text/html'],
  ['cut-off JSON', '{"data":{"uuid":"x', undefined],
  ['an empty body', '', undefined],
];

describe('a secret vCR answered that is not a secret', () => {
  const harness = useE2eHarness({ env: { VCR_NOTIFY_CHANNEL: notifyChannel } });

  it.each(unusableSecrets)(
    'sends no secret and says to run user secret when user create gets %s',
    async (_, body, contentType) => {
      // Prepare
      const { ack } = await harness.command('user create', operator);
      expect(ack.statusCode).toBe(200);
      const view = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
      const name = `odd-${Math.random().toString(36).slice(2, 8)}`;
      harness.emulator.inject({
        method: 'POST',
        path: '/v1/user',
        handled: true,
        status: 202,
        body,
        ...(contentType ? { contentType } : {}),
        times: 1,
      });
      const dmsBefore = dms(harness).length;
      const notified = notifications(harness).length;

      // Act
      await harness.submit(view, operator, formState(view, { name, days: '30', pull: [paymentsApi] }));
      await harness.settle();

      // Assess
      expect(harness.emulator.state.users.some((user) => user.name === name)).toBe(true);
      const told = readableText(harness.slack.responses.at(-1)?.body as Record<string, unknown>);
      expect(told).toContain(`sent no secret back`);
      expect(told).toContain(`Run \`/vcr user secret ${name}\``);
      expect(dms(harness).slice(dmsBefore)).toEqual([]);
      expect(JSON.stringify(harness.slack.calls)).not.toMatch(/<html>|uuid\\*":\\*"x/);
      // The audit line may quote vCR's own words, but never claims the user was created.
      expect(notifications(harness).slice(notified).join('\n')).not.toMatch(/^<@U0OPERATOR> created repository user/m);
      expect(await statusesOf(harness, 'user.create', name)).toEqual(['outcome_unknown']);
    },
  );

  it.each(unusableSecrets)(
    'sends no secret and says to run user secret again when the refresh gets %s',
    async (_, body, contentType) => {
      // Prepare
      const preview = await harness.reply('user secret ci-deployer', operator);
      const operationId = JSON.parse(buttonIn(preview, 'New secret').value!).op as string;
      harness.emulator.inject({
        path: `/v1/user/${ciDeployer}/refresh`,
        handled: true,
        status: 200,
        body,
        ...(contentType ? { contentType } : {}),
        times: 1,
      });
      const dmsBefore = dms(harness).length;

      // Act
      const click = await harness.click(buttonIn(preview, 'New secret'), operator);
      await harness.settle();

      // Assess
      const told = readableText(harness.posted(click.responseUrl).at(-1));
      expect(told).toContain('made a new secret for `ci-deployer` but sent none back');
      expect(told).toContain('Run `/vcr user secret ci-deployer` again');
      expect(told).not.toMatch(/sent to you|direct message/i);
      expect(dms(harness).slice(dmsBefore)).toEqual([]);
      expect((await storeOf(harness).get(operationId))?.status).toBe('outcome_unknown');
    },
  );
});

describe('a create or a refresh answered 5xx after vCR carried it out', () => {
  const harness = useE2eHarness();

  it.each([502, 504])(
    'says the old secret may have stopped working and records it unknown when the refresh gets %d',
    async (status) => {
      // Prepare
      const preview = await harness.reply('user secret ci-deployer', operator);
      const operationId = JSON.parse(buttonIn(preview, 'New secret').value!).op as string;
      const before = harness.emulator.currentSecret(ciDeployer);
      const refreshes = () => harness.emulator.requests.filter((request) => request.path.endsWith('/refresh')).length;
      const refreshed = refreshes();
      harness.emulator.inject({
        path: `/v1/user/${ciDeployer}/refresh`,
        handled: true,
        status,
        body: '<html><body>Bad gateway</body></html>',
        contentType: 'text/html',
        times: 1,
      });

      // Act
      const click = await harness.click(buttonIn(preview, 'New secret'), operator);
      await harness.settle();

      // Assess
      expect(harness.emulator.currentSecret(ciDeployer)).not.toBe(before);
      const told = readableText(harness.posted(click.responseUrl).at(-1));
      expect(told).toContain(`vCR answered ${status} when asked for a new secret for \`ci-deployer\``);
      expect(told).toContain('so the old secret may already have stopped working');
      expect(told).toContain('Run `/vcr user secret ci-deployer` again to make a new secret you can use.');
      expect(told).not.toMatch(/not answering|Try again in a minute/);
      expect((await storeOf(harness).get(operationId))?.status).toBe('outcome_unknown');
      expect(refreshes()).toBe(refreshed + 1);
    },
  );

  it('says the repository may exist anyway and records it unknown when repo create gets a 502', async () => {
    // Prepare
    harness.emulator.inject({ method: 'POST', path: '/v1/repository', handled: true, status: 502, body: '', times: 1 });

    // Act
    const reply = await harness.reply('repo create gateway-made', operator);

    // Assess
    expect(harness.emulator.state.repositories.some((repo) => repo.name === 'gateway-made')).toBe(true);
    expect(readableText(reply)).toContain('so it may exist anyway; it was not tried again');
    expect(await statusesOf(harness, 'repo.create', 'gateway-made')).toEqual(['outcome_unknown']);
  });
});

describe('a read whose list is not a list', () => {
  const harness = useE2eHarness();
  const images = `/v1/repository/${paymentsApi}/images`;

  it.each([
    ['repos', '/v1/repository'],
    ['repo payments-api', '/v1/repository'],
    ['users', '/v1/user'],
    ['permissions', '/v1/user/permissions'],
    ['images payments-api', images],
    ['tags payments-api/team/api', `${images}/artifacts`],
    ['repo history payments-api', `/v1/repository/${paymentsApi}/history`],
    ['repo users payments-api', `/v1/repository/${paymentsApi}/user`],
  ])('says it could not read the answer when %s gets listData null with three items counted', async (text, path) => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path, status: 200, body: { listData: null, totalItem: 3 }, times: 3 });

    // Act
    const reply = await harness.reply(text, operator);

    // Assess
    const told = readableText(reply);
    expect(told).toMatch(/vCR sent an answer I could not read \(ref `[0-9a-f]{8}`\)/);
    expect(told).not.toMatch(/no repositories|No repository named|no permission policies|past the end|No user/i);
  });

  it('still shows an empty list when listData is null and no item is counted', async () => {
    // Prepare
    harness.emulator.inject({
      method: 'GET',
      path: '/v1/repository',
      status: 200,
      body: { listData: null, totalItem: 0 },
    });

    // Act
    const reply = await harness.reply('repos', operator);

    // Assess
    expect(readableText(reply)).toContain('There are no repositories yet');
  });

  it('says it could not read the answer, never that there is no image, when the image detail is empty', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: `${images}/detail`, status: 200, body: '', times: 3 });

    // Act
    const reply = await harness.reply('image payments-api/team/api', operator);

    // Assess
    expect(readableText(reply)).toMatch(/^vCR sent an answer I could not read \(ref `[0-9a-f]{8}`\)/);
    expect(readableText(reply)).not.toMatch(/No image/i);
  });
});

describe('a permission list that cannot be checked', () => {
  const harness = useE2eHarness();
  const { mlModels } = seedIds.repositories;
  const grantsOfDeployer = () => harness.emulator.state.users.find((user) => user.uuid === ciDeployer)?.permissions;
  const writes = () =>
    harness.emulator.requests.filter((request) => request.method !== 'GET' && request.path.startsWith('/v1/'));
  type Listed = Record<string, unknown> & { uuid: string; repoPermissionList: unknown[] };
  /** Makes every user list answer ci-deployer as `change` leaves it. */
  const rewriteDeployer = (change: (user: Listed) => Record<string, unknown>) =>
    harness.emulator.inject({
      method: 'GET',
      path: '/v1/user',
      rewrite: (page) => {
        const paged = page as { listData: Listed[] };
        return {
          ...paged,
          listData: paged.listData.map((user) => (user.uuid === ciDeployer ? change(user) : user)),
        };
      },
    });
  /** ci-deployer with one of its two grants dropped and no `numberOfRepo` to tell. */
  const droppedGrantUncounted = (user: Listed) => {
    const { numberOfRepo: _, ...rest } = user;
    return { ...rest, repoPermissionList: user.repoPermissionList.slice(0, 1) };
  };

  it('changes nothing when repo attach is typed and the list has a dropped grant and no numberOfRepo', async () => {
    // Prepare
    const before = structuredClone(grantsOfDeployer());
    rewriteDeployer(droppedGrantUncounted);
    const writesBefore = writes().length;

    // Act
    const reply = await harness.reply('repo attach ml-models ci-deployer pull', operator);

    // Assess
    expect(readableText(reply)).toContain("vCR's answer about `ci-deployer` does not hold all of its access");
    expect(readableText(reply)).toContain('so nothing was changed');
    expect(writes().length).toBe(writesBefore);
    expect(grantsOfDeployer()).toEqual(before);
  });

  it('changes nothing when the repo attach form is submitted and the list has a dropped grant and no numberOfRepo', async () => {
    // Prepare
    const before = structuredClone(grantsOfDeployer());
    const { responseUrl } = await harness.command('repo attach ml-models', operator);
    const view = harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>;
    rewriteDeployer(droppedGrantUncounted);
    const writesBefore = writes().length;

    // Act
    await harness.submit(view, operator, formState(view, { user: ciDeployer, access: 'pull' }));
    await harness.settle();

    // Assess
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain(
      "vCR's answer about `ci-deployer` does not hold all of its access",
    );
    expect(writes().length).toBe(writesBefore);
    expect(grantsOfDeployer()).toEqual(before);
    expect(grantsOfDeployer()?.some((grant) => grant.repoId === mlModels)).toBe(false);
  });

  it.each([
    ['null', (user: Listed) => ({ ...user, repoPermissionList: null })],
    ['empty without numberOfRepo', (user: Listed) => droppedGrantUncounted({ ...user, repoPermissionList: [] })],
    ['[null, null]', (user: Listed) => ({ ...user, repoPermissionList: [null, null] })],
    [
      'shorter than numberOfRepo',
      (user: Listed) => ({ ...user, repoPermissionList: user.repoPermissionList.slice(0, 1) }),
    ],
  ])('previews nothing to detach, and says why, when the permission list is %s', async (_, change) => {
    // Prepare
    rewriteDeployer(change);
    const writesBefore = writes().length;

    // Act
    const reply = await harness.reply('repo detach payments-api ci-deployer', operator);

    // Assess
    const told = readableText(reply);
    expect(told).toContain("vCR's answer about `ci-deployer` does not hold all of its access");
    expect(told).not.toMatch(/nothing to detach|Something went wrong|Keeps elsewhere|Detach ci-deployer/);
    expect(writes().length).toBe(writesBefore);
  });
});

describe('a signed form submit whose fixed args are not args the bot writes', () => {
  const harness = useE2eHarness();
  const mlModelsId = seedIds.repositories.mlModels;

  it.each([
    // Beside a valid repository, so that only the extra value could stop it.
    ['a __proto__ key', `{"repo":"${mlModelsId}","__proto__":{"x":1}}`],
    ['a nested object', `{"repo":"${mlModelsId}","extra":{"uuid":"x"}}`],
    ['a list of numbers', `{"repo":"${mlModelsId}","extra":[1,2]}`],
    ['null', `{"repo":"${mlModelsId}","extra":null}`],
    ['a list', '["repo"]'],
  ])('says the form is not understood, and runs nothing, when fixedArgs holds %s', async (_, fixedArgs) => {
    // Prepare
    const { ack } = await harness.command('repo attach ml-models', operator);
    expect(ack.statusCode).toBe(200);
    const opened = harness.callsOf('views.open').at(-1)!.view as Record<string, unknown>;
    const metadata = JSON.parse(String(opened.private_metadata)) as Record<string, unknown>;
    const forged = `{"command":${JSON.stringify(metadata.command)},"fixedArgs":${fixedArgs}}`;
    const view = { ...opened, private_metadata: forged };
    const logsBefore = harness.logs.length;
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const submitted = await harness.submit(view, operator, formState(view, { user: ciDeployer, access: 'pull' }));
    await harness.settle();

    // Assess
    expect(submitted.statusCode).toBe(200);
    expect(readableText(submitted.json?.view as Record<string, unknown>)).toContain(
      'This form is not one I understand; run the command again.',
    );
    const logged = harness.logs.slice(logsBefore).join('\n');
    expect(logged).not.toMatch(/"level":"error"|ValidationException/);
    expect(harness.emulator.requests.slice(requestsBefore).filter((request) => request.method !== 'GET')).toEqual([]);
  });
});
