import { createMetrics } from '../src/metrics';

function capture() {
  const lines: string[] = [];
  const metrics = createMetrics({ service: 'vcr-chatops', sink: (line) => lines.push(line) });
  return { metrics, lines, emf: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('createMetrics', () => {
  it('writes nothing until flushed, then one EMF document per set of dimensions', () => {
    // Prepare
    const { metrics, lines, emf } = capture();

    // Act
    metrics.command('repo.quota', 'done');
    metrics.command('repo.quota', 'done');
    metrics.approval('requested');
    metrics.outcomeUnknownJob();
    const beforeFlush = lines.length;
    metrics.flush();

    // Assess
    expect(beforeFlush).toBe(0);
    expect(emf()).toEqual([
      expect.objectContaining({ command: 'repo.quota', outcome: 'done', Commands: [1, 1] }),
      expect.objectContaining({ event: 'requested', Approvals: 1 }),
      expect.objectContaining({ service: 'vcr-chatops', OutcomeUnknownJobs: 1 }),
    ]);
  });

  it('writes each fact once when flushed twice', () => {
    // Prepare
    const { metrics, lines } = capture();
    metrics.vcrError(503);

    // Act
    metrics.flush();
    metrics.flush();

    // Assess
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ status: '503', VcrErrors: 1 });
  });

  it('logs instead of throwing when the output cannot be written', () => {
    // Prepare
    const warnings: string[] = [];
    const logger = {
      debug: () => {},
      info: () => {},
      warn: (message: string) => warnings.push(message),
      error: () => {},
      child: () => logger,
      addSecret: () => {},
      addContext: () => {},
    };
    const metrics = createMetrics({
      service: 'vcr-chatops',
      logger,
      sink: () => {
        throw new Error('stdout closed');
      },
    });
    metrics.ackLatency(12);

    // Act
    const flush = () => metrics.flush();

    // Assess
    expect(flush).not.toThrow();
    expect(warnings).toEqual(['Metrics could not be written']);
  });
});
