/** The typed vCR management client: all 23 operations of docs/vcr-api.md#operations, grouped by resource noun. */
import crossFetch from 'cross-fetch';
import { UserError } from '../errors';
import type { Logger } from '../logger';
import {
  VcrApiError,
  VcrMissingSecretError,
  VcrNetworkError,
  VcrTimeoutError,
  VcrUnreadableAnswerError,
} from './errors';
import type { TokenProvider } from './token';
import type {
  Artifact,
  CreateRepositoryRequest,
  CreateUserRequest,
  CreateUserResponse,
  HistoryEntry,
  Image,
  PageQuery,
  Paging,
  PermissionRequest,
  Policy,
  Repository,
  RepoUser,
  RepoUserWithActions,
  RobotAccount,
  UpdateUserRequest,
} from './types';

/** Repository operations (#1-#6, #13, #14). */
export interface RepositoriesApi {
  list(query?: PageQuery & { name?: string; accessLevel?: string }): Promise<Paging<Repository>>;
  get(repoId: string): Promise<Repository>;
  /**
   * Creates a repository; never retried. Resolves with the Repository vCR answered, or undefined when vCR accepted the
   * create (a 2xx) with an answer that is not one: the repository exists, and is read back by name when needed.
   */
  create(body: CreateRepositoryRequest): Promise<Repository | undefined>;
  /** Deletes an empty repository; resolves with the Repository vCR answered, or undefined when its answer was unreadable. */
  delete(repoId: string): Promise<Repository | undefined>;
  /** Sets the quota; resolves with the Repository vCR answered, or undefined when its 2xx answer was unreadable. */
  updateQuota(repoId: string, quotaLimit: number): Promise<Repository | undefined>;
  attachUsers(repoId: string, repoUserList: { repoUserId: string; policyIdList: string[] }[]): Promise<void>;
  detachUsers(repoId: string, repoUserUuidList: string[]): Promise<void>;
  listUsers(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<RepoUserWithActions>>;
}

/** Image operations (#8, #11, #12); image names may contain `/`. */
export interface ImagesApi {
  list(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<Image>>;
  /** Reads one image; a missing one is a not-found `VcrApiError`, a 2xx that is not an image is unreadable. */
  get(repoId: string, imageName: string): Promise<Image>;
  delete(repoId: string, imageName: string): Promise<void>;
}

/** Artifact operations (#9, #10); deleting a digest removes every tag on it. */
export interface ArtifactsApi {
  list(repoId: string, imageName: string, query?: PageQuery & { name?: string }): Promise<Paging<Artifact>>;
  delete(repoId: string, imageName: string, digest: string): Promise<void>;
}

/** Repository-user (robot account) operations (#15, #16, #18-#23). */
export interface UsersApi {
  list(query?: PageQuery & { name?: string }): Promise<Paging<RepoUser>>;
  /** Creates a user; vCR answers only the one-time secret, never retried (docs/vcr-api.md#secrets-and-retries). */
  create(body: CreateUserRequest): Promise<CreateUserResponse>;
  update(repoUserId: string, body: UpdateUserRequest): Promise<RobotAccount>;
  delete(repoUserId: string): Promise<void>;
  disable(repoUserId: string): Promise<RobotAccount>;
  enable(repoUserId: string): Promise<RobotAccount>;
  /** Replaces the user's whole permission list with `permissionRequestList`. */
  updatePermissions(repoUserId: string, permissionRequestList: PermissionRequest[]): Promise<RobotAccount>;
  /**
   * Regenerates the secret (a GET that changes state); never retried (docs/vcr-api.md#secrets-and-retries). Returns
   * the new secret.
   */
  refreshSecret(repoUserId: string): Promise<string>;
}

/**
 * The calls that change nothing on vCR: all a read command, a destructive command's preview or a form's prefill is
 * given, so that by its type a preview cannot change anything.
 */
export interface VcrReads {
  repositories: Pick<RepositoriesApi, 'list' | 'get' | 'listUsers'>;
  images: Pick<ImagesApi, 'list' | 'get'>;
  artifacts: Pick<ArtifactsApi, 'list'>;
  users: Pick<UsersApi, 'list'>;
  permissions: PermissionsApi;
  history: HistoryApi;
}

/** Permission policies (#17): a bare array, not paged. */
export interface PermissionsApi {
  list(): Promise<Policy[]>;
}

/** Usage history of one repository (#7). */
export interface HistoryApi {
  list(repoId: string, query?: PageQuery): Promise<Paging<HistoryEntry>>;
}

/** The whole vCR client. */
export interface VcrClient {
  repositories: RepositoriesApi;
  images: ImagesApi;
  artifacts: ArtifactsApi;
  users: UsersApi;
  permissions: PermissionsApi;
  history: HistoryApi;
}

/** Options of `createVcrClient`. */
export interface VcrClientOptions {
  /** The management API, e.g. `https://vcr.api.vngcloud.vn`. */
  baseUrl: string;
  tokens: TokenProvider;
  /** Defaults to cross-fetch. */
  fetch?: typeof fetch;
  /** Per attempt, including reading the body; 10 s by default. */
  timeoutMs?: number;
  /** Extra attempts of a read after a network error, 429 or 5xx; 2 by default. Writes are never retried. */
  retries?: number;
  /** Base of the jittered exponential backoff between read attempts; 200 ms by default. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  /** Told of every failed attempt: vCR's HTTP status, or `timeout` / `network` when no answer came (for metrics). */
  onFailure?: (status: number | 'timeout' | 'network') => void;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
type QueryValue = string | number | undefined;

/** One HTTP exchange with vCR, described before it is sent. */
interface Call {
  /** The client method, for log lines, e.g. `repositories.get`. */
  operation: string;
  method: Method;
  /** Already encoded, without query. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * Safe to send again after a network error, 429 or 5xx: reads only, never refresh
   * (docs/vcr-api.md#secrets-and-retries).
   */
  retry: boolean;
  /** The path names a repository or user by id, so a 404 (or a 500 saying so) means that id is not there. */
  lookup: boolean;
  /** True when the call changes nothing on vCR; the secret refresh is a GET that does. */
  readOnly: boolean;
  /**
   * False for a call that makes something new each time it is carried out (a create, the refresh): a 5xx may come from
   * a gateway after vCR did it, so its outcome is unknown (docs/vcr-api.md#secrets-and-retries).
   */
  idempotent: boolean;
}

interface Answer {
  status: number;
  text: string;
  /** The bearer token the call carried, blanked wherever the answer echoes it. */
  token: string;
}

// Kept short so a Slack reply or a log line stays readable (src/vcr/errors.ts).
const maxServerMessage = 300;

/**
 * Creates the vCR client: bearer auth with one re-mint on 401, retried reads, a timeout on every call, typed errors.
 * A 2xx answer to a write is success whatever its body; a 2xx answer to a read must have the shape the call returns,
 * else it is a `VcrUnreadableAnswerError` (docs/vcr-api.md#errors).
 */
export function createVcrClient(options: VcrClientOptions): VcrClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? (crossFetch as typeof fetch);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 200;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const logger = options.logger;

