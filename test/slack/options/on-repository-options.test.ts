import { actionIds, fieldBlockId } from '../../../src/slack/ids';
import { users, useSlackHarness } from '../../support/slack-harness';
import { formView } from '../../support/slack-requests';

const h = useSlackHarness();

const repositoryPicker = (command: string) => ({
  actionId: actionIds.pickRepositories,
  blockId: fieldBlockId('push'),
  view: formView(command),
});

describe('onRepositoryOptions', () => {
  it('answers the matching repositories with one bounded vCR call when letters were typed', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.operator, 'pay');

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toEqual({
      options: [
        { text: { type: 'plain_text', text: 'payments-api', emoji: true }, value: expect.stringMatching(/^repo-/) },
      ],
    });
    const lists = h.emulator.requests.filter((request) => request.path === '/v1/repository');
    expect(lists).toHaveLength(1);
    expect(lists[0]?.query).toMatchObject({ name: 'pay', page: '1', size: '50' });
  });

  it('answers every repository when nothing was typed', async () => {
    // Act
    const answer = await h.suggest(users.operator, '');

    // Assess
    const options = answer.json?.options as { text: { text: string } }[];
    expect(options.map((option) => option.text.text).sort()).toEqual([
      'ml-models',
      'payments-api',
      'sandbox-tmp',
      'web-frontend',
    ]);
  });

  it('answers no options and calls nothing when the user has no role', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.outsider, 'pay');

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
  });

  it('answers no options and calls nothing when a viewer asks from a form of an operator command', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.viewer, 'pay', repositoryPicker('user.permissions'));

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
    expect(h.logs.some((line) => line.includes('Options refused') && line.includes('*operator* role'))).toBe(true);
  });

  it('answers no options and calls nothing when the request comes from no form of the bot', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.admin, 'pay', {
      actionId: actionIds.pickRepositories,
      blockId: fieldBlockId('push'),
    });

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
  });

  it('answers no options and logs a warning when vCR fails', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/repository', status: 500, body: { message: 'boom' } });

    // Act
    const answer = await h.suggest(users.operator, 'pay');

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.logs.some((line) => line.includes('"level":"warn"') && line.includes('Repository options failed'))).toBe(
      true,
    );
  });

  it('answers no options instead of waiting when vCR is slower than the request deadline', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: 5000, times: 1 });

    // Act
    const answer = await h.suggest(users.operator, 'pay');

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.logs.some((line) => line.includes('vCR did not answer in time while listing repositories'))).toBe(true);
  });
});
