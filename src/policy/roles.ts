/**
 * Who holds which role: the configured lists of Slack user ids (`U…`/`W…`), user group ids (`S…`) and `*`.
 * Deny by default: a user in no list has no role at all. A group that cannot be read is never taken for one the
 * user is not in: the role is then unknown, and the lookup says so (`RoleCheckError`).
 */
import type { Role } from './role-rank';

/**
 * The user groups that decide a user's role could not be read (Slack rate-limited, failed or refused), so whether
 * the user holds `role` is unknown; the cause is the first read's failure.
 */
export class RoleCheckError extends Error {
  override name = 'RoleCheckError';
  /** The role whose groups could not be read; the user may or may not hold it. */
  readonly role: Role;
  /** The groups that could not be read. */
  readonly groupIds: readonly string[];

  constructor(role: Role, groupIds: readonly string[], cause: unknown) {
    super(`Could not read user groups ${groupIds.join(', ')} to check the ${role} role`, { cause });
    this.role = role;
    this.groupIds = groupIds;
  }
}

/** The configured entries of each role: user ids, user group ids, or `*` for everyone. */
export interface RoleLists {
  readonly viewers: readonly string[];
  readonly operators: readonly string[];
  readonly admins: readonly string[];
}

/** Options of `createRoleResolver`. */
export interface RoleResolverOptions {
  roles: RoleLists;
  /** Lists the members of a user group (Slack's `usergroups.users.list`). */
  groupMembers: (groupId: string) => Promise<string[]>;
  /** How long a group's members are kept before they are read again. */
  ttlMs: number;
  now?: () => number;
  /** Told when a group could not be read; lookups that need it then fail with `RoleCheckError`. */
  onGroupError?: (groupId: string, error: unknown) => void;
  /**
   * How long a failed read is remembered before the group is read again, e.g. the wait a rate limit asked for; not
   * at all by default, so the next lookup tries again.
   */
  failureTtlMs?: (error: unknown) => number | undefined;
}

/** How one role lookup may wait for user groups. */
export interface RoleLookup {
  /**
   * Bounds the wait for the user group reads (the caller's request deadline); what it rejects with is passed on
   * rather than read as "not a member", so a slow Slack is never mistaken for a missing role.
   */
  bound?: <T>(reads: Promise<T>) => Promise<T>;
}

/** Resolves a Slack user's role. */
export interface RoleResolver {
  /**
   * The highest role `userId` holds, or undefined when they hold none; rejects with `RoleCheckError` when a group
   * that could give a higher role than the ones known could not be read.
   */
  roleOf(userId: string, lookup?: RoleLookup): Promise<Role | undefined>;
}

const highestFirst: { role: Role; list: keyof RoleLists }[] = [
  { role: 'admin', list: 'admins' },
  { role: 'operator', list: 'operators' },
  { role: 'viewer', list: 'viewers' },
];

/**
 * Creates a resolver that checks the lists from the highest role down. User groups are read only for roles above the
 * one the user holds by id or `*`, all at once; each group's members are cached for `ttlMs`, and concurrent reads
 * share one call.
 */
export function createRoleResolver(options: RoleResolverOptions): RoleResolver {
  return resolverOver(options, groupCache(options));
}

/** Reads a user group's members through a cache of `ttlMs`, with the failure rules of `RoleResolverOptions`. */
function groupCache(options: Omit<RoleResolverOptions, 'roles'>): (groupId: string) => Promise<Set<string>> {
  const now = options.now ?? Date.now;
  const groups = new Map<string, { members: Promise<Set<string>>; expiresAt: number }>();

  const membersOf = (groupId: string): Promise<Set<string>> => {
    const cached = groups.get(groupId);
    if (cached && now() < cached.expiresAt) return cached.members;
    const members = options.groupMembers(groupId).then((ids) => new Set(ids));
    groups.set(groupId, { members, expiresAt: now() + options.ttlMs });
    // A failed read is forgotten at once so the next request tries again, unless Slack asked for a wait (a rate
    // limit): then every lookup until then fails at once instead of asking again.
    members.catch((error: unknown) => {
      options.onGroupError?.(groupId, error);
      if (groups.get(groupId)?.members !== members) return;
      const waitMs = options.failureTtlMs?.(error);
      if (waitMs && waitMs > 0) groups.set(groupId, { members, expiresAt: now() + waitMs });
      else groups.delete(groupId);
    });
    return members;
  };
  return membersOf;
}