  const attempt = async (call: Call, token: string): Promise<Answer> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (call.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      const response = await doFetch(`${baseUrl}${call.path}${queryString(call.query)}`, {
        method: call.method,
        headers,
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
      });
      return { status: response.status, text: await response.text(), token };
    } catch (error) {
      const { method, path } = call;
      const changesState = !call.readOnly;
      if (controller.signal.aborted) throw new VcrTimeoutError({ method, path, timeoutMs, changesState });
      throw new VcrNetworkError({ method, path, cause: error, changesState });
    } finally {
      clearTimeout(timer);
    }
  };

  const send = async (call: Call): Promise<Answer> => {
    let token = await options.tokens.getToken();
    let reminted = false;
    let failures = 0;
    for (;;) {
      const outcome = await attempt(call, token).catch((error: Error) => error);
      if (!(outcome instanceof Error)) {
        logger?.debug('vCR call', { operation: call.operation, path: call.path, status: outcome.status });
        if (outcome.status >= 200 && outcome.status < 300) return outcome;
        // vCR's gateway answers 401 before the service runs, so one resend with a new token is safe for any method
        // (docs/vcr-api.md#authentication).
        if (outcome.status === 401 && !reminted) {
          reminted = true;
          options.tokens.invalidate(token);
          token = await options.tokens.getToken();
          continue;
        }
      }
      const failure = outcome instanceof Error ? outcome : toApiError(call, outcome);
      options.onFailure?.(
        outcome instanceof Error ? (outcome instanceof VcrTimeoutError ? 'timeout' : 'network') : outcome.status,
      );
      if (!call.retry || failures >= retries || !isTransient(failure)) throw failure;
      const delay = jitter(backoffMs * 2 ** failures);
      failures += 1;
      logger?.warn('vCR call retried', { operation: call.operation, path: call.path, failures, delay, error: failure });
      await sleep(delay);
    }
  };

