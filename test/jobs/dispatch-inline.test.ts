import { createInlineDispatcher } from '../../src/jobs/dispatch-inline';
import type { Job } from '../../src/jobs/job';
import { createLogger } from '../../src/logger';

const job = (id: string): Job => ({
  id,
  kind: 'invoke',
  invocation: { command: 'repo.list', args: {} },
  actor: { userId: 'U0123OPS', role: 'viewer' },
  requestKey: `slash:T0123:${id}`,
});

describe('createInlineDispatcher', () => {
  it('runs the job after dispatch has returned when a job is dispatched', async () => {
    // Prepare
    const inline = createInlineDispatcher();
    const events: string[] = [];
    inline.setRunner(async (dispatched) => {
      events.push(`run ${dispatched.id}`);
    });

    // Act
    await inline.dispatcher.dispatch(job('a'));
    events.push('dispatched');
    await inline.idle();

    // Assess
    expect(events).toEqual(['dispatched', 'run a']);
  });

  it('waits in idle for jobs that running jobs dispatch', async () => {
    // Prepare
    const inline = createInlineDispatcher();
    const ran: string[] = [];
    inline.setRunner(async (dispatched) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      ran.push(dispatched.id);
      if (dispatched.id === 'first') await inline.dispatcher.dispatch(job('second'));
    });

    // Act
    await inline.dispatcher.dispatch(job('first'));
    await inline.idle();

    // Assess
    expect(ran).toEqual(['first', 'second']);
  });

  it('logs a failing job instead of throwing when the runner rejects', async () => {
    // Prepare
    const lines: string[] = [];
    const inline = createInlineDispatcher({ logger: createLogger({ sink: (line) => lines.push(line) }) });
    inline.setRunner(async () => {
      throw new Error('vCR went away');
    });

    // Act
    await inline.dispatcher.dispatch(job('broken'));
    await inline.idle();

    // Assess
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'error',
        jobId: 'broken',
        error: expect.objectContaining({ message: 'vCR went away' }),
      }),
    ]);
  });

  it('holds jobs until the runner is set when they are dispatched early', async () => {
    // Prepare
    const inline = createInlineDispatcher();
    const ran: string[] = [];
    await inline.dispatcher.dispatch(job('early'));

    // Act
    inline.setRunner(async (dispatched) => {
      ran.push(dispatched.id);
    });
    await inline.idle();

    // Assess
    expect(ran).toEqual(['early']);
  });
});