function resolverOver(
  options: RoleResolverOptions,
  membersOf: (groupId: string) => Promise<Set<string>>,
): RoleResolver {
  // Failing closed, but honestly: an unreadable group grants nothing, and it is reported as unread, never as "not a
  // member", so the user is told their role could not be checked rather than that they lack it.
  const membership = async (
    groupIds: string[],
    userId: string,
  ): Promise<{ member: boolean; failed: string[]; cause?: unknown }> => {
    const reads = await Promise.allSettled(groupIds.map((groupId) => membersOf(groupId)));
    const failed = groupIds.filter((_, index) => reads[index]?.status === 'rejected');
    const member = reads.some((read) => read.status === 'fulfilled' && read.value.has(userId));
    const cause = reads.find((read): read is PromiseRejectedResult => read.status === 'rejected')?.reason;
    return { member, failed, cause };
  };

  return {
    async roleOf(userId, lookup = {}) {
      const direct = highestFirst.find(({ list }) => {
        const entries = options.roles[list];
        return entries.includes('*') || entries.includes(userId);
      })?.role;
      // Only groups of higher roles can change the answer, so a member of an operators group is not stopped at `*`
      // among viewers. Every such group is read at once: one after another would spend the request's deadline.
      const checks: { role: Role; found: ReturnType<typeof membership> }[] = [];
      for (const { role, list } of highestFirst) {
        if (role === direct) break;
        const groupIds = options.roles[list].filter((entry) => entry.startsWith('S'));
        if (groupIds.length === 0) continue;
        checks.push({ role, found: membership(groupIds, userId) });
      }
      if (checks.length === 0) return direct;
      // From the highest role down: a group found holding the user decides; an unread group above any role found
      // leaves the answer unknown.
      const decide = async (): Promise<Role | undefined> => {
        for (const { role, found } of checks) {
          const { member, failed, cause } = await found;
          if (member) return role;
          if (failed.length > 0) throw new RoleCheckError(role, failed, cause);
        }
        return direct;
      };
      return lookup.bound ? lookup.bound(decide()) : decide();
    },
  };
}

/** Tells whether a user may approve a request (`VCR_APPROVERS`). */
export interface ApproverCheck {
  /** True when `userId` is an approver, by id or through a user group; rejects with `RoleCheckError` when unknown. */
  isApprover(userId: string, lookup?: RoleLookup): Promise<boolean>;
  /**
   * True when someone other than `userIds` (one user id or several) is an approver, by id, `*` or through a user
   * group; rejects with `RoleCheckError` when a group that decides it could not be read.
   */
  anyoneBut(userIds: string | readonly string[], lookup?: RoleLookup): Promise<boolean>;
}

/**
 * Creates the approver check over `approvers` (user ids, user group ids or `*`), resolving groups exactly as the role
 * lists are, with the same cache and failure rules.
 */
export function createApproverCheck(
  options: Omit<RoleResolverOptions, 'roles'> & { approvers: readonly string[] },
): ApproverCheck {
  const membersOf = groupCache(options);
  const { approvers } = options;
  const resolver = resolverOver({ ...options, roles: { admins: approvers, operators: [], viewers: [] } }, membersOf);
  return {
    isApprover: async (userId, lookup) => (await resolver.roleOf(userId, lookup)) === 'admin',
    async anyoneBut(userIds, lookup = {}) {
      const excluded = new Set(typeof userIds === 'string' ? [userIds] : userIds);
      if (approvers.some((entry) => entry === '*' || (!entry.startsWith('S') && !excluded.has(entry)))) return true;
      const groupIds = approvers.filter((entry) => entry.startsWith('S'));
      if (groupIds.length === 0) return false;
      const check = async (): Promise<boolean> => {
        const reads = await Promise.allSettled(groupIds.map((groupId) => membersOf(groupId)));
        if (
          reads.some((read) => read.status === 'fulfilled' && [...read.value].some((member) => !excluded.has(member)))
        ) {
          return true;
        }
        const failed = groupIds.filter((_, index) => reads[index]?.status === 'rejected');
        const cause = reads.find((read): read is PromiseRejectedResult => read.status === 'rejected')?.reason;
        if (failed.length > 0) throw new RoleCheckError('admin', failed, cause);
        return false;
      };
      return lookup.bound ? lookup.bound(check()) : check();
    },
  };
}
