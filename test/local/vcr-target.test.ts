import { PassThrough } from 'node:stream';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localAwsCredentials } from '../../local/fakes/dynamodb';
import { startFakeSecretsManager } from '../../local/fakes/secrets-manager';
import { chooseVcrTarget, confirmRealVcr, readRealVcrEnv, vcrTargetBanner } from '../../local/vcr-target';

describe('chooseVcrTarget', () => {
  it('chooses the emulator when no vCR credentials are set', () => {
    // Act
    const target = chooseVcrTarget({ PATH: '/usr/bin', VCR_API_URL: 'https://elsewhere.example' });

    // Assess
    expect(target).toEqual({ kind: 'emulator' });
  });

  it('chooses the real vCR at the default URLs when SECRET_ID is set', () => {
    // Act
    const target = chooseVcrTarget({ SECRET_ID: 'vcr-chatops/prod' });

    // Assess
    expect(target).toEqual({
      kind: 'real',
      source: 'SECRET_ID',
      apiUrl: 'https://vcr.api.vngcloud.vn',
      iamUrl: 'https://iamapis.vngcloud.vn/accounts-api/v2/auth/token',
    });
  });

  it('chooses the real vCR at VCR_API_URL when a client pair is set', () => {
    // Act
    const target = chooseVcrTarget({
      VCR_CLIENT_ID: 'id',
      VCR_CLIENT_SECRET: 'secret',
      VCR_API_URL: 'https://vcr.staging.example',
    });

    // Assess
    expect(target).toMatchObject({ kind: 'real', source: 'VCR_CLIENT_ID', apiUrl: 'https://vcr.staging.example' });
  });

  it('chooses the real vCR, never the emulator, when only a pre-issued VCR_ACCESS_TOKEN is set', () => {
    // Act
    const target = chooseVcrTarget({
      VCR_ACCESS_TOKEN: 'token-from-the-console',
      VCR_API_URL: 'https://vcr.staging.example',
    });

    // Assess
    expect(target).toMatchObject({ kind: 'real', source: 'VCR_ACCESS_TOKEN', apiUrl: 'https://vcr.staging.example' });
  });

  it('is invalid, never the emulator, when only half a client pair is set', () => {
    // Act
    const target = chooseVcrTarget({ VCR_CLIENT_SECRET: 'secret' });

    // Assess
    expect(target.kind).toBe('invalid');
  });

  it('is invalid and names the variable when a vCR URL is not a URL', () => {
    // Act
    const target = chooseVcrTarget({ VCR_CLIENT_ID: 'id', VCR_CLIENT_SECRET: 'secret', VCR_API_URL: 'nowhere' });

    // Assess
    expect(target).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('VCR_API_URL') });
  });
});

describe('confirmRealVcr', () => {
  /** Answers the question with `typed` (then the end of input) and resolves what confirmRealVcr decided. */
  async function answered(typed: string): Promise<boolean> {
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const decided = confirmRealVcr({ input, output });
    input.end(typed);
    return decided;
  }

  it('goes on when the person types real', async () => {
    expect(await answered('real\n')).toBe(true);
  });

  it('stops when the person types anything else', async () => {
    expect(await answered('yes\n')).toBe(false);
  });

  it('stops, without throwing, when the input ends before an answer (Ctrl-D)', async () => {
    expect(await answered('')).toBe(false);
  });
});

describe('vcrTargetBanner', () => {
  it('says everything is local demo data for the emulator', () => {
    expect(vcrTargetBanner({ kind: 'emulator' })).toContain('everything here is local demo data');
  });

  it('names the real vCR, where its credentials came from, and that deletes are real', () => {
    // Act
    const banner = vcrTargetBanner({
      kind: 'real',
      source: 'SECRET_ID',
      apiUrl: 'https://vcr.api.vngcloud.vn',
      iamUrl: 'https://iamapis.vngcloud.vn/accounts-api/v2/auth/token',
    });

    // Assess
    expect(banner).toContain('REAL vCR: https://vcr.api.vngcloud.vn (credentials from SECRET_ID)');
    expect(banner).toContain('deletes are real');
    expect(banner).not.toContain('demo data (');
  });
});

describe('readRealVcrEnv', () => {
  it('reads only the vCR fields of the secret SECRET_ID names, with the configured vCR URLs', async () => {
    // Prepare
    const secretsManager = await startFakeSecretsManager({
      secrets: {
        'vcr-chatops/dev': JSON.stringify({
          slackSigningSecret: 'signing',
          slackBotToken: 'xoxb-token',
          vcrClientId: 'client-id',
          vcrClientSecret: 'client-secret',
        }),
      },
    });
    const client = new SecretsManagerClient({
      endpoint: secretsManager.url,
      region: 'us-east-1',
      credentials: localAwsCredentials,
    });

    try {
      // Act
      const env = await readRealVcrEnv(
        { SECRET_ID: 'vcr-chatops/dev', VCR_API_URL: 'https://vcr.staging.example' },
        { secretsManager: client },
      );

      // Assess
      expect(env).toEqual({
        VCR_CLIENT_ID: 'client-id',
        VCR_CLIENT_SECRET: 'client-secret',
        VCR_API_URL: 'https://vcr.staging.example',
        VCR_IAM_URL: 'https://iamapis.vngcloud.vn/accounts-api/v2/auth/token',
      });
      expect(secretsManager.reads).toBe(1);
    } finally {
      client.destroy();
      await secretsManager.close();
    }
  });
});
