import { seedIds } from '../../../local/emulator/seed';
import { findCommandById, parseCommandText } from '../../../src/commands/registry';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runArgs, runText, vcrCalls } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

const { paymentsApi, mlModels } = seedIds.repositories;

describe('repo quota', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const quotaOf = (repoId: string) =>
    harness.emulator.state.repositories.find((repo) => repo.uuid === repoId)?.quotaLimit;

  it('raises the quota and shows old and new when the new quota is larger', async () => {
    // Act
    const reply = await runText(harness, 'repo quota payments-api 50');

    // Assess
    expect(quotaOf(paymentsApi)).toBe(50);
    expect(partsOf(reply, 'text')[0]?.text).toBe('Quota of `payments-api`: 20 GB → 50 GB.');
    expect(partsOf(reply, 'context')[0]?.text).toBe('Usage: 764 MB of 50 GB ░░░░░░░░░░ 1%');
    expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> set the quota of `payments-api` to 50 GB (was 20 GB)');
    expect(harness.emulator.requests.find((request) => request.method === 'PUT')?.body).toEqual({
      repoId: paymentsApi,
      quotaLimit: 50,
    });
  });

  it('lowers the quota when the new quota still holds what is used', async () => {
    // Act
    const reply = await runText(harness, 'repo quota payments-api 1');

    // Assess
    expect(quotaOf(paymentsApi)).toBe(1);
    expect(mrkdwn(reply.notify)).toBe('<@U0OPERATOR> set the quota of `payments-api` to 1 GB (was 20 GB)');
  });

  it('refuses with the numbers, without asking vCR to change it, when the decrease goes below usage', async () => {
    // Act
    const act = runText(harness, 'repo quota ml-models 5');

    // Assess
    await expect(act).rejects.toMatchObject({
      name: 'UserError',
      field: 'gb',
      message:
        'Cannot set the quota of `ml-models` to 5 GB: it already uses 11 GB (11706892149 bytes), more than 5 GB. ' +
        'The smallest quota that fits is 11 GB; delete images to go lower.',
    });
    expect(quotaOf(mlModels)).toBe(50);
    expect(vcrCalls(harness).filter((call) => !call.startsWith('GET'))).toEqual([]);
  });

  it('changes nothing when the quota is already the one asked', async () => {
    // Act
    const reply = await runText(harness, 'repo quota payments-api 20');

    // Assess
    expect(reply.text).toBe('The quota of `payments-api` is already 20 GB; nothing changed.');
    expect(reply.notify).toBeUndefined();
    expect(vcrCalls(harness).filter((call) => !call.startsWith('GET'))).toEqual([]);
  });

  it('says the quota must be a whole number without calling vCR when GB is not a number', async () => {
    // Act
    const act = () => parseCommandText('repo quota payments-api lots');

    // Assess
    expect(act).toThrow('The quota in GB must be a whole number of 1 or more, not `lots`.');
    expect(vcrCalls(harness)).toEqual([]);
  });

  it.each(['30GB', '30 GB', '30gb', '30 G', '30G'])('sets 30 GB when the quota is typed as `%s`', async (quota) => {
    // Act
    const reply = await runText(harness, `repo quota payments-api ${quota}`);

    // Assess
    expect(quotaOf(paymentsApi)).toBe(30);
    expect(reply.text).toBe('Quota of `payments-api`: 20 GB → 30 GB.');
  });

  it.each([
    ['30 TB', 'Unexpected word `TB`.'],
    ['30 GB more', 'Unexpected word `more`.'],
    ['GB', 'The quota in GB must be a whole number of 1 or more, not `GB`.'],
    ['1.5GB', 'The quota in GB must be a whole number of 1 or more, not `1.5GB`.'],
  ])('refuses `%s` without calling vCR', (quota, message) => {
    // Act
    const act = () => parseCommandText(`repo quota payments-api ${quota}`);

    // Assess
    expect(act).toThrow(message);
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('names the missing GB when only REPO is typed', async () => {
    // Act
    const act = () => parseCommandText('repo quota payments-api');

    // Assess
    expect(act).toThrow('Missing GB.');
  });

  it('says the repository is unknown when it is', async () => {
    // Act
    const act = runText(harness, 'repo quota no-such-repo 10');

    // Assess
    await expect(act).rejects.toThrow('No repository named `no-such-repo`.');
    expect(vcrCalls(harness).filter((call) => !call.startsWith('GET'))).toEqual([]);
  });

  it('opens a form prefilled with the current quota when the card button sends no GB', async () => {
    // Prepare
    const spec = findCommandById('repo.quota');
    const ctx = harness.context();

    // Act
    const form = await spec?.form?.({ vcr: ctx.vcr, actor: ctx.actor }, { repo: mlModels });

    // Assess
    expect(form).toEqual({
      title: 'Change quota',
      submit: 'Save',
      command: 'repo.quota',
      fixedArgs: { repo: mlModels },
      fields: [
        {
          kind: 'number',
          name: 'gb',
          label: 'Quota of ml-models (GB)',
          initial: 50,
          min: 1,
          hint: 'It uses 11 GB, so at least 11 GB.',
        },
      ],
    });
  });

  it('opens no form when GB is given', async () => {
    // Act
    const form = await findCommandById('repo.quota')?.form?.(
      { vcr: harness.context().vcr, actor: harness.context().actor },
      { repo: mlModels, gb: 60 },
    );

    // Assess
    expect(form).toBeUndefined();
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('applies the quota when a form submit sends GB as text', async () => {
    // Act
    await runArgs(harness, 'repo.quota', { repo: mlModels, gb: '60' });

    // Assess
    expect(quotaOf(mlModels)).toBe(60);
  });

  it('refuses on the gb field without calling vCR when a form submit sends 0 GB', async () => {
    // Act
    const act = runArgs(harness, 'repo.quota', { repo: mlModels, gb: '0' });

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'UserError', field: 'gb' });
    expect(vcrCalls(harness)).toEqual([]);
  });

  it('shows vCR words when vCR refuses the change itself', async () => {
    // Prepare
    harness.emulator.inject({
      method: 'PUT',
      path: `/v1/repository/${paymentsApi}/quotas`,
      status: 400,
      body: { message: 'Quota is locked' },
    });

    // Act
    const act = runText(harness, 'repo quota payments-api 30');

    // Assess
    await expect(act).rejects.toThrow('Could not set the quota of `payments-api` to 30 GB: vCR said: Quota is locked.');
  });

  it('lets a vCR failure through as it is when vCR answers 500', async () => {
    // Prepare
    harness.emulator.inject({ method: 'PUT', path: `/v1/repository/${paymentsApi}/quotas`, status: 500 });

    // Act
    const act = runText(harness, 'repo quota payments-api 30');

    // Assess
    await expect(act).rejects.toMatchObject({ name: 'VcrApiError', status: 500 });
  });

  it('refuses a viewer when a viewer changes a quota', async () => {
    // Act
    const act = runText(harness, 'repo quota payments-api 50', { role: 'viewer' });

    // Assess
    await expect(act).rejects.toThrow('*operator* role');
    expect(quotaOf(paymentsApi)).toBe(20);
  });
});
