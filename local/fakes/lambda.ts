/**
 * A small Lambda Invoke endpoint on node:http (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`), so the
 * real `@aws-sdk/client-lambda` can be pointed at it. It records invocations and can hand each payload to a callback,
 * and can misbehave as the real endpoint does: reset a kept-alive socket it closed while the caller was frozen, or
 * answer an error (throttle, 5xx) once.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One invocation the fake received. */
export interface FakeLambdaInvocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
}

/**
 * One request that reached the fake and what became of it: an invocation, a reset, an injected failure, or a refusal
 * (unknown operation or function, a payload that is not JSON).
 */
export interface FakeLambdaAttempt {
  /** The function asked for; unknown for a reset, which the fake never reads. */
  functionName?: string;
  outcome: 'invoked' | 'reset' | 'failed' | 'refused';
  /** Whether this request arrived on a socket that had already carried an earlier request. */
  reusedSocket: boolean;
}

/**
 * An error answer for `failNextInvoke`: e.g. `{ status: 429, errorType: 'TooManyRequestsException' }` (a throttle) or
 * `{ status: 500, errorType: 'ServiceException' }`. With `queued` Lambda took the event before it failed to answer,
 * so the invocation runs anyway and a retry by the caller runs it a second time.
 */
export interface FakeLambdaFailure {
  status: number;
  errorType: string;
  queued?: boolean;
}

/** A running fake Lambda. */
export interface FakeLambda {
  /** Base URL to pass as the SDK client's `endpoint` (or AWS_ENDPOINT_URL_LAMBDA). */
  readonly url: string;
  /** Invocations Lambda accepted (and handed to `onInvoke`), in order: the count a "ran once" test asserts. */
  readonly invocations: readonly FakeLambdaInvocation[];
  /** Every request that reached the fake, in order, including those reset or answered an error. */
  readonly attempts: readonly FakeLambdaAttempt[];
  /**
   * Resets (TCP RST) the next request that arrives on a kept-alive socket which already carried a request, without
   * reading or queueing it: what a caller sees when the endpoint closed its idle connection while the caller's
   * sandbox was frozen, and the caller, thawed, sends its next invoke on that dead socket.
   */
  resetNextRequestOnReusedSocket(): void;
  /** Answers the next invoke with `failure` instead of 202/200. */
  failNextInvoke(failure: FakeLambdaFailure): void;
  /** Disarms the reset and the failure if they have not been hit. */
  clearFaults(): void;
  close(): Promise<void>;
}

const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/**
 * Starts a fake Lambda on 127.0.0.1. Functions not in `functions` answer ResourceNotFoundException. An `Event`
 * invocation answers 202 at once and then calls `onInvoke` (like Lambda's queue); a `RequestResponse` one awaits it.
 */
export async function startFakeLambda(options: {
  functions: string[];
  onInvoke?: (invocation: FakeLambdaInvocation) => Promise<void> | void;
}): Promise<FakeLambda> {
  const invocations: FakeLambdaInvocation[] = [];
  const attempts: FakeLambdaAttempt[] = [];
  const requestsBySocket = new WeakMap<Socket, number>();
  let resetArmed = false;
  let failure: FakeLambdaFailure | undefined;

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const carried = requestsBySocket.get(request.socket) ?? 0;
    requestsBySocket.set(request.socket, carried + 1);
    const reusedSocket = carried > 0;
    if (resetArmed && reusedSocket) {
      resetArmed = false;
      attempts.push({ outcome: 'reset', reusedSocket });
      // An RST, as from a peer that no longer knows the connection: the caller reads ECONNRESET, nothing is queued.
      request.socket.resetAndDestroy();
      return;
    }

    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = invokePath.exec((request.url ?? '').split('?')[0] ?? '');
    const functionName = match ? decodeURIComponent(match[1]!) : undefined;
    const refuse = (status: number, type: string) => {
      attempts.push({ ...(functionName ? { functionName } : {}), outcome: 'refused', reusedSocket });
      sendError(response, status, type);
    };
    if (request.method !== 'POST' || functionName === undefined) return refuse(404, 'UnknownOperationException');
    if (!options.functions.includes(functionName)) return refuse(404, 'ResourceNotFoundException');

    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    } catch {
      return refuse(400, 'InvalidRequestContentException');
    }
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const invocation = { functionName, invocationType, payload };

    const failing = failure;
    if (failing) {
      failure = undefined;
      attempts.push({ functionName, outcome: 'failed', reusedSocket });
      if (failing.queued) {
        invocations.push(invocation);
        setImmediate(() => void Promise.resolve(options.onInvoke?.(invocation)).catch(() => {}));
      }
      return sendError(response, failing.status, failing.errorType);
    }
    attempts.push({ functionName, outcome: 'invoked', reusedSocket });
    invocations.push(invocation);

    if (invocationType === 'Event') {
      response.writeHead(202, { 'x-amzn-requestid': randomUUID(), 'content-length': 0 });
      response.end();
      setImmediate(() => void Promise.resolve(options.onInvoke?.(invocation)).catch(() => {}));
      return;
    }
    await options.onInvoke?.(invocation);
    response.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
    response.end('null');
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => sendError(response, 500, 'ServiceException'));
  });
  // Long enough that the fake never closes an idle socket itself within a test: the reset is what tests arm.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
    attempts,
    resetNextRequestOnReusedSocket() {
      resetArmed = true;
    },
    failNextInvoke(next) {
      failure = next;
    },
    clearFaults() {
      resetArmed = false;
      failure = undefined;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function sendError(response: ServerResponse, status: number, type: string): void {
  if (response.headersSent) return;
  const body = JSON.stringify({ Type: 'User', message: type });
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
  response.end(body);
}
