import { type E2eHarness, e2eUsers, readableText, startE2eHarness } from '../support/e2e-harness';

// vCR answers the repository list after 5 s; the figures of this case are printed by `npm run bench`.
const vcrDelayMs = 5_000;
let harness: E2eHarness;

beforeAll(async () => {
  harness = await startE2eHarness();
});

afterAll(async () => {
  await harness.close();
});

describe('the two phases', () => {
  it('acknowledges before the job’s vCR call completes when vCR is slow', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs });

    // Act
    const { ack, responseUrl } = await harness.command('repos', e2eUsers.viewer, { base64: true });
    const repliesAtAck = harness.posted(responseUrl).length;
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(ack.json)).toContain('Working on');
    expect(repliesAtAck).toBe(0);
    expect(harness.posted(responseUrl)).toHaveLength(1);
    expect(readableText(harness.posted(responseUrl)[0])).toContain('payments-api');
  });
});