  /** Sends a read and returns its answer when it has `shape`; anything else is a `VcrUnreadableAnswerError`. */
  const readAs = async <T>(call: Call, shape: Shape<T>): Promise<T> => {
    const answer = await send(call);
    return expectShape(call, answer, parseJson(answer.text), shape);
  };
  /** Sends a paged read and returns the page when it is one, else a `VcrUnreadableAnswerError`. */
  const readPage = async <T>(call: Call, item: Shape<T>): Promise<Paging<T>> => {
    const answer = await send(call);
    return toPaging(call, answer, parseJson(answer.text), item);
  };
  /**
   * Sends a write and returns its answer when it has `shape`. vCR carried the write out whatever a 2xx holds (HTML,
   * truncated JSON, nothing), so an answer of another shape is logged and given as undefined, never as a failure.
   */
  const writeAs = async <T>(call: Call, shape: Shape<T>): Promise<T | undefined> => {
    const answer = await send(call);
    const parsed = parseJson(answer.text);
    if (parsed.ok && shape.problem(parsed.value) === undefined) return parsed.value as T;
    logger?.warn('vCR carried out a write but its answer could not be read', {
      operation: call.operation,
      path: call.path,
      status: answer.status,
      answer: excerptOf(answer),
    });
    return undefined;
  };
  const read = (operation: string, path: string, query?: Record<string, QueryValue>, lookup = true): Call => ({
    operation,
    method: 'GET',
    path,
    query,
    retry: true,
    lookup,
    readOnly: true,
    idempotent: true,
  });
  const write = (
    operation: string,
    method: Method,
    path: string,
    body?: unknown,
    query?: Record<string, QueryValue>,
  ): Call => ({
    operation,
    method,
    path,
    query,
    body,
    retry: false,
    lookup: true,
    readOnly: false,
    // A POST creates; PUT and DELETE set or remove what they name, so doing one twice changes nothing more.
    idempotent: method !== 'POST',
  });

