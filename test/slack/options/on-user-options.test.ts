import { seedIds } from '../../../local/emulator/seed';
import { userPickValue } from '../../../src/commands/user/user-args';
import { actionIds, fieldBlockId } from '../../../src/slack/ids';
import { users, useSlackHarness } from '../../support/slack-harness';
import { formView } from '../../support/slack-requests';

const h = useSlackHarness();

const { paymentsApi } = seedIds.repositories;

/** The user picker of the form `repo attach payments-api` opens. */
const attachPicker = {
  actionId: actionIds.pickUser,
  blockId: fieldBlockId('user'),
  view: formView('repo.attach', { repo: paymentsApi }),
};

describe('onUserOptions', () => {
  it('answers the matching users by name and id with one bounded vCR call when letters were typed', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.operator, 'qa', attachPicker);

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toEqual({
      options: [
        {
          text: { type: 'plain_text', text: 'qa-reader (10001234-qa-reader)', emoji: true },
          value: userPickValue({ name: 'qa-reader', uuid: seedIds.users.qaReader }),
        },
      ],
    });
    const lists = h.emulator.requests.filter((request) => request.path.startsWith('/v1/'));
    expect(lists.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v1/user']);
    expect(lists[0]?.query).toMatchObject({ name: 'qa', page: '1', size: '50' });
  });

  it('answers every user when nothing was typed', async () => {
    // Act
    const answer = await h.suggest(users.operator, '', attachPicker);

    // Assess
    const options = answer.json?.options as { value: string }[];
    // Each value ends in the user's id (`NAME@ID`, see userPickValue).
    const ids = options.map((option) => option.value.slice(option.value.lastIndexOf('@') + 1));
    expect(ids.sort()).toEqual(Object.values(seedIds.users).sort());
  });

  it('answers no options and calls nothing when a viewer asks from the repo attach form', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.viewer, 'qa', attachPicker);

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
  });

  it('answers no options and calls nothing when the user has no role', async () => {
    // Prepare
    h.emulator.clearRequests();

    // Act
    const answer = await h.suggest(users.outsider, 'qa', attachPicker);

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.emulator.requests).toEqual([]);
  });

  it('answers no options and logs a warning when vCR fails', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/user', status: 500, body: { message: 'boom' } });

    // Act
    const answer = await h.suggest(users.operator, 'qa', attachPicker);

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.logs.some((line) => line.includes('"level":"warn"') && line.includes('User options failed'))).toBe(true);
  });

  it('answers no options instead of waiting when vCR is slower than the request deadline', async () => {
    // Prepare
    h.emulator.inject({ method: 'GET', path: '/v1/user', delayMs: 5000, times: 1 });

    // Act
    const answer = await h.suggest(users.operator, 'qa', attachPicker);

    // Assess
    expect(answer.json).toEqual({ options: [] });
    expect(h.logs.some((line) => line.includes('vCR did not answer in time while listing repository users'))).toBe(
      true,
    );
  });
});
