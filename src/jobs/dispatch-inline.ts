/** Runs jobs in the same process after the ack, for `npm start`, `npm run serve` and tests. */
import { createSilentLogger, type Logger } from '../logger';
import type { Job, JobDispatcher } from './job';

/** An in-process dispatcher; the runner is set once the app that runs jobs exists. */
export interface InlineDispatcher {
  dispatcher: JobDispatcher;
  /** Sets what runs each job; jobs dispatched before it is set wait for it. */
  setRunner(run: (job: Job) => Promise<void>): void;
  /** Resolves once every dispatched job (and any job those dispatched) has finished. */
  idle(): Promise<void>;
}

/**
 * Creates an inline dispatcher. `dispatch` only schedules the job (on `setImmediate`), so the HTTP answer never waits
 * for it, as with Lambda's async invoke; a failing job is logged, never thrown.
 */
export function createInlineDispatcher(options: { logger?: Logger } = {}): InlineDispatcher {
  const logger = options.logger ?? createSilentLogger();
  const running = new Set<Promise<void>>();
  let runner: ((job: Job) => Promise<void>) | undefined;
  let runnerSet: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    runnerSet = resolve;
  });

  const run = async (job: Job) => {
    await new Promise((resolve) => setImmediate(resolve));
    await ready;
    try {
      await runner!(job);
    } catch (error) {
      logger.error('An inline job failed', { jobId: job.id, error: error instanceof Error ? error : String(error) });
    }
  };

  return {
    dispatcher: {
      async dispatch(job) {
        const task = run(job).finally(() => running.delete(task));
        running.add(task);
      },
    },
    setRunner(next) {
      runner = next;
      runnerSet();
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
  };
}
