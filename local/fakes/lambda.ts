/**
 * A small Lambda Invoke endpoint on node:http (REST-JSON, `POST /2015-03-31/functions/{name}/invocations`), so the
 * real `@aws-sdk/client-lambda` can be pointed at it. It records invocations and can hand each payload to a callback.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One invocation the fake received. */
export interface FakeLambdaInvocation {
  functionName: string;
  invocationType: string;
  payload: unknown;
}

/** A running fake Lambda. */
export interface FakeLambda {
  /** Base URL to pass as the SDK client's `endpoint` (or AWS_ENDPOINT_URL_LAMBDA). */
  readonly url: string;
  readonly invocations: readonly FakeLambdaInvocation[];
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

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const match = invokePath.exec((request.url ?? '').split('?')[0] ?? '');
    if (request.method !== 'POST' || !match) return sendError(response, 404, 'UnknownOperationException');
    const functionName = decodeURIComponent(match[1]!);
    if (!options.functions.includes(functionName)) return sendError(response, 404, 'ResourceNotFoundException');

    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
    } catch {
      return sendError(response, 400, 'InvalidRequestContentException');
    }
    const invocationType = String(request.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const invocation = { functionName, invocationType, payload };
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invocations,
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
