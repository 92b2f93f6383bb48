import type { Job } from '../../src/jobs/job';
import { encodeDecisionValue, encodeInvocationValue } from '../../src/slack/button-value';
import { actionIds, callbackIds, fieldBlockId } from '../../src/slack/ids';
import type { OperationStore } from '../../src/store/operation-store';
import { createMemoryOperationStore } from '../support/memory-operation-store';
import {
  type SlackHarness,
  type SlackHarnessOptions,
  startSlackHarness,
  textOf,
  users,
} from '../support/slack-harness';
import { blockSuggestionBody, formView, signedEvent, slashCommandBody } from '../support/slack-requests';

// Far longer than any budget below: a held call is never what ends a test.
const heldMs = 10_000;

// The grouped user holds viewer by id and operator through S0OPS; S0ADM (admins) must be read too.
const groupedRoles: SlackHarnessOptions = {
  env: { VCR_OPERATORS: `${users.operator},S0OPS`, VCR_ADMINS: `${users.admin},S0ADM` },
  usergroups: { S0OPS: [users.grouped], S0ADM: [] },
  slowSlack: true,
};

/** Runs `test` on a harness of its own, so no user group read is cached from an earlier test. */
async function withHarness(options: SlackHarnessOptions, test: (h: SlackHarness) => Promise<void>): Promise<void> {
  const h = await startSlackHarness(options);
  try {
    await test(h);
    expect(h.ackProblems()).toEqual([]);
  } finally {
    await h.close();
  }
}

function refIn(text: string): string {
  const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
  if (!ref) throw new Error(`No ref in ${text}`);
  return ref;
}

function groupReads(h: SlackHarness, phase: 'received' | 'answered'): string[] {
  return h
    .slackProxy!.events.filter((event) => event.method === 'usergroups.users.list' && event.phase === phase)
    .map((event) => event.usergroup ?? '');
}

