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

const isRepositoryList = (request: { method: string; path: string }) =>
  request.method === 'GET' && request.path === '/v1/repository';

describe('the two phases', () => {
  it('acknowledges while the emulator still holds the job’s vCR request when vCR is slow', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: '/v1/repository', delayMs: vcrDelayMs, times: 1 });

    // Act: the ack, and the emulator receiving the job's request, in whichever order they come.
    const [{ ack, responseUrl }, received] = await Promise.all([
      harness.command('repos', e2eUsers.viewer, { base64: true }),
      harness.slack.waitFor(() => harness.emulator.requests.find(isRepositoryList)),
    ]);
    const exchange = harness.vcrExchanges.find(isRepositoryList);
    const answeredByThen = exchange?.answered;
    const repliesByThen = harness.posted(responseUrl).length;
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(ack.json)).toContain('Working on');
    expect(received).toBeDefined();
    // The bot sent it and the emulator received it, yet its answer had not come: the ack did not wait for vCR.
    expect(answeredByThen).toBe(false);
    expect(repliesByThen).toBe(0);
    expect(exchange?.answered).toBe(true);
    expect(harness.posted(responseUrl)).toHaveLength(1);
    expect(readableText(harness.posted(responseUrl)[0])).toContain('payments-api');
  });
});
