/**
 * An HTTP proxy in front of a local DynamoDB (dynalite) that makes it misbehave the way production DynamoDB can seen
 * from a client: an answer lost after the write was applied, a connection reset before the request reached the table,
 * a slow answer. The real AWS SDK is pointed at it and meets these faults through its own retries. It records every
 * operation it saw, and answers a failed condition with the item when the request asked for
 * `ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`, which DynamoDB does and dynalite 4 ignores. Local only.
 */
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

/** A DynamoDB request body as it travels on the wire: attribute values in DynamoDB JSON (`{ S: 'x' }`). */
export type DynamoWireBody = Record<string, unknown>;

/**
 * Selects requests by operation (`UpdateItem`, or the whole `X-Amz-Target` such as `DynamoDB_20120810.UpdateItem`) and
 * by a predicate on the request body in DynamoDB JSON (the document client marshals before it sends, so a predicate
 * reads `body.Key.pk.S` either way); an empty match selects every request.
 */
export interface DynamoRequestMatch {
  operation?: string;
  where?: (body: DynamoWireBody) => boolean;
}

/** What the proxy did to a request instead of passing it through. */
export type DynamoFaultKind = 'dropResponse' | 'failBeforeForward' | 'delayResponse';

/** One request the proxy received, in arrival order. */
export interface ProxiedDynamoOperation {
  /** The operation name, e.g. `UpdateItem`. */
  operation: string;
  body: DynamoWireBody;
  /** The fault this request hit, if any. */
  fault?: DynamoFaultKind;
  /** Whether dynalite received the request, so a write that passed its condition was applied. */
  forwarded: boolean;
  /** dynalite's status code, once it has answered. */
  status?: number;
  /** The short error type dynalite answered, e.g. `ConditionalCheckFailedException`. */
  errorType?: string;
}

/** A running proxy; faults are armed one request at a time and hit the first matching request. */
export interface DynamoFaultProxy {
  /** Base URL to pass as the SDK client's `endpoint` (or AWS_ENDPOINT_URL_DYNAMODB). */
  readonly url: string;
  /** Every request received, in order, with what happened to it. */
  readonly operations: readonly ProxiedDynamoOperation[];
  /** Forwards the next matching request (so a write is applied), then closes the client's socket without answering. */
  dropResponseOnce(match?: DynamoRequestMatch): void;
  /** Resets the client's connection on the next matching request without forwarding it (so nothing is applied). */
  failBeforeForwardOnce(match?: DynamoRequestMatch): void;
  /** Forwards the next matching request at once (so a write is applied) and holds its answer back for `delayMs`. */
  delayResponseOnce(match: DynamoRequestMatch, delayMs: number): void;
  /** Disarms every fault not yet hit. */
  clearFaults(): void;
  /** Stops the proxy, dropping open connections and pending delays; dynalite keeps running. */
  close(): Promise<void>;
}

interface ArmedFault {
  kind: DynamoFaultKind;
  match: DynamoRequestMatch;
  delayMs?: number;
}

interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

// Headers that belong to one hop and are set again by node:http on the way out.
const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);
const conditionCheckWrites = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);
// A bound on every call to dynalite, so a stuck upstream fails a test instead of hanging it.
const upstreamTimeoutMs = 5_000;

/**
 * Starts the proxy on 127.0.0.1 (a free port) in front of the DynamoDB endpoint `targetUrl`. With
 * `emulateConditionCheckItem: false` a failed condition is answered exactly as dynalite answers it (without `Item`).
 */
