import { randomBytes, randomUUID } from 'node:crypto';
import type { CommandContext } from '../../../src/commands/command';
import { parseCommandText } from '../../../src/commands/registry';
import { runInvocation } from '../../../src/commands/runner';
import { createTokenProvider } from '../../../src/vcr/token';
import { type CommandHarness, startCommandHarness } from '../../support/command-context';
import { partsOf, runText, vcrCalls } from '../../support/command-harness';
import { mrkdwn } from '../../support/mrkdwn';

describe('ping', () => {
  let harness: CommandHarness;

  beforeEach(async () => {
    harness = await startCommandHarness();
  });

  afterEach(() => harness.close());

  const linesOf = (reply: Awaited<ReturnType<typeof runText>>) =>
    mrkdwn(partsOf(reply, 'text')[0]?.text)?.split('\n') ?? [];

  it('answers one passing line per check with its time when everything works', async () => {
    // Act
    const reply = await runText(harness, 'ping', { role: 'viewer' });

    // Assess
    expect(reply.text).toBe('All 3 checks passed.');
    expect(linesOf(reply)).toEqual([
      expect.stringMatching(/^✅ \*Slack\* \(\d+ ms\): the bot token works$/),
      expect.stringMatching(/^✅ \*IAM token\* \(\d+ ms\): a vCR token was obtained$/),
      expect.stringMatching(/^✅ \*vCR\* \(\d+ ms\): answered a repository list \(4 in all\)$/),
    ]);
    expect(vcrCalls(harness, { query: true })).toEqual(['GET /v1/repository?page=1&size=1']);
  });

  it('marks only the IAM check failed, with IAM’s reason and no secret, when the credentials are rejected', async () => {
    // Prepare
    const wrongSecret = randomBytes(24).toString('base64url');
    const tokens = createTokenProvider({
      iamUrl: harness.emulator.iamUrl,
      credentials: async () => ({ clientId: harness.emulator.clientId, clientSecret: wrongSecret }),
    });
    const base = harness.context();
    const ctx: CommandContext = {
      ...base,
      health: { ...base.health, iam: async () => void (await tokens.getToken()) },
    };

    // Act
    const reply = await runInvocation(ctx, parseCommandText('ping'), { key: randomUUID() });

    // Assess
    expect(reply.text).toBe('1 of 3 checks failed: IAM token.');
    expect(linesOf(reply)).toEqual([
      expect.stringMatching(/^✅ \*Slack\*/),
      expect.stringMatching(
        /^❌ \*IAM token\* \(\d+ ms\): IamAuthError: vCR credentials rejected by VNG Cloud IAM: AUTHENTICATION_FAILED$/,
      ),
      expect.stringMatching(/^✅ \*vCR\*/),
    ]);
    expect(JSON.stringify(reply)).not.toContain(wrongSecret);
    expect(harness.logs.some((line) => line.includes('ping check failed') && line.includes('IAM token'))).toBe(true);
  });

  it('marks only the vCR check failed, with the status vCR answered, when vCR fails', async () => {
    // Prepare
    harness.emulator.inject({ method: 'GET', path: '/v1/repository', status: 500 });

    // Act
    const reply = await runText(harness, 'ping');

    // Assess
    expect(reply.text).toBe('1 of 3 checks failed: vCR.');
    expect(linesOf(reply)[2]).toMatch(
      /^❌ \*vCR\* \(\d+ ms\): VcrApiError: vCR GET \/v1\/repository answered 500: Injected fault 500$/,
    );
    expect(linesOf(reply)[1]).toMatch(/^✅ \*IAM token\*/);
  });

  it('blanks a token an error message echoes when the Slack check fails', async () => {
    // Prepare
    const token = `xox${'b'}-${randomBytes(8).toString('hex')}-${randomBytes(12).toString('hex')}`;
    const base = harness.context();
    const ctx: CommandContext = {
      ...base,
      health: {
        ...base.health,
        slack: async () => {
          throw new Error(`An API error occurred: invalid_auth\n(token ${token})`);
        },
      },
    };

    // Act
    const reply = await runInvocation(ctx, parseCommandText('ping'), { key: randomUUID() });

    // Assess
    expect(linesOf(reply)[0]).toMatch(
      /^❌ \*Slack\* \(\d+ ms\): An API error occurred: invalid_auth \(token \[redacted\]\)$/,
    );
    expect(JSON.stringify(reply)).not.toContain(token);
    expect(reply.text).toBe('1 of 3 checks failed: Slack.');
  });

  it('refuses extra words without calling anything', () => {
    // Act
    const act = () => parseCommandText('ping now');

    // Assess
    expect(act).toThrow('Unexpected word `now`.');
    expect(vcrCalls(harness, { query: true })).toEqual([]);
  });
});
