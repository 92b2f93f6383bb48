/** The IAM side of the emulator: client-credentials tokens, and the bearer check in front of every vCR route. */
import { randomBytes } from 'node:crypto';
import { EmulatorHttpError } from './emulator-http-error';

/** An IAM answer: status and JSON body (`{"errors":[{code,message}]}` on failure, as IAM shapes them). */
export interface IamAnswer {
  status: number;
  json: unknown;
}

/** Issues and checks opaque bearer tokens that expire on the injected clock. */
export interface TokenIssuer {
  /** Answers `POST /accounts-api/v2/auth/token` from its headers and raw body. */
  handleTokenRequest(headers: { authorization?: string; contentType?: string }, rawBody: string): IamAnswer;
  /** Returns a fresh valid token without going through HTTP. */
  issue(): string;
  /** Throws a 401 unless `authorization` is `Bearer <token>` for an issued, unexpired token. */
  assertBearer(authorization: string | undefined): void;
  /** Makes every token issued so far invalid. */
  expireAll(): void;
  /** Accepts `clientSecret` from now on instead of the one before, as IAM does after a rotation. */
  setClientSecret(clientSecret: string): void;
}

function iamError(status: number, code: string, message: string): IamAnswer {
  return { status, json: { errors: [{ code, message }] } };
}

function parseBasic(authorization: string | undefined): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { clientId: decoded.slice(0, colon), clientSecret: decoded.slice(colon + 1) };
}

/** Returns a token issuer accepting one client id and secret, with tokens living `ttlSeconds` on `now()`. */
export function createTokenIssuer(options: {
  clientId: string;
  clientSecret: string;
  ttlSeconds: number;
  now: () => number;
}): TokenIssuer {
  const expiries = new Map<string, number>();
  let clientSecret = options.clientSecret;

  const issue = () => {
    const token = randomBytes(32).toString('base64url');
    expiries.set(token, options.now() + options.ttlSeconds * 1000);
    return token;
  };

  return {
    handleTokenRequest(headers, rawBody) {
      const credentials = parseBasic(headers.authorization);
      if (!credentials || credentials.clientId !== options.clientId || credentials.clientSecret !== clientSecret) {
        return iamError(401, 'AUTHENTICATION_FAILED', 'Client authentication failed: check the client id and secret');
      }
      const mediaType = (headers.contentType ?? '').split(';')[0].trim().toLowerCase();
      if (mediaType !== 'application/x-www-form-urlencoded') {
        return iamError(400, 'INVALID_REQUEST', 'Content-Type must be application/x-www-form-urlencoded');
      }
      const grantType = new URLSearchParams(rawBody).get('grant_type');
      if (grantType !== 'client_credentials') {
        return iamError(400, 'UNSUPPORTED_GRANT_TYPE', 'grant_type must be client_credentials');
      }
      return {
        status: 200,
        json: {
          token_type: 'Bearer',
          access_token: issue(),
          expires_in: options.ttlSeconds,
          refresh_expires_in: 0,
        },
      };
    },
    issue,
    assertBearer(authorization) {
      const match = /^Bearer (\S+)$/.exec(authorization ?? '');
      if (!match) throw new EmulatorHttpError(401, 'Missing bearer token');
      const expiresAt = expiries.get(match[1]);
      if (expiresAt === undefined || options.now() >= expiresAt) {
        throw new EmulatorHttpError(401, 'Invalid or expired token');
      }
    },
    expireAll() {
      expiries.clear();
    },
    setClientSecret(next) {
      clientSecret = next;
    },
  };
}
