import { seedIds } from '../../../local/emulator/seed';
import { addRepositoryWithUsage } from '../../../local/emulator/watch-demo';
import { parseCommandText } from '../../../src/commands/registry';
import { UserError } from '../../../src/errors';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { actionsOf, allText, answerOnePage, partsOf, runArgs, runText, vcrCalls } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

const { paymentsApi, mlModels, sandboxTmp } = seedIds.repositories;

describe('repository read commands', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  describe('repos', () => {
    it('lists every repository with access, usage against quota and images when no filter is given', async () => {
      // Act
      const reply = await runText(harness, 'repos', { role: 'viewer' });

      // Assess
      const [list] = partsOf(reply, 'list');
      expect(list?.items.map((item) => item.title)).toEqual([
        '*ml-models* `10001234-ml-models`',
        '*payments-api* `10001234-payments-api`',
        '*sandbox-tmp* `10001234-sandbox-tmp`',
        '*web-frontend* `10001234-web-frontend`',
      ]);
      expect(list?.items[0]).toMatchInlineSnapshot(`
        {
          "action": {
            "invocation": {
              "args": {
                "repo": "repo-e03a3916-5845-4d06-a05e-f4821634f45e",
              },
              "command": "repo.show",
            },
            "label": "Open",
          },
          "lines": [
            "private · 2 images",
            "Usage: 11 GB of 50 GB ▓▓░░░░░░░░ 22%",
          ],
          "title": "*ml-models* \`10001234-ml-models\`",
        }
      `);
      expect(partsOf(reply, 'pager')).toEqual([
        { type: 'pager', page: 1, totalPage: 1, totalItem: 4, invocation: { command: 'repos.list', args: {} } },
      ]);
    });

    it('shows public repositories as public when accessLevel says so', async () => {
      // Act
      const reply = await runText(harness, 'repos web', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items[0]?.lines?.[0]).toBe('public · 2 images');
    });

    it('counts one image in the singular when a repository holds one', async () => {
      // Prepare
      addRepositoryWithUsage(harness.emulator.state, { name: 'one-image', quotaGb: 1, usedBytes: 1000 });

      // Act
      const reply = await runText(harness, 'repos one-image', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items[0]?.lines?.[0]).toBe('private · 1 image');
    });

    it('keeps only names containing the filter, ignoring case, when a filter is given', async () => {
      // Act
      const reply = await runText(harness, 'repos PAY', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual([
        '*payments-api* `10001234-payments-api`',
      ]);
      expect(harness.emulator.requests.find((request) => request.path === '/v1/repository')?.query).toMatchObject({
        name: 'pay',
      });
      expect(partsOf(reply, 'pager')[0]?.invocation).toEqual({ command: 'repos.list', args: { filter: 'PAY' } });
    });

    it('shows the second ten in name order, read with one vCR call, when --page 2 is given', async () => {
      // Prepare
      for (let index = 0; index < 15; index++) {
        harness.emulator.state.repositories.push({
          uuid: `repo-extra-${index}`,
          name: `extra-repo-${String(index).padStart(2, '0')}`,
          isPublic: false,
          quotaLimit: 1,
          registryUrl: 'vcr.vngcloud.vn',
          createdAt: '2020-01-01T00:00:00.000Z',
        });
      }
      harness.emulator.clearRequests();

      // Act
      const reply = await runText(harness, 'repos --page 2', { role: 'viewer' });

      // Assess: vCR lists newest first; the bot reads the list (a hundred a call) and pages it by name.
      expect(partsOf(reply, 'list')[0]?.items.map((item) => mrkdwn(item.title)!.split(' ')[0])).toEqual([
        '*extra-repo-10*',
        '*extra-repo-11*',
        '*extra-repo-12*',
        '*extra-repo-13*',
        '*extra-repo-14*',
        '*ml-models*',
        '*payments-api*',
        '*sandbox-tmp*',
        '*web-frontend*',
      ]);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 2, totalPage: 2, totalItem: 19 });
      expect(vcrCalls(harness)).toEqual(['GET /v1/repository']);
      expect(harness.emulator.requests.at(-1)?.query).toMatchObject({ page: '1', size: '100' });
    });

    it.each([
      ['3', '3'],
      ['99999999999', '99999999999'],
    ])('shows the last page and says so when --page %s is past it', async (page, asked) => {
      // Act
      const reply = await runText(harness, `repos --page ${page}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toHaveLength(4);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 1, totalPage: 1, totalItem: 4 });
      expect(partsOf(reply, 'context').at(-1)?.text).toBe(
        `There is only 1 page, so this is the last one rather than page ${asked}.`,
      );
    });

    it('says no repository matches when the filter matches none', async () => {
      // Act
      const reply = await runText(harness, 'repos nothing-like-this', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.empty).toBe('No repository name contains `nothing-like-this`.');
    });

    it('refuses a second word without calling vCR when two filters are given', async () => {
      // Act
      const act = () => parseCommandText('repos pay api');

      // Assess
      expect(act).toThrow(new UserError('Unexpected word `api`.'));
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('refuses a page of 0 when --page 0 is given', async () => {
      // Act
      const act = () => parseCommandText('repos --page 0');

      // Assess
      expect(act).toThrow('The page must be a whole number of 1 or more, not `0`.');
    });
  });

  describe('repo', () => {
    it('shows every field, the docker hint and the buttons when the repository exists', async () => {
      // Act
      const reply = await runText(harness, 'repo payments-api', { role: 'viewer' });

      // Assess
      expect(reply.parts.slice(0, 3)).toMatchInlineSnapshot(`
        [
          {
            "text": "Repository payments-api",
            "type": "header",
          },
          {
            "fields": [
              {
                "label": "Name",
                "value": "payments-api",
              },
              {
                "label": "Backend name",
                "value": "\`10001234-payments-api\`",
              },
              {
                "label": "ID",
                "value": "\`repo-ed672310-17a1-4549-ac83-1f025f598aa4\`",
              },
              {
                "label": "Access",
                "value": "private",
              },
              {
                "label": "Quota",
                "value": "764 MB of 20 GB ░░░░░░░░░░ 4%",
              },
              {
                "label": "Images",
                "value": "3",
              },
              {
                "label": "Attached users",
                "value": "2",
              },
              {
                "label": "Registry",
                "value": "\`vcr.vngcloud.vn\`",
              },
              {
                "label": "Created",
                "value": "2024-11-04 02:15 UTC",
              },
            ],
            "type": "fields",
          },
          {
            "text": "Push: \`docker push vcr.vngcloud.vn/10001234-payments-api/<image>:<tag>\`
        Pull: \`docker pull vcr.vngcloud.vn/10001234-payments-api/<image>:<tag>\`",
            "type": "context",
          },
        ]
      `);
      expect(actionsOf(reply).map((action) => [action.label, action.invocation?.command, action.style])).toEqual([
        ['Images', 'images.list', undefined],
        ['Users', 'repo.users', undefined],
        ['Attach user', 'repo.attach', undefined],
        ['History', 'repo.history', undefined],
        ['Change quota', 'repo.quota', undefined],
        ['Delete', 'repo.delete', 'danger'],
      ]);
      expect(actionsOf(reply).every((action) => action.invocation?.args.repo === paymentsApi)).toBe(true);
    });

    it.each([
      ['https://vcr-han.vngcloud.vn/v2', 'vcr-han.vngcloud.vn'],
      ['', 'vcr.vngcloud.vn'],
      [undefined, 'vcr.vngcloud.vn'],
    ])('prints only the host in the docker hint when the registry URL is %p', async (registryUrl, host) => {
      // Prepare
      const repo = harness.emulator.state.repositories.find((candidate) => candidate.uuid === paymentsApi);
      if (!repo) throw new Error('seed changed: payments-api is missing');
      (repo as { registryUrl?: string }).registryUrl = registryUrl;

      // Act
      const reply = await runText(harness, 'repo payments-api', { role: 'viewer' });

      // Assess
      const path = `${host}/10001234-payments-api/<image>:<tag>`;
      expect(partsOf(reply, 'context')).toContainEqual({
        type: 'context',
        text: `Push: \`docker push ${path}\`\nPull: \`docker pull ${path}\``,
      });
    });
    it('uses the repository own registry host in the docker hint when it is not the default', async () => {
      // Act
      const reply = await runText(harness, 'repo ml-models', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'context')[0]?.text).toContain('docker push vcr-han.vngcloud.vn/10001234-ml-models/');
    });

    it.each([
      ['the backend name', '10001234-ml-models'],
      ['the id', mlModels],
    ])('finds the repository when given %s', async (_what, ref) => {
      // Act
      const reply = await runText(harness, `repo ${ref}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'header')[0]?.text).toBe('Repository ml-models');
    });

    it('says no repository has that name when the repository is unknown', async () => {
      // Act
      const act = runText(harness, 'repo no-such-repo', { role: 'viewer' });

      // Assess
      await expect(act).rejects.toThrow(
        new UserError('No repository named `no-such-repo`. Try `/vcr repos no-such-repo`.'),
      );
    });

    it('names the missing word without calling vCR when REPO is missing', async () => {
      // Act
      const act = () => parseCommandText('repo');

      // Assess
      expect(act).toThrow('Missing REPO.');
      expect(vcrCalls(harness)).toEqual([]);
    });

    it('refuses before calling vCR when a button sends no repository', async () => {
      // Act
      const act = runArgs(harness, 'repo.show', {}, { role: 'viewer' });

      // Assess
      await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'repo' });
      expect(vcrCalls(harness)).toEqual([]);
    });
  });

  describe('repo history', () => {
    it('lists entries newest first with who did what when the repository has history', async () => {
      // Act
      const reply = await runText(harness, 'repo history payments-api', { role: 'viewer' });

      // Assess
      const items = partsOf(reply, 'list')[0]?.items ?? [];
      expect(items).toHaveLength(10);
      expect(items[0]).toEqual({
        title: 'Pull Image Artifact `team/api:v1.4.2`',
        lines: ['2025-03-01 06:40 UTC by 10001234-qa-reader'],
      });
      expect(partsOf(reply, 'pager')[0]).toEqual({
        type: 'pager',
        page: 1,
        totalPage: 2,
        totalItem: 11,
        invocation: { command: 'repo.history', args: { repo: paymentsApi } },
      });
    });

    it('shows the last entries when page 2 is asked', async () => {
      // Act
      const reply = await runArgs(harness, 'repo.history', { repo: paymentsApi, page: 2 }, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual(['Create Repository `payments-api`']);
      expect(harness.emulator.requests.at(-1)?.query).toMatchObject({ page: '2', size: '10' });
    });

    it('shows page 2 of 2, saying so, with a Previous button only, when --page 3 is asked', async () => {
      // Act
      const reply = await runText(harness, 'repo history payments-api --page 3', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual(['Create Repository `payments-api`']);
      expect(partsOf(reply, 'pager')[0]).toMatchObject({ page: 2, totalPage: 2, totalItem: 11 });
      expect(partsOf(reply, 'context').at(-1)?.text).toBe(
        'There are only 2 pages, so this is the last one rather than page 3.',
      );
      expect(
        harness.emulator.requests.filter((request) => request.path.endsWith('/history')).map((r) => r.query.page),
      ).toEqual(['3', '2']);
    });

    it('renders unknown keys as key: value when vCR answers with other field names', async () => {
      // Prepare
      answerOnePage(harness, `/v1/repository/${paymentsApi}/history`, [
        { operator: 'alice', operation: 'Retag', target: 'team/api', createdAt: '2025-03-02T10:00:00Z', shard: 7 },
        { detail: { from: 'a', to: 'b' }, note: null },
      ]);

      // Act
      const reply = await runText(harness, `repo history ${paymentsApi}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toEqual([
        { title: 'Retag `team/api`', lines: ['2025-03-02 10:00 UTC by alice', 'shard: 7'] },
        { title: 'Entry', lines: ['detail: {"from":"a","to":"b"}', 'note: –'] },
      ]);
    });

    it('sorts a page newest first when vCR answers it in another order', async () => {
      // Prepare
      answerOnePage(harness, `/v1/repository/${paymentsApi}/history`, [
        { action: 'Old', actionTime: '2025-01-01T00:00:00Z' },
        { action: 'New', actionTime: '2025-02-01T00:00:00Z' },
      ]);

      // Act
      const reply = await runText(harness, `repo history ${paymentsApi}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items.map((item) => item.title)).toEqual(['New', 'Old']);
    });

    it('says the repository is unknown when it is', async () => {
      // Act
      const act = runText(harness, 'repo history no-such-repo', { role: 'viewer' });

      // Assess
      await expect(act).rejects.toThrow('No repository named `no-such-repo`.');
    });
  });

  describe('repo users', () => {
    it('lists attached users with their access on this repository when some are attached', async () => {
      // Act
      const reply = await runText(harness, 'repo users payments-api', { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items).toEqual([
        {
          title: '*ci-deployer* `10001234-ci-deployer`',
          lines: ['Access here: pull and push', 'enabled · never expires'],
          action: {
            label: 'Open',
            invocation: { command: 'user.show', args: { user: seedIds.users.ciDeployer, userName: 'ci-deployer' } },
          },
        },
        {
          title: '*qa-reader* `10001234-qa-reader`',
          lines: ['Access here: pull only', 'expired 2025-05-02 00:00 UTC'],
          action: {
            label: 'Open',
            invocation: { command: 'user.show', args: { user: seedIds.users.qaReader, userName: 'qa-reader' } },
          },
        },
      ]);
      expect(partsOf(reply, 'pager')[0]?.invocation).toEqual({ command: 'repo.users', args: { repo: paymentsApi } });
    });

    it('words an expired user as the users list does when its expiry has passed', async () => {
      // Prepare
      const usersList = await runText(harness, 'users qa-reader', { role: 'viewer' });

      // Act
      const reply = await runText(harness, 'repo users payments-api', { role: 'viewer' });

      // Assess
      const row = partsOf(reply, 'list')[0]?.items.find((item) => mrkdwn(item.title)?.startsWith('*qa-reader*'));
      expect(row?.lines?.[1]).toBe('expired 2025-05-02 00:00 UTC');
      expect(row?.lines?.[1]).toBe(partsOf(usersList, 'list')[0]?.items[0]?.lines?.[0]);
    });

    it('shows the coming expiry of an enabled user when it has not passed', async () => {
      // Prepare
      answerOnePage(harness, `/v1/repository/${paymentsApi}/user`, [
        {
          uuid: 'ra-y',
          name: 'later-user',
          backendName: '10001234-later-user',
          disable: false,
          expiredAt: '2999-01-01T00:00:00.000Z',
          policyActionList: ['pull'],
        },
      ]);

      // Act
      const reply = await runText(harness, `repo users ${paymentsApi}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items[0]?.lines).toEqual([
        'Access here: pull only',
        'enabled · expires 2999-01-01 00:00 UTC',
      ]);
    });

    it('shows a disabled user as disabled when it is', async () => {
      // Act
      const reply = await runText(harness, 'repo users web-frontend', { role: 'viewer' });

      // Assess
      expect(allText(reply)).toContain('disabled · never expires');
    });

    it('reads access from the repository permission list when vCR sends no action list', async () => {
      // Prepare
      answerOnePage(harness, `/v1/repository/${paymentsApi}/user`, [
        {
          uuid: 'ra-x',
          name: 'bare-user',
          backendName: '10001234-bare-user',
          disable: false,
          expiredAt: null,
          repoPermissionList: [{ repoId: paymentsApi, policyDtoList: [{ uuid: 'p1', name: 'Push Images' }] }],
        },
      ]);

      // Act
      const reply = await runText(harness, `repo users ${paymentsApi}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]?.items[0]?.lines?.[0]).toBe('Access here: pull and push');
    });

    it('says how to attach one when no user is attached', async () => {
      // Act
      const reply = await runText(harness, `repo users ${sandboxTmp}`, { role: 'viewer' });

      // Assess
      expect(partsOf(reply, 'list')[0]).toMatchObject({
        items: [],
        empty: 'No user is attached to `sandbox-tmp`. Grant access with `/vcr repo attach sandbox-tmp USER pull|push`.',
      });
    });
  });
});
