/** VNG Cloud IAM access tokens for vCR: client-credentials minting, caching, early renewal and single flight. */
import crossFetch from 'cross-fetch';
import type { Logger } from '../logger';
import { IamAuthError } from './errors';

/** Hands out a valid bearer token for vCR; `invalidate` drops it after vCR answered 401. */
export interface TokenProvider {
  getToken(): Promise<string>;
  /** Forces the next `getToken` to renew; given the rejected token, it ignores a token that was already replaced. */
  invalidate(rejected?: string): void;
}

/** What the secrets store holds for vCR: a client id and secret, or a ready access token. */
export interface IamCredentials {
  clientId?: string;
  clientSecret?: string;
  accessToken?: string;
}

/** Options of `createTokenProvider`. */
export interface TokenProviderOptions {
  /** The full token URL, e.g. `https://iamapis.vngcloud.vn/accounts-api/v2/auth/token`. */
  iamUrl: string;
  /** Reads the current credentials; called before every mint so rotated secrets are picked up. */
  credentials: () => Promise<IamCredentials>;
  /**
   * Reads the credentials again now, for when IAM rejected them (400/401) or vCR rejected a static token: they were
   * probably rotated. Resolves with the current ones when nothing newer can be read. Without it, `credentials` is used.
   */
  refreshCredentials?: () => Promise<IamCredentials>;
  fetch?: typeof fetch;
  now?: () => number;
  /** Per mint; 10 s by default. */
  timeoutMs?: number;
  logger?: Logger;
}

// Renew this long before expiry, or a fifth of the lifetime when that is shorter (docs/vcr-api.md#authentication).
const renewMarginMs = 5 * 60 * 1000;
// IAM documents `expires_in` (docs/vcr-api.md#authentication); if an answer ever lacks it, a short life only costs an
// extra mint.
const fallbackLifetimeSeconds = 300;

interface CachedToken {
  value: string;
  renewAt: number;
  isStatic: boolean;
}

/** Creates a token provider that mints one token at a time and shares it until shortly before it expires. */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const doFetch = options.fetch ?? (crossFetch as typeof fetch);
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const refreshCredentials = options.refreshCredentials ?? options.credentials;
  let cached: CachedToken | undefined;
  let inflight: Promise<string> | undefined;
  // Set when vCR rejected a static token, so the next `obtain` re-reads the credentials instead of serving it again.
  let staticRejected = false;

  // After a rotation the first mint with the old pair is rejected: the pair is re-read and, when it changed, the mint
  // is tried once more, so the command that met the rotation still works (docs/decisions/0010-credentials-under-rotation.md).
  const obtain = async (): Promise<string> => {
    const reread = staticRejected;
    staticRejected = false;
    const credentials = reread ? await refreshCredentials() : await options.credentials();
    try {
      return await obtainWith(credentials);
    } catch (error) {
      if (reread || !isRejection(error)) throw error;
      const fresh = await refreshCredentials().catch(() => credentials);
      if (sameCredentials(fresh, credentials)) throw error;
      options.logger?.warn('VNG Cloud IAM rejected the vCR credentials; trying once more with the ones just read');
      return obtainWith(fresh);
    }
  };

  const obtainWith = async (credentials: IamCredentials): Promise<string> => {
    if (credentials.accessToken) {
      options.logger?.addSecret(credentials.accessToken);
      cached = { value: credentials.accessToken, renewAt: Number.POSITIVE_INFINITY, isStatic: true };
      return credentials.accessToken;
    }
    const { clientId, clientSecret } = credentials;
    if (!clientId || !clientSecret) {
      throw new IamAuthError(
        'vCR credentials are incomplete: a client id and a client secret (or an access token) are needed.',
      );
    }
    options.logger?.addSecret(clientSecret);
    const issuedAt = now();
    const { accessToken, expiresIn } = await mint(clientId, clientSecret);
    options.logger?.addSecret(accessToken);
    const lifetimeMs = expiresIn * 1000;
    cached = {
      value: accessToken,
      renewAt: issuedAt + lifetimeMs - Math.min(renewMarginMs, lifetimeMs / 5),
      isStatic: false,
    };
    options.logger?.debug('vCR token minted', { expiresIn });
    return accessToken;
  };

  const mint = async (clientId: string, clientSecret: string): Promise<{ accessToken: string; expiresIn: number }> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let text: string;
    try {
      const response = await doFetch(options.iamUrl, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: 'grant_type=client_credentials',
        signal: controller.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (controller.signal.aborted) {
        throw new IamAuthError(`VNG Cloud IAM did not answer within ${timeoutMs} ms while minting a vCR token.`);
      }
      throw new IamAuthError('VNG Cloud IAM could not be reached to mint a vCR token.', { cause: error });
    } finally {
      clearTimeout(timer);
    }

    const body = parseJson(text);
    if (status >= 200 && status < 300) {
      const accessToken = body?.access_token;
      if (typeof accessToken !== 'string' || accessToken === '') {
        throw new IamAuthError('VNG Cloud IAM answered without an access token.', { status });
      }
      const expiresIn = Number(body?.expires_in);
      return { accessToken, expiresIn: expiresIn > 0 ? expiresIn : fallbackLifetimeSeconds };
    }

    const code = iamErrorCode(body);
    if (status === 400 || status === 401) {
      const reason = code ?? iamErrorMessage(body, clientSecret) ?? `HTTP ${status}`;
      throw new IamAuthError(`vCR credentials rejected by VNG Cloud IAM: ${reason}`, { code, status });
    }
    throw new IamAuthError(`VNG Cloud IAM answered ${status} while minting a vCR token${code ? `: ${code}` : '.'}`, {
      code,
      status,
    });
  };

  return {
    getToken() {
      if (cached && now() < cached.renewAt) return Promise.resolve(cached.value);
      if (!inflight) {
        // One mint serves every concurrent caller; a failure is not remembered, so the next call tries again.
        inflight = obtain().finally(() => {
          inflight = undefined;
        });
      }
      return inflight;
    },
    invalidate(rejected) {
      if (!cached || (rejected !== undefined && rejected !== cached.value)) return;
      // A static token cannot be renewed here: the secrets must be re-read to pick up a rotated one.
      if (cached.isStatic) staticRejected = true;
      cached = undefined;
    },
  };
}

// IAM answers 400 or 401 to a client pair it does not accept; a 5xx or a timeout says nothing about the pair.
function isRejection(error: unknown): boolean {
  return error instanceof IamAuthError && (error.status === 400 || error.status === 401);
}

// Compared, never logged.
function sameCredentials(a: IamCredentials, b: IamCredentials): boolean {
  return a.clientId === b.clientId && a.clientSecret === b.clientSecret && a.accessToken === b.accessToken;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function firstIamError(body: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const errors = body?.errors;
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  return first && typeof first === 'object' ? (first as Record<string, unknown>) : undefined;
}

function iamErrorCode(body: Record<string, unknown> | undefined): string | undefined {
  const code = firstIamError(body)?.code ?? body?.code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

/** IAM's own words, cut short, with the secret blanked in case IAM ever echoes it. */
function iamErrorMessage(body: Record<string, unknown> | undefined, secret: string): string | undefined {
  const message = firstIamError(body)?.message ?? body?.message ?? body?.error;
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  return message.split(secret).join('[redacted]').replace(/\s+/g, ' ').trim().slice(0, 200);
}
