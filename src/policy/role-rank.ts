/** The order of roles: each includes the rights of the ones before it. */
import { UserError } from '../errors';

/** Who may run a command; each role includes the ones before it. */
export type Role = 'viewer' | 'operator' | 'admin';

const rank: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

/** Tells whether `actual` (or no role at all) includes `needed`. */
export function roleAllows(actual: Role | undefined, needed: Role): boolean {
  return actual !== undefined && rank[actual] >= rank[needed];
}

/** Throws a `UserError` naming the role needed when `actual` does not include it. */
export function requireRole(actual: Role | undefined, needed: Role, what: string): void {
  if (roleAllows(actual, needed)) return;
  const article = /^[aeiou]/.test(needed) ? 'an' : 'a';
  throw new UserError(`You need ${article} *${needed}* role to ${what}.`, {
    hint: 'Ask a vcr-chatops admin to add you to the right list (VCR_VIEWERS, VCR_OPERATORS or VCR_ADMINS).',
  });
}
