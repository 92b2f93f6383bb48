/** Typed failures of vCR and IAM calls; none of them holds headers, tokens or secrets. */

/** vCR answered with a non-success status. `path` has no query string. */
export class VcrApiError extends Error {
  override name = 'VcrApiError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** The server's own message, extracted per docs/vcr-api.md#errors and cut to 300 characters. */
  readonly serverMessage: string;
  /** True when the call looked up something by id and the service said it is not there (404, or 500 "not found"). */
  readonly notFound: boolean;
  /**
   * True when the call makes something new each time (a create, the secret refresh) and vCR answered 5xx: a gateway
   * may have answered after vCR carried it out, so it may have happened (docs/vcr-api.md#errors).
   */
  readonly outcomeUnknown: boolean;

  constructor(init: {
    status: number;
    method: string;
    path: string;
    serverMessage: string;
    notFound?: boolean;
    outcomeUnknown?: boolean;
  }) {
    super(`vCR ${init.method} ${init.path} answered ${init.status}: ${init.serverMessage}`);
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.serverMessage = init.serverMessage;
    this.notFound = init.notFound ?? false;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

/** A vCR call did not answer within its timeout. */
export class VcrTimeoutError extends Error {
  override name = 'VcrTimeoutError';
  readonly method: string;
  readonly path: string;
  readonly timeoutMs: number;
  /**
   * True when the call changes vCR (every write, and the secret refresh, a GET that makes a new secret): it may have
   * been carried out before its answer was lost.
   */
  readonly changesState: boolean;

  constructor(init: { method: string; path: string; timeoutMs: number; changesState?: boolean }) {
    super(`vCR ${init.method} ${init.path} timed out after ${init.timeoutMs} ms`);
    this.method = init.method;
    this.path = init.path;
    this.timeoutMs = init.timeoutMs;
    this.changesState = init.changesState ?? init.method !== 'GET';
  }
}

/** vCR could not be reached at all (connection refused, DNS, reset), or the connection dropped before its answer. */
export class VcrNetworkError extends Error {
  override name = 'VcrNetworkError';
  readonly method: string;
  readonly path: string;
  /** True when the call changes vCR, so a connection dropped after sending may have left it carried out. */
  readonly changesState: boolean;

  constructor(init: { method: string; path: string; cause?: unknown; changesState?: boolean }) {
    super(`vCR ${init.method} ${init.path} could not be reached`, { cause: init.cause });
    this.method = init.method;
    this.path = init.path;
    this.changesState = init.changesState ?? init.method !== 'GET';
  }
}

/**
 * vCR answered a read with success but with a body that is not what the call returns (not JSON, `{}`, a string,
 * `{"error":"busy"}`, HTML). The message holds the start of the body for the log; users are never shown it.
 */
export class VcrUnreadableAnswerError extends Error {
  override name = 'VcrUnreadableAnswerError';
  readonly status: number;
  readonly method: string;
  readonly path: string;
  /** What was expected and what was wrong, e.g. `a page of repositories: no listData`. */
  readonly reason: string;

  constructor(init: { status: number; method: string; path: string; reason: string; excerpt: string }) {
    super(`vCR ${init.method} ${init.path} answered ${init.status} with ${init.reason}: ${init.excerpt}`);
    this.status = init.status;
    this.method = init.method;
    this.path = init.path;
    this.reason = init.reason;
  }
}

/** VNG Cloud IAM refused the client credentials or could not mint a token. */
export class IamAuthError extends Error {
  override name = 'IamAuthError';
  /** IAM's error code, such as `AUTHENTICATION_FAILED`, when it gave one. */
  readonly code?: string;
  readonly status?: number;

  constructor(message: string, init: { code?: string; status?: number; cause?: unknown } = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
  }
}

/**
 * vCR answered a call that makes a secret (create user, refresh) with success but sent no secret back: the change
 * may have happened, and its secret is lost.
 */
export class VcrMissingSecretError extends Error {
  override name = 'VcrMissingSecretError';
  readonly method: string;
  readonly path: string;

  constructor(message: string, init: { method: string; path: string }) {
    super(message);
    this.method = init.method;
    this.path = init.path;
  }
}

/**
 * True when a failed call that changes vCR may still have been carried out: its answer timed out or its connection
 * dropped after it was sent, or a call that makes something new (a create, the refresh) was answered 5xx. The one
 * test for "outcome unknown" that the record, the wording and the creates share.
 */
export function mayHaveBeenCarriedOut(error: unknown): boolean {
  if (error instanceof VcrTimeoutError || error instanceof VcrNetworkError) return error.changesState;
  return error instanceof VcrApiError && error.outcomeUnknown;
}