  return {
    repositories: {
      list: async (query = {}) =>
        readPage(
          read(
            'repositories.list',
            '/v1/repository',
            { accessLevel: query.accessLevel, name: query.name, ...pageOf(query) },
            false,
          ),
          shapes.repository,
        ),
      get: async (repoId) => readAs(read('repositories.get', route`/v1/repository/${repoId}`), shapes.repository),
      create: async (body) =>
        writeAs(
          {
            ...write('repositories.create', 'POST', '/v1/repository', {
              repoName: body.repoName,
              isPublic: body.isPublic,
              quotaLimit: body.quotaLimit,
            }),
            lookup: false,
          },
          shapes.repository,
        ),
      delete: async (repoId) =>
        writeAs(write('repositories.delete', 'DELETE', route`/v1/repository/${repoId}`), shapes.repository),
      updateQuota: async (repoId, quotaLimit) =>
        writeAs(
          write('repositories.updateQuota', 'PUT', route`/v1/repository/${repoId}/quotas`, { repoId, quotaLimit }),
          shapes.repository,
        ),
      attachUsers: async (repoId, repoUserList) => {
        await send(
          write('repositories.attachUsers', 'PUT', route`/v1/repository/${repoId}/attach`, { repoId, repoUserList }),
        );
      },
      detachUsers: async (repoId, repoUserUuidList) => {
        await send(
          write('repositories.detachUsers', 'PUT', route`/v1/repository/${repoId}/detach`, {
            repoId,
            repoUserUuidList,
          }),
        );
      },
      listUsers: async (repoId, query = {}) =>
        readPage(
          read('repositories.listUsers', route`/v1/repository/${repoId}/user`, { name: query.name, ...pageOf(query) }),
          shapes.repoUser,
        ),
    },
    images: {
      // Image and artifact lists always carry `name=`: without it vCR answers 400 or 500
      // (docs/vcr-api.md#lists-and-paging).
      list: async (repoId, query = {}) =>
        readPage(
          read('images.list', route`/v1/repository/${repoId}/images`, { name: query.name ?? '', ...pageOf(query) }),
          shapes.image,
        ),
      get: async (repoId, imageName) => {
        const call = read('images.get', route`/v1/repository/${repoId}/images/detail`, { imageName });
        // A missing image is a 404 (a lookup's not-found); a 2xx that is not an image, empty included, is unreadable,
        // never "no image" (docs/vcr-api.md#errors).
        const answer = await send(call);
        return expectShape(call, answer, parseJson(answer.text), shapes.image);
      },
      delete: async (repoId, imageName) => {
        await send(
          write('images.delete', 'DELETE', route`/v1/repository/${repoId}/images/delete`, undefined, { imageName }),
        );
      },
    },
    artifacts: {
      list: async (repoId, imageName, query = {}) =>
        readPage(
          read('artifacts.list', route`/v1/repository/${repoId}/images/artifacts`, {
            imageName,
            name: query.name ?? '',
            ...pageOf(query),
          }),
          shapes.artifact,
        ),
      delete: async (repoId, imageName, digest) => {
        await send(
          write('artifacts.delete', 'DELETE', route`/v1/repository/${repoId}/images/artifacts/delete`, undefined, {
            digest,
            imageName,
          }),
        );
      },
    },
    users: {
      list: async (query = {}) =>
        readPage(read('users.list', '/v1/user', { name: query.name, ...pageOf(query) }, false), shapes.repoUser),
      create: async (body) => {
        const call = {
          ...write('users.create', 'POST', '/v1/user', {
            name: body.name,
            permissionRequestList: body.permissionRequestList,
            duration: body.duration,
            description: body.description,
          }),
          lookup: false,
        };
        const secretKey = secretOf((await send(call)).text);
        if (!secretKey) {
          throw new VcrMissingSecretError(
            'vCR created the repository user but its answer held no usable secret; refresh the secret to get one.',
            call,
          );
        }
        logger?.addSecret(secretKey);
        return { secretKey };
      },
      update: async (repoUserId, body) =>
        robot(
          await send(
            write('users.update', 'PUT', route`/v1/user/${repoUserId}`, {
              repoUserId,
              duration: body.duration,
              description: body.description,
            }),
          ),
        ),
      delete: async (repoUserId) => {
        await send(write('users.delete', 'DELETE', route`/v1/user/${repoUserId}`));
      },
      disable: async (repoUserId) =>
        robot(await send(write('users.disable', 'PUT', route`/v1/user/${repoUserId}/disable`))),
      enable: async (repoUserId) =>
        robot(await send(write('users.enable', 'PUT', route`/v1/user/${repoUserId}/enable`))),
      updatePermissions: async (repoUserId, permissionRequestList) =>
        robot(
          await send(
            write('users.updatePermissions', 'PUT', route`/v1/user/${repoUserId}/permission`, {
              repoUserId,
              permissionRequestList,
            }),
          ),
        ),
      refreshSecret: async (repoUserId) => {
        // A GET that changes state: sent once, never retried (docs/vcr-api.md#secrets-and-retries).
        const call = {
          ...read('users.refreshSecret', route`/v1/user/${repoUserId}/refresh`),
          retry: false,
          readOnly: false,
          idempotent: false,
        };
        const secret = secretOf((await send(call)).text);
        if (!secret) {
          throw new VcrMissingSecretError(
            'vCR refreshed the secret but its answer held no usable secret; refresh it again.',
            call,
          );
        }
        logger?.addSecret(secret);
        return secret;
      },
    },
    permissions: {
      // Documented as a bare array; a paged answer is accepted too.
      list: async () =>
        (await readPage(read('permissions.list', '/v1/user/permissions', undefined, false), shapes.policy)).listData ??
        [],
    },
    history: {
      list: async (repoId, query = {}) =>
        readPage(read('history.list', route`/v1/repository/${repoId}/history`, pageOf(query)), shapes.history),
    },
  };
}

/** Builds a path with every interpolated id through `encodeURIComponent`; an empty id would address another route. */
function route(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((path, part, index) => {
    if (index === 0) return part;
    const id = ids[index - 1];
    if (typeof id !== 'string' || id === '')
      throw new TypeError(`An id in the vCR path ${strings.join('{id}')} is empty.`);
    return `${path}${encodeURIComponent(id)}${part}`;
  });
}

/** Checks page and size locally: vCR answers `page=0` with a bare 400 (docs/vcr-api.md#lists-and-paging). */
function pageOf(query: PageQuery): { page?: number; size?: number } {
  const { page, size } = query;
  if (page !== undefined && !(Number.isInteger(page) && page >= 1)) {
    throw new UserError(`Pages are numbered from 1; \`${page}\` is not a page number.`);
  }
  if (size !== undefined && !(Number.isInteger(size) && size >= 1)) {
    throw new UserError(`A page size is a whole number of 1 or more, not \`${size}\`.`);
  }
  return { page, size };
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const pairs = Object.entries(query)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return pairs.length === 0 ? '' : `?${pairs.join('&')}`;
}

/** A read may be sent again after a refused or dropped connection, 429 or 5xx; a timeout already spent its budget. */
function isTransient(error: Error): boolean {
  if (error instanceof VcrNetworkError) return true;
  return error instanceof VcrApiError && (error.status === 429 || (error.status >= 500 && !error.notFound));
}

function jitter(ms: number): number {
  return Math.round(ms / 2 + (Math.random() * ms) / 2);
}

/** What one kind of answer must look like; `problem` names what is wrong with a value, or is undefined. */
interface Shape<T> {
  /** The kind, as a log line reads it, e.g. `a repository`. */
  what: string;
  problem(value: unknown): string | undefined;
  /** Only for typing: the value a fitting answer is taken as. */
  readonly type?: T;
}

/** A JSON object whose `keys` are non-empty strings; any other field may be there too (docs/vcr-api.md#shapes). */
function record<T>(what: string, keys: readonly string[]): Shape<T> {
  return {
    what,
    problem: (value) => {
      if (!isObject(value)) return `${what} that is ${describe(value)}`;
      const missing = keys.filter((key) => typeof value[key] !== 'string' || value[key] === '');
      return missing.length === 0 ? undefined : `${what} without ${missing.join(', ')}`;
    },
  };
}

// The fields the bot cannot do without in each answer: the ids it acts on and the names it shows.
const shapes = {
  repository: record<Repository>('a repository', ['uuid', 'name']),
  image: record<Image>('an image', ['name']),
  artifact: record<Artifact>('an artifact', ['digest']),
  repoUser: record<RepoUser>('a repository user', ['uuid', 'name']),
  policy: record<Policy>('a policy', ['uuid']),
  history: record<HistoryEntry>('a history entry', []),
};

type Parsed = { ok: true; value: unknown } | { ok: false };

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) return Object.keys(value).length === 0 ? 'empty' : 'an object';
  return `a ${typeof value}`;
}