describe('the HTTP phase deadline', () => {
  it('refuses a change with a slow-DynamoDB message and dispatches nothing when the freeze is not read in time', () => {
    const hanging = new Promise<undefined>(() => {});
    const freeze = { read: () => hanging, set: async () => {}, clear: async () => undefined };
    return withHarness({ httpBudgetMs: 300, freeze }, async (h) => {
      // Act
      const { ack } = await h.command('repo quota payments-api 31', users.operator);
      const read = await h.command('repos', users.operator);

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('DynamoDB is slow right now (reading the freeze took too long), so nothing was started.');
      expect(refIn(text)).toMatch(/^[0-9a-f]{8}$/);
      expect(h.jobs.map((job) => (job.kind === 'invoke' ? job.invocation.command : job.kind))).toEqual(['repos.list']);
      expect(read.ack.statusCode).toBe(200);
    });
  });

  it('answers help without the freeze line when the freeze is not read in time', () => {
    const hanging = new Promise<undefined>(() => {});
    const freeze = { read: () => hanging, set: async () => {}, clear: async () => undefined };
    return withHarness({ freeze }, async (h) => {
      // Act
      const { ack } = await h.command('help', users.viewer);

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('vCR commands');
      expect(text).not.toContain('frozen');
      expect(h.logs.some((line) => line.includes('Could not read the freeze for help'))).toBe(true);
    });
  });

  it('answers the command with a slow-Slack message and a logged ref when user groups are not read in time', () =>
    withHarness({ ...groupedRoles, httpBudgetMs: 500 }, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', heldMs);

      // Act
      const { ack } = await h.command('repos', users.grouped);

      // Assess
      expect(ack.statusCode).toBe(200);
      expect(ack.json?.response_type).toBe('ephemeral');
      const text = textOf(ack.json);
      expect(text).toContain('Slack is slow right now');
      expect(text).toContain('reading user groups');
      expect(text).not.toContain('role');
      const ref = refIn(text);
      const line = h.logs.find((entry) => entry.includes(`"ref":"${ref}"`));
      expect(line && JSON.parse(line)).toMatchObject({ level: 'warn', error: { name: 'DeadlineError' } });
      expect(h.jobs).toEqual([]);
      expect(groupReads(h, 'received').sort()).toEqual(['S0ADM', 'S0OPS']);
      expect(groupReads(h, 'answered')).toEqual([]);
    }));

  it('reads the user groups at once and grants the group’s role when Slack is slow yet in time', () =>
    withHarness(groupedRoles, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', 200);

      // Act
      const { ack } = await h.command('repo delete sandbox-tmp', users.grouped);
      await h.settle();

      // Assess
      expect(textOf(ack.json)).toContain('Working on');
      expect(h.jobs.map((job) => job.actor.role)).toEqual(['operator']);
      const groupEvents = h.slackProxy!.events.filter((event) => event.method === 'usergroups.users.list');
      expect(groupEvents.map((event) => event.phase)).toEqual(['received', 'received', 'answered', 'answered']);
    }));

  it('answers no options and logs why when user groups are not read in time for a picker', () =>
    withHarness({ ...groupedRoles, httpBudgetMs: 500 }, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', heldMs);
      h.emulator.clearRequests();

      // Act
      const answer = await h.suggest(users.grouped, 'pay', {
        actionId: actionIds.pickRepositories,
        blockId: fieldBlockId('push'),
        view: formView('user.create'),
      });

      // Assess
      expect(answer.json).toEqual({ options: [] });
      expect(h.emulator.requests).toEqual([]);
      const line = h.logs.find((entry) => entry.includes('Repository options ran out of time'));
      expect(line && JSON.parse(line)).toMatchObject({ level: 'warn', error: { name: 'DeadlineError' } });
    }));

  it('shows a slow-Slack notice in the modal when user groups are not read in time for a submit', () =>
    withHarness({ ...groupedRoles, httpBudgetMs: 500 }, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', heldMs);
      const metadata = { command: 'repo.create', fixedArgs: {}, channelId: 'C0CHANNEL', responseUrl: 'unused' };
      const view = { callback_id: callbackIds.form, private_metadata: JSON.stringify(metadata), blocks: [] };

      // Act
      const ack = await h.submit(view, users.grouped, {});

      // Assess
      expect(ack.json).toMatchObject({ response_action: 'update', view: { type: 'modal' } });
      expect(textOf(ack.json)).toContain('Slack is slow right now');
      expect(h.jobs).toEqual([]);
    }));

  it('posts a slow-Slack message to the click’s response_url when user groups are not read in time', () =>
    withHarness({ ...groupedRoles, httpBudgetMs: 500 }, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', heldMs);

      // Act
      const { ack, responseUrl } = await h.click(
        {
          action_id: `${actionIds.run}:0`,
          value: encodeInvocationValue({ command: 'repos.list', args: {} }),
          text: { text: 'Show' },
        },
        users.grouped,
      );

      // Assess
      expect(ack.statusCode).toBe(200);
      const posted = h.posted(responseUrl);
      expect(posted).toHaveLength(1);
      expect(posted[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(textOf(posted[0])).toContain('Slack is slow right now');
    }));

  it('answers with a slow-vCR message and opens no form when the prefill does not come in time', () =>
    withHarness({ httpBudgetMs: 500 }, async (h) => {
      // Prepare
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: heldMs, times: 1 });

      // Act
      const { ack } = await h.command('repo attach payments-api', users.operator);

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('vCR is slow right now');
      expect(text).toContain('filling in the form');
      refIn(text);
      expect(h.callsOf('views.open')).toEqual([]);
      expect(h.jobs).toEqual([]);
    }));

  it('answers with a slow-Slack message when views.open does not answer in time', () =>
    withHarness({ httpBudgetMs: 500, slowSlack: true }, async (h) => {
      // Prepare
      h.slackProxy!.delay('views.open', heldMs);

      // Act
      const { ack } = await h.command('repo create', users.operator);

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('Slack is slow right now');
      expect(text).toContain('opening the form');
      expect(h.slackProxy!.events).toContainEqual({ phase: 'received', method: 'views.open' });
      expect(h.jobs).toEqual([]);
    }));

  it('gives the prefill only what the user group reads left when each fits the budget alone but not both', () =>
    withHarness({ ...groupedRoles, httpBudgetMs: 1500 }, async (h) => {
      // Prepare
      h.slackProxy!.delay('usergroups.users.list', 900);
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: 900, times: 1 });

      // Act
      const { ack } = await h.command('repo attach payments-api', users.grouped);

      // Assess
      expect(groupReads(h, 'answered').sort()).toEqual(['S0ADM', 'S0OPS']);
      expect(textOf(ack.json)).toContain('vCR is slow right now');
      expect(h.callsOf('views.open')).toEqual([]);
    }));

  it('queues the decision without reading the store, so a store that never answers cannot hold up a Confirm', () => {
    // Prepare
    const store = createMemoryOperationStore();
    let reads = 0;
    const slowStore: OperationStore = {
      ...store,
      get: () => {
        reads++;
        return new Promise(() => {});
      },
    };
    // Jobs are kept, not run: the worker reads the store, and this store never answers.
    const queued: Job[] = [];
    const dispatcher = () => ({ dispatch: async (job: Job) => void queued.push(job) });
    return withHarness({ httpBudgetMs: 500, operations: slowStore, dispatcher }, async (h) => {
      // Act
      const { ack, responseUrl } = await h.click(
        {
          action_id: `${actionIds.decide}:0`,
          value: encodeDecisionValue('op-1', 'repo.delete', 'confirm'),
          text: { text: 'Delete' },
        },
        users.operator,
      );

      // Assess
      expect(ack.statusCode).toBe(200);
      expect(reads).toBe(0);
      expect(h.posted(responseUrl)).toEqual([]);
      expect(queued).toEqual([
        expect.objectContaining({
          kind: 'decide',
          operationId: 'op-1',
          command: 'repo.delete',
          choice: 'confirm',
          actor: expect.objectContaining({ userId: users.operator, role: 'operator' }),
          responseUrl,
        }),
      ]);
    });
  });
});