export async function startDynamoFaultProxy(options: {
  targetUrl: string;
  emulateConditionCheckItem?: boolean;
}): Promise<DynamoFaultProxy> {
  const target = new URL(options.targetUrl);
  const emulateItem = options.emulateConditionCheckItem ?? true;
  const agent = new Agent({ keepAlive: true });
  const faults: ArmedFault[] = [];
  const operations: ProxiedDynamoOperation[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const keyNames = new Map<string, string[]>();

  const callUpstream = (headers: IncomingHttpHeaders, body: Buffer): Promise<UpstreamAnswer> =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: '/',
          agent,
          timeout: upstreamTimeoutMs,
          headers: { ...withoutHopByHop(headers), 'content-length': body.length },
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => chunks.push(chunk));
          answer.on('end', () =>
            resolve({ status: answer.statusCode ?? 500, headers: answer.headers, body: Buffer.concat(chunks) }),
          );
          answer.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error(`dynalite did not answer in ${upstreamTimeoutMs} ms`)));
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  // A second call to dynalite made for the proxy's own needs: same credentials headers (dynalite wants a SigV4-shaped
  // Authorization header but never checks it), another operation.
  const callOwn = async (headers: IncomingHttpHeaders, operation: string, body: DynamoWireBody) => {
    const answer = await callUpstream(
      { ...headers, 'x-amz-target': `DynamoDB_20120810.${operation}` },
      Buffer.from(JSON.stringify(body)),
    );
    if (answer.status !== 200) throw new Error(`dynalite answered ${answer.status} to ${operation}`);
    return JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
  };

  const keyOf = async (headers: IncomingHttpHeaders, operation: string, body: DynamoWireBody) => {
    if (operation !== 'PutItem') return body.Key as DynamoWireBody | undefined;
    const table = String(body.TableName);
    let names = keyNames.get(table);
    if (!names) {
      const described = await callOwn(headers, 'DescribeTable', { TableName: table });
      const schema = (described.Table as { KeySchema?: { AttributeName: string }[] }).KeySchema ?? [];
      names = schema.map((key) => key.AttributeName);
      keyNames.set(table, names);
    }
    const item = (body.Item ?? {}) as DynamoWireBody;
    return Object.fromEntries(names.map((name) => [name, item[name]]));
  };

  // DynamoDB puts the item that failed the condition into the error body as `Item` (absent when there was no item);
  // dynalite 4 accepts the parameter and leaves it out. The item is read right after the failed check, which is what
  // DynamoDB returns as long as nothing else writes the item in between (true in tests that control their writers).
  const withConditionCheckItem = async (
    headers: IncomingHttpHeaders,
    operation: string,
    body: DynamoWireBody,
    answer: UpstreamAnswer,
  ): Promise<UpstreamAnswer> => {
    if (
      !emulateItem ||
      !conditionCheckWrites.has(operation) ||
      body.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' ||
      errorTypeOf(answer) !== 'ConditionalCheckFailedException'
    )
      return answer;
    const key = await keyOf(headers, operation, body);
    const read = await callOwn(headers, 'GetItem', { TableName: body.TableName, Key: key, ConsistentRead: true });
    if (!read.Item) return answer;
    const error = JSON.parse(answer.body.toString('utf8')) as Record<string, unknown>;
    const rewritten = Buffer.from(JSON.stringify({ ...error, Item: read.Item }));
    return { ...answer, body: rewritten, headers: { ...answer.headers, 'x-amz-crc32': String(crc32(rewritten)) } };
  };

  const takeFault = (operation: string, target: string, body: DynamoWireBody) => {
    const index = faults.findIndex(({ match }) => {
      if (match.operation !== undefined && match.operation !== operation && match.operation !== target) return false;
      return match.where === undefined || match.where(body);
    });
    return index < 0 ? undefined : faults.splice(index, 1)[0];
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const raw = await readBody(request);
    const targetHeader = String(request.headers['x-amz-target'] ?? '');
    const operation = targetHeader.slice(targetHeader.lastIndexOf('.') + 1);
    const body = parseBody(raw);
    const fault = takeFault(operation, targetHeader, body);
    const seen: ProxiedDynamoOperation = { operation, body, forwarded: false, ...(fault ? { fault: fault.kind } : {}) };
    operations.push(seen);

    if (fault?.kind === 'failBeforeForward') {
      // A reset (RST), not a clean close: what the SDK sees when a connection breaks before DynamoDB got the request.
      request.socket.resetAndDestroy();
      return;
    }
    seen.forwarded = true;
    const answer = await withConditionCheckItem(
      request.headers,
      operation,
      body,
      await callUpstream(request.headers, raw),
    );
    seen.status = answer.status;
    const errorType = errorTypeOf(answer);
    if (errorType) seen.errorType = errorType;

    if (fault?.kind === 'dropResponse') {
      // The write is applied and its answer never arrives: the SDK sees the socket close with no response.
      request.socket.destroy();
      return;
    }
    if (fault?.kind === 'delayResponse') await wait(fault.delayMs ?? 0);
    if (response.destroyed) return;
    response.writeHead(answer.status, withoutHopByHop(answer.headers));
    response.end(answer.body);
  };

  const server = createServer((request, response) => {
    // A failure of the proxy itself is answered as a 500 naming the proxy, never as a silent drop that the SDK would
    // take for an injected fault.
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent || response.destroyed) return;
      const message = `dynamodb-fault-proxy: ${error instanceof Error ? error.message : String(error)}`;
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const arm = (kind: DynamoFaultKind, match: DynamoRequestMatch, delayMs?: number) => {
    faults.push({ kind, match, ...(delayMs === undefined ? {} : { delayMs }) });
  };

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    operations,
    dropResponseOnce: (match = {}) => arm('dropResponse', match),
    failBeforeForwardOnce: (match = {}) => arm('failBeforeForward', match),
    delayResponseOnce: (match, delayMs) => arm('delayResponse', match, delayMs),
    clearFaults() {
      faults.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        agent.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function parseBody(raw: Buffer): DynamoWireBody {
  try {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' ? (parsed as DynamoWireBody) : {};
  } catch {
    return {};
  }
}

// dynalite answers errors as `{"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", …}`.
function errorTypeOf(answer: UpstreamAnswer): string | undefined {
  if (answer.status < 400) return undefined;
  const type = parseBody(answer.body).__type;
  return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
}

function withoutHopByHop(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name.toLowerCase())) kept[name] = value;
  }
  return kept;
}