function unreadable(call: Call, answer: Answer, reason: string): VcrUnreadableAnswerError {
  return new VcrUnreadableAnswerError({
    status: answer.status,
    method: call.method,
    path: call.path,
    reason,
    excerpt: excerptOf(answer),
  });
}

function expectShape<T>(call: Call, answer: Answer, parsed: Parsed, shape: Shape<T>): T {
  if (!parsed.ok) throw unreadable(call, answer, `${shape.what} that is not JSON`);
  const problem = shape.problem(parsed.value);
  if (problem !== undefined) throw unreadable(call, answer, problem);
  return parsed.value as T;
}

/**
 * Reads a page: an object with `listData` (a list, or null for none) or a bare list; unknown fields pass through and
 * missing counts are derived. Anything else (`{}`, `{"error":"busy"}`, a string, HTML) is unreadable, never an empty
 * page: an empty page would tell the user there is nothing there.
 */
function toPaging<T>(call: Call, answer: Answer, parsed: Parsed, item: Shape<T>): Paging<T> {
  const what = `a page of ${item.what.replace(/^an? /, '')} records`;
  if (!parsed.ok) throw unreadable(call, answer, `${what} that is not JSON`);
  const body = parsed.value;
  let listData: unknown[];
  if (Array.isArray(body)) listData = body;
  else if (isObject(body) && Array.isArray(body.listData)) listData = body.listData;
  // `null` is vCR's "none", but only when the page does not count items it left out: `{"listData":null,"totalItem":3}`
  // would otherwise read as "there are none" (docs/vcr-api.md#errors).
  else if (isObject(body) && body.listData === null && !countsItems(body.totalItem)) listData = [];
  else if (isObject(body) && body.listData === null)
    throw unreadable(call, answer, `${what}, but null with items counted`);
  else throw unreadable(call, answer, `${what}, but ${isObject(body) ? 'without a list in listData' : describe(body)}`);
  for (const entry of listData) {
    const problem = item.problem(entry);
    if (problem !== undefined) throw unreadable(call, answer, `${what} holding ${problem}`);
  }
  const items = listData as T[];
  const query = call.query;
  const page = isObject(body) ? body : {};
  const asked = Number(query?.page ?? 1);
  return {
    ...page,
    listData: items,
    page: countOf(page.page) ?? asked,
    pageSize: countOf(page.pageSize) ?? Number(query?.size ?? items.length),
    totalPage: countOf(page.totalPage) ?? (items.length === 0 ? 0 : asked),
    totalItem: countOf(page.totalItem) ?? items.length,
  };
}

