/**
 * Who holds which role: the configured lists of Slack user ids (`U…`/`W…`), user group ids (`S…`) and `*`.
 * Deny by default: a user in no list has no role at all.
 */
import type { Role } from './role-rank';

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
  /** Told when a group could not be read; its members then count as outside it until a later read succeeds. */
  onGroupError?: (groupId: string, error: unknown) => void;
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
  /** The highest role `userId` holds, or undefined when they hold none. */
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
  const now = options.now ?? Date.now;
  const groups = new Map<string, { members: Promise<Set<string>>; expiresAt: number }>();

  const membersOf = (groupId: string): Promise<Set<string>> => {
    const cached = groups.get(groupId);
    if (cached && now() < cached.expiresAt) return cached.members;
    const members = options.groupMembers(groupId).then((ids) => new Set(ids));
    groups.set(groupId, { members, expiresAt: now() + options.ttlMs });
    // A failed read is forgotten at once so the next request tries again instead of denying for a whole TTL.
    members.catch(() => {
      if (groups.get(groupId)?.members === members) groups.delete(groupId);
    });
    return members;
  };

  const isInGroup = async (groupId: string, userId: string): Promise<boolean> => {
    try {
      return (await membersOf(groupId)).has(userId);
    } catch (error) {
      // Failing closed: an unreadable group grants nothing, and the refusal names the role that was needed.
      options.onGroupError?.(groupId, error);
      return false;
    }
  };

  return {
    async roleOf(userId, lookup = {}) {
      const direct = highestFirst.find(({ list }) => {
        const entries = options.roles[list];
        return entries.includes('*') || entries.includes(userId);
      })?.role;
      // Only groups of higher roles can change the answer, so a member of an operators group is not stopped at `*`
      // among viewers. Every such group is read at once: one after another would spend the request's deadline.
      const checks: { role: Role; member: Promise<boolean> }[] = [];
      for (const { role, list } of highestFirst) {
        if (role === direct) break;
        const groupIds = options.roles[list].filter((entry) => entry.startsWith('S'));
        if (groupIds.length === 0) continue;
        const member = Promise.all(groupIds.map((groupId) => isInGroup(groupId, userId))).then((found) =>
          found.some(Boolean),
        );
        checks.push({ role, member });
      }
      if (checks.length === 0) return direct;
      const decide = async (): Promise<Role | undefined> => {
        for (const { role, member } of checks) if (await member) return role;
        return direct;
      };
      return lookup.bound ? lookup.bound(decide()) : decide();
    },
  };
}
