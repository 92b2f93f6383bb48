/** The typed vCR management client: all 23 operations of docs/vcr-api.md#operations, grouped by resource noun. */
import crossFetch from 'cross-fetch';
import { UserError } from '../errors';
import type { Logger } from '../logger';
import { VcrApiError, VcrMissingSecretError, VcrNetworkError, VcrTimeoutError } from './errors';
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
  create(body: CreateRepositoryRequest): Promise<Repository>;
  delete(repoId: string): Promise<Repository>;
  updateQuota(repoId: string, quotaLimit: number): Promise<Repository>;
  attachUsers(repoId: string, repoUserList: { repoUserId: string; policyIdList: string[] }[]): Promise<void>;
  detachUsers(repoId: string, repoUserUuidList: string[]): Promise<void>;
  listUsers(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<RepoUserWithActions>>;
}

/** Image operations (#8, #11, #12); image names may contain `/`. */
export interface ImagesApi {
  list(repoId: string, query?: PageQuery & { name?: string }): Promise<Paging<Image>>;
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
}

interface Answer {
  status: number;
  text: string;
}

// Kept short so a Slack reply or a log line stays readable (src/vcr/errors.ts).
const maxServerMessage = 300;

/** Creates the vCR client: bearer auth with one re-mint on 401, retried reads, a timeout on every call, typed errors. */
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
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (controller.signal.aborted) throw new VcrTimeoutError({ method: call.method, path: call.path, timeoutMs });
      throw new VcrNetworkError({ method: call.method, path: call.path, cause: error });
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
      const failure = outcome instanceof Error ? outcome : toApiError(call, outcome, token);
      if (!call.retry || failures >= retries || !isTransient(failure)) throw failure;
      const delay = jitter(backoffMs * 2 ** failures);
      failures += 1;
      logger?.warn('vCR call retried', { operation: call.operation, path: call.path, failures, delay, error: failure });
      await sleep(delay);
    }
  };

  const json = async (call: Call): Promise<unknown> => parseBody(call, await send(call));
  const read = (operation: string, path: string, query?: Record<string, QueryValue>, lookup = true): Call => ({
    operation,
    method: 'GET',
    path,
    query,
    retry: true,
    lookup,
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
  });
  const paging = async <T>(call: Call): Promise<Paging<T>> => toPaging<T>(await json(call), call.query);

  return {
    repositories: {
      list: async (query = {}) =>
        paging(
          read(
            'repositories.list',
            '/v1/repository',
            { accessLevel: query.accessLevel, name: query.name, ...pageOf(query) },
            false,
          ),
        ),
      get: async (repoId) => (await json(read('repositories.get', route`/v1/repository/${repoId}`))) as Repository,
      create: async (body) =>
        (await json({
          ...write('repositories.create', 'POST', '/v1/repository', {
            repoName: body.repoName,
            isPublic: body.isPublic,
            quotaLimit: body.quotaLimit,
          }),
          lookup: false,
        })) as Repository,
      delete: async (repoId) =>
        (await json(write('repositories.delete', 'DELETE', route`/v1/repository/${repoId}`))) as Repository,
      updateQuota: async (repoId, quotaLimit) =>
        (await json(
          write('repositories.updateQuota', 'PUT', route`/v1/repository/${repoId}/quotas`, { repoId, quotaLimit }),
        )) as Repository,
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
        paging(
          read('repositories.listUsers', route`/v1/repository/${repoId}/user`, { name: query.name, ...pageOf(query) }),
        ),
    },
    images: {
      // Image and artifact lists always carry `name=`: without it vCR answers 400 or 500
      // (docs/vcr-api.md#lists-and-paging).
      list: async (repoId, query = {}) =>
        paging(
          read('images.list', route`/v1/repository/${repoId}/images`, { name: query.name ?? '', ...pageOf(query) }),
        ),
      get: async (repoId, imageName) =>
        (await json(read('images.get', route`/v1/repository/${repoId}/images/detail`, { imageName }))) as Image,
      delete: async (repoId, imageName) => {
        await send(
          write('images.delete', 'DELETE', route`/v1/repository/${repoId}/images/delete`, undefined, { imageName }),
        );
      },
    },
    artifacts: {
      list: async (repoId, imageName, query = {}) =>
        paging(
          read('artifacts.list', route`/v1/repository/${repoId}/images/artifacts`, {
            imageName,
            name: query.name ?? '',
            ...pageOf(query),
          }),
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
      list: async (query = {}) => paging(read('users.list', '/v1/user', { name: query.name, ...pageOf(query) }, false)),
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
            'vCR created the repository user but its answer held no secret; refresh the secret to get one.',
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
        const call = { ...read('users.refreshSecret', route`/v1/user/${repoUserId}/refresh`), retry: false };
        const secret = secretOf((await send(call)).text);
        if (!secret) {
          throw new VcrMissingSecretError('vCR refreshed the secret but its answer held none; refresh it again.', call);
        }
        logger?.addSecret(secret);
        return secret;
      },
    },
    permissions: {
      list: async () => {
        const body = await json(read('permissions.list', '/v1/user/permissions', undefined, false));
        // Documented as a bare array; a paged answer is accepted too.
        if (Array.isArray(body)) return body as Policy[];
        return toPaging<Policy>(body, undefined).listData ?? [];
      },
    },
    history: {
      list: async (repoId, query = {}) =>
        paging(read('history.list', route`/v1/repository/${repoId}/history`, pageOf(query))),
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

function parseBody(call: Call, answer: Answer): unknown {
  if (answer.text.trim() === '') return undefined;
  try {
    return JSON.parse(answer.text);
  } catch {
    throw new VcrApiError({
      status: answer.status,
      method: call.method,
      path: call.path,
      serverMessage: `the answer is not JSON: ${oneLine(answer.text)}`,
    });
  }
}

/** Normalizes a page: `listData: null` becomes `[]`, a bare array becomes one page; unknown fields pass through. */
function toPaging<T>(body: unknown, query: Record<string, QueryValue> | undefined): Paging<T> {
  if (Array.isArray(body)) {
    return { listData: body as T[], page: 1, pageSize: body.length, totalPage: 1, totalItem: body.length };
  }
  const page = (body && typeof body === 'object' ? body : {}) as Partial<Paging<T>>;
  const listData = Array.isArray(page.listData) ? page.listData : [];
  return {
    ...page,
    listData,
    page: page.page ?? Number(query?.page ?? 1),
    pageSize: page.pageSize ?? Number(query?.size ?? listData.length),
    totalPage: page.totalPage ?? (listData.length === 0 ? 0 : Number(query?.page ?? 1)),
    totalItem: page.totalItem ?? listData.length,
  };
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

/** The secret from create-user (`{"secretKey": ...}`) or refresh (a plain string, maybe JSON-quoted). */
function secretOf(text: string): string | undefined {
  const trimmed = text.trim();
  let body: unknown = trimmed;
  try {
    body = JSON.parse(trimmed);
  } catch {
    // A plain string body is the documented shape of refresh.
  }
  if (typeof body === 'string') return body || undefined;
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    const value = record.secretKey ?? record.secret ?? record.data;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function toApiError(call: Call, answer: Answer, token: string): VcrApiError {
  const message = serverMessageOf(answer.text);
  // A gateway echoing the request must not carry the bearer token into a log line or a reply.
  const serverMessage = token ? message.split(token).join('[redacted]') : message;
  const notFound =
    call.lookup && (answer.status === 404 || (answer.status === 500 && /not\s*found|not\s*exist/i.test(serverMessage)));
  return new VcrApiError({ status: answer.status, method: call.method, path: call.path, serverMessage, notFound });
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
  return oneLine(text) || '(empty answer)';
}

function messageField(value: unknown): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>).message : undefined;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > maxServerMessage ? `${line.slice(0, maxServerMessage - 1)}…` : line;
}