/** True unless `totalItem` is absent or says there are none: a page that counts items must list them. */
function countsItems(totalItem: unknown): boolean {
  return totalItem !== undefined && totalItem !== null && countOf(totalItem) !== 0;
}

/** A count as vCR may send it (a number, or digits in a string), or undefined when it sent none usable. */
function countOf(value: unknown): number | undefined {
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isFinite(count) && count >= 0 ? count : undefined;
}

/** The start of an answer for a log line, on one line and without the bearer token; never shown to a user. */
function excerptOf(answer: Answer): string {
  const text = oneLine(answer.text) || '(empty answer)';
  return answer.token ? text.split(answer.token).join('[redacted]') : text;
}

/** The unpublished robot-account answer, kept opaque: anything but a JSON object becomes `{}`. */
function robot(answer: Answer): RobotAccount {
  try {
    const body: unknown = JSON.parse(answer.text);
    return body && typeof body === 'object' && !Array.isArray(body) ? (body as RobotAccount) : {};
  } catch {
    return {};
  }
}

/**
 * The secret from create-user (`{"secretKey": ...}`) or refresh (a plain string, maybe JSON-quoted), or undefined
 * when the answer holds no plausible secret (docs/vcr-api.md#secrets-and-retries): a gateway's web page, cut-off JSON
 * or an empty body must never be handed to a user as their secret.
 */
function secretOf(text: string): string | undefined {
  const trimmed = text.trim();
  const parsed = parseJson(trimmed);
  // A plain string body is the documented shape of refresh; anything JSON is read as JSON.
  const body: unknown = parsed.ok ? parsed.value : trimmed;
  if (typeof body === 'string') return plausibleSecret(body);
  if (isObject(body)) return plausibleSecret(body.secretKey ?? body.secret ?? body.data);
  return undefined;
}

/**
 * 8 to 512 characters, each printable ASCII other than a space, markup (`<`, `>`), quotes, a backslash, a backtick
 * or a JSON bracket: what a robot secret is made of (Harbor-style base64 or hex), and nothing a web page or a cut-off JSON
 * answer could pass for (docs/vcr-api.md#secrets-and-retries).
 */
const secretPattern = /^[!#-&(-;=?-Z^_a-z|~]{8,512}$/;

function plausibleSecret(value: unknown): string | undefined {
  return typeof value === 'string' && secretPattern.test(value) ? value : undefined;
}

function toApiError(call: Call, answer: Answer): VcrApiError {
  const message = serverMessageOf(answer.text);
  // A gateway echoing the request must not carry the bearer token into a log line or a reply.
  const serverMessage = answer.token ? message.split(answer.token).join('[redacted]') : message;
  const notFound =
    call.lookup && (answer.status === 404 || (answer.status === 500 && /not\s*found|not\s*exist/i.test(serverMessage)));
  // A 5xx to a call that makes something new may be a gateway's, sent after vCR made it (docs/vcr-api.md#errors).
  const outcomeUnknown = !call.idempotent && answer.status >= 500 && !notFound;
  return new VcrApiError({
    status: answer.status,
    method: call.method,
    path: call.path,
    serverMessage,
    notFound,
    outcomeUnknown,
  });
}

/** Takes `message`, `error`, `detail`, then `errors[0].message`, else the raw body (docs/vcr-api.md#errors). */
function serverMessageOf(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    const errors = record.errors;
    const candidates = [
      record.message,
      record.error,
      messageField(record.error),
      record.detail,
      Array.isArray(errors) ? messageField(errors[0]) : undefined,
    ];
    for (const candidate of candidates) {
      if (typeof candidate === 'string' && candidate.trim() !== '') return oneLine(candidate);
    }
  }
  if (typeof body === 'string' && body.trim() !== '') return oneLine(body);
  // A gateway's error page is markup, not words for a user: it is named, not quoted (the log line has the status).
  if (/^\s*<(!doctype|html|head|body|\?xml)/i.test(text)) return 'a web page instead of a message';
  return oneLine(text) || '(empty answer)';
}

function messageField(value: unknown): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>).message : undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxServerMessage ? `${line.slice(0, maxServerMessage - 1)}…` : line;
}
