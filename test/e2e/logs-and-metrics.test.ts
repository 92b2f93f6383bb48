import { buttonIn, e2eUsers, useE2eHarness } from '../support/e2e-harness';

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The EMF documents among the bot's output lines (CloudWatch reads them out of the same log stream). */
function metricsIn(lines: string[]): Emf[] {
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry): entry is Emf => '_aws' in entry);
}

/** The EMF documents that report `name`, e.g. `Commands`. */
function reporting(lines: string[], name: string): Emf[] {
  return metricsIn(lines).filter((emf) =>
    emf._aws.CloudWatchMetrics[0]!.Metrics.some((metric) => metric.Name === name),
  );
}

/** The log lines (not metrics) whose message is `message`. */
function logLines(lines: string[], message: string): Record<string, unknown>[] {
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.message === message);
}

describe('metrics and summary lines', () => {
  const harness = useE2eHarness({ jobMode: 'lambda' });

  it('counts a repo quota run as command repo.quota done in namespace VcrChatops when it succeeds', async () => {
    // Prepare
    const before = harness.logs.length;

    // Act
    await harness.reply('repo quota payments-api 33', e2eUsers.operator);

    // Assess
    const commands = reporting(harness.logs.slice(before), 'Commands');
    expect(commands).toContainEqual(
      expect.objectContaining({ command: 'repo.quota', outcome: 'done', service: 'vcr-chatops', Commands: 1 }),
    );
    const [emf] = commands;
    expect(emf!._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'VcrChatops',
      Dimensions: [expect.arrayContaining(['service', 'command', 'outcome'])],
    });
  });

  it('counts a vCR 500 as a vCR error with status 500 when vCR fails a read', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: '/v1/repository', status: 500 });
    const before = harness.logs.length;

    // Act
    await harness.reply('repos', e2eUsers.viewer);

    // Assess
    const errors = reporting(harness.logs.slice(before), 'VcrErrors');
    expect(errors).toContainEqual(expect.objectContaining({ status: '500', service: 'vcr-chatops' }));
    expect(reporting(harness.logs.slice(before), 'Commands')).toContainEqual(
      expect.objectContaining({ command: 'repos.list', outcome: 'failed' }),
    );
  });

  it('records the ack latency of a request when API Gateway stamped its arrival', async () => {
    // Prepare
    const before = harness.logs.length;

    // Act
    await harness.command('help', e2eUsers.viewer);

    // Assess
    const latency = reporting(harness.logs.slice(before), 'AckLatency');
    expect(latency).toHaveLength(1);
    expect(latency[0]!.AckLatency).toEqual(expect.any(Number));
    expect(latency[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'AckLatency', Unit: 'Milliseconds' }]);
  });

  it('writes one summary line for the request and one for its job, with user, command and outcome', async () => {
    // Prepare
    const before = harness.logs.length;

    // Act
    const { event } = await harness.command('repo quota payments-api 34', e2eUsers.operator);
    await harness.settle();

    // Assess
    const lines = harness.logs.slice(before);
    // Slack's trigger_id opens modals as the user: it is in the request key, and never in a line.
    const triggerId = new URLSearchParams(event.body ?? '').get('trigger_id');
    expect(triggerId).toBeTruthy();
    expect(lines.filter((line) => line.includes(triggerId!))).toEqual([]);
    expect(logLines(lines, 'Slack request finished')).toEqual([
      expect.objectContaining({ userId: e2eUsers.operator, commandId: 'repo.quota', outcome: 'queued' }),
    ]);
    expect(logLines(lines, 'Job finished')).toEqual([
      expect.objectContaining({ userId: e2eUsers.operator, command: 'repo.quota', outcome: 'done' }),
    ]);
  });

  it('writes the summary line of a click with the command its button names and queued when it starts a job', async () => {
    // Prepare
    const preview = await harness.reply('image delete payments-api/base/node-runtime', e2eUsers.operator);
    const before = harness.logs.length;

    // Act
    await harness.click(buttonIn(preview, 'Cancel'), e2eUsers.operator);
    await harness.settle();

    // Assess
    expect(logLines(harness.logs.slice(before), 'Slack request finished')).toEqual([
      expect.objectContaining({
        type: 'block_actions',
        userId: e2eUsers.operator,
        commandId: 'image.delete',
        outcome: 'queued',
      }),
    ]);
  });
});