describe('the HTTP phase deadline counted from the arrival', () => {
  // The request reached API Gateway 2 s before the bot saw it, as after a slow cold start: 0.5 s of 2.5 s are left.
  const coldStartMs = 2000;
  const vcrDelayMs = 1000;

  const attachCommand = (h: SlackHarness, arrivedMsAgo: number) => {
    const body = slashCommandBody({
      text: 'repo attach payments-api',
      userId: users.operator,
      responseUrl: h.slack.responseUrl(),
    });
    const event = signedEvent(body, h.signingSecret, { base64: true });
    event.requestContext.timeEpoch -= arrivedMsAgo;
    return event;
  };

  it('answers with a slow-vCR message when a prefill that fits the budget does not fit what the arrival left', () =>
    withHarness({}, async (h) => {
      // Prepare
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs, times: 1 });

      // Act
      const ack = await h.send(attachCommand(h, coldStartMs));

      // Assess
      const text = textOf(ack.json);
      expect(text).toContain('vCR is slow right now');
      expect(text).toContain('filling in the form');
      expect(h.callsOf('views.open')).toEqual([]);
    }));

  it('opens the form when the same prefill comes in time for a request that has just arrived', () =>
    withHarness({}, async (h) => {
      // Prepare
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs, times: 1 });

      // Act
      const ack = await h.send(attachCommand(h, 0));

      // Assess
      expect(ack).toMatchObject({ statusCode: 200, text: '' });
      expect(h.callsOf('views.open')).toHaveLength(1);
    }));

  it('counts from when the bot got the request when the arrival time is older than API Gateway can hold one', () =>
    withHarness({}, async (h) => {
      // Prepare
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs, times: 1 });

      // Act
      const ack = await h.send(attachCommand(h, 60_000));

      // Assess
      expect(ack).toMatchObject({ statusCode: 200, text: '' });
      expect(h.callsOf('views.open')).toHaveLength(1);
    }));

  it('answers no options and logs why when the search does not fit what the arrival left', () =>
    withHarness({}, async (h) => {
      // Prepare
      h.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs, times: 1 });
      const body = blockSuggestionBody({
        userId: users.operator,
        value: 'pay',
        actionId: actionIds.pickRepositories,
        blockId: fieldBlockId('push'),
        view: formView('user.create'),
      });
      const event = signedEvent(body, h.signingSecret, { base64: true });
      event.requestContext.timeEpoch -= coldStartMs;

      // Act
      const answer = await h.send(event);

      // Assess
      expect(answer.json).toEqual({ options: [] });
      const line = h.logs.find((entry) => entry.includes('Repository options ran out of time'));
      expect(line && JSON.parse(line)).toMatchObject({ level: 'warn', error: { name: 'DeadlineError' } });
    }));
});
