import { seedIds } from '../../../local/emulator/seed';
import type { Job, JobDispatcher } from '../../../src/jobs/job';
import { createMemoryOperationStore } from '../../support/memory-operation-store';
import { buttonIn, startSlackHarness, textOf, users, useSlackHarness } from '../../support/slack-harness';
import type { FoundButton } from '../../support/slack-requests';

const h = useSlackHarness();

/** Types a destructive command as the operator and returns the preview's buttons and where it was posted. */
async function preview(text: string): Promise<{ confirm: FoundButton; cancel: FoundButton; responseUrl: string }> {
  const { responseUrl } = await h.command(text, users.operator);
  await h.settle();
  const blocks = h.posted(responseUrl)[0]?.blocks;
  const confirm = buttonIn(blocks, 'Delete sandbox-tmp');
  return { confirm, cancel: buttonIn(blocks, 'Cancel'), responseUrl };
}

function sandboxExists(): boolean {
  return h.emulator.state.repositories.some((repo) => repo.uuid === seedIds.repositories.sandboxTmp);
}

describe('onDecisionClick', () => {
  it('refuses and deletes nothing when a viewer clicks an operator’s Delete button', async () => {
    // Prepare
    const { confirm } = await preview('repo delete sandbox-tmp');
    const jobsBefore = h.jobs.length;

    // Act
    const { ack, responseUrl } = await h.click(confirm, users.viewer);
    await h.settle();

    // Assess
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    expect(confirm.style).toBe('danger');
    expect(confirm.confirm).toMatchObject({ style: 'danger' });
    expect(textOf(h.posted(responseUrl)[0])).toContain('You need an *operator* role');
    expect(h.posted(responseUrl)[0]).toMatchObject({ replace_original: false });
    expect(h.jobs.length).toBe(jobsBefore);
    expect(sandboxExists()).toBe(true);
  });

  it('replaces the preview with a cancellation and deletes nothing when Cancel is clicked', async () => {
    // Prepare
    const { cancel } = await preview('repo delete sandbox-tmp');

    // Act
    const { responseUrl } = await h.click(cancel, users.operator);
    await h.settle();

    // Assess
    const posted = h.posted(responseUrl)[0];
    expect(posted).toMatchObject({ replace_original: true });
    expect(textOf(posted)).toContain('Cancelled by <@U0OPERATOR>');
    expect(h.jobs.at(-1)).toMatchObject({ kind: 'decide', command: 'repo.delete', choice: 'cancel' });
    expect(sandboxExists()).toBe(true);
  });

  it('executes once, replaces the preview and notifies the change channel when the requester confirms', async () => {
    // Prepare
    const { confirm } = await preview('repo delete sandbox-tmp');
    const notifiesBefore = h.callsOf('chat.postMessage').filter((call) => call.channel === 'C0NOTIFY').length;

    // Act
    const first = await h.click(confirm, users.operator);
    await h.settle();
    const second = await h.click(confirm, users.operator);
    await h.settle();

    // Assess
    expect(h.posted(first.responseUrl)[0]).toMatchObject({ replace_original: true });
    expect(sandboxExists()).toBe(false);
    const notifies = h.callsOf('chat.postMessage').filter((call) => call.channel === 'C0NOTIFY');
    expect(notifies).toHaveLength(notifiesBefore + 1);
    expect(textOf(notifies.at(-1))).toContain('sandbox-tmp');
    expect(textOf(h.posted(second.responseUrl)[0])).toContain('runs only once');
    expect(h.emulator.requests.filter((request) => request.method === 'DELETE')).toHaveLength(1);
  });
});

describe('onDecisionClick when the operation store fails', () => {
  it('reads no store before the ack, and the worker says something went wrong, with a logged reference, when the store fails', async () => {
    // Prepare
    const store = createMemoryOperationStore();
    let reads = 0;
    const held: Job[] = [];
    let inline: JobDispatcher | undefined;
    const broken = await startSlackHarness({
      operations: {
        ...store,
        get: async () => {
          reads++;
          throw new Error('table is unreachable');
        },
      },
      // Holds decision jobs back, so what the HTTP phase alone did can be seen before the worker runs.
      dispatcher: (wrapped) => {
        inline = wrapped;
        return { dispatch: async (job) => void (job.kind === 'decide' ? held.push(job) : await wrapped.dispatch(job)) };
      },
    });
    try {
      const { responseUrl: previewUrl } = await broken.command('repo delete sandbox-tmp', users.operator);
      await broken.settle();
      const confirm = buttonIn(broken.posted(previewUrl)[0]?.blocks, 'Delete sandbox-tmp');

      // Act
      const { ack, responseUrl } = await broken.click(confirm, users.operator);
      const readsBeforeWorker = reads;
      for (const job of held.splice(0)) await inline?.dispatch(job);
      await broken.settle();

      // Assess
      expect(ack).toMatchObject({ statusCode: 200, text: '' });
      expect(readsBeforeWorker).toBe(0);
      expect(reads).toBe(1);
      const text = textOf(broken.posted(responseUrl)[0]);
      expect(text).toContain('Something went wrong');
      const ref = /ref `([0-9a-f]{8})`/.exec(text)?.[1];
      expect(broken.logs.some((line) => line.includes(`"ref":"${ref}"`) && line.includes('table is unreachable'))).toBe(
        true,
      );
      expect(broken.emulator.state.repositories.some((repo) => repo.uuid === seedIds.repositories.sandboxTmp)).toBe(
        true,
      );
      expect(broken.ackProblems()).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});
