/** Maps pull and push access to vCR's permission policy ids, and a user's policies back to an access level. */
import type { VcrReads } from '../vcr/client';
import type { Policy } from '../vcr/types';

/** Access the bot grants on a repository; push includes pull. */
export type Access = 'pull' | 'push';

/** Turns an access level into the policy ids to send; the policy list is read once per resolver. */
export interface PolicyResolver {
  /** The ids to send for `access`: the pull policy, plus the push policy for push. */
  resolve(access: Access): Promise<string[]>;
  /** Every policy vCR offers, as listed by `GET /v1/user/permissions`. */
  policies(): Promise<Policy[]>;
}

/** vCR lists no policy for an access level, so that access cannot be granted. */
export class MissingPolicyError extends Error {
  override name = 'MissingPolicyError';
  readonly access: Access;

  constructor(access: Access, offered: Policy[]) {
    const labels = offered.map((policy) => policy.action || policy.name || policy.uuid).join(', ');
    super(`vCR offers no ${access} policy, so ${access} access cannot be granted (it lists: ${labels || 'nothing'}).`);
    this.access = access;
  }
}

/** Creates a resolver that reads vCR's policies on first use and keeps them; a failed read is tried again next time. */
export function createPolicyResolver(client: Pick<VcrReads, 'permissions'>): PolicyResolver {
  let loading: Promise<Policy[]> | undefined;

  const policies = (): Promise<Policy[]> => {
    if (!loading) {
      loading = client.permissions.list();
      loading.catch(() => {
        loading = undefined;
      });
    }
    return loading;
  };

  const idOf = (list: Policy[], access: Access): string => {
    const found = list.find((policy) => kindOf(policy) === access);
    if (!found) throw new MissingPolicyError(access, list);
    return found.uuid;
  };

  return {
    policies,
    async resolve(access) {
      const list = await policies();
      const pull = idOf(list, 'pull');
      return access === 'pull' ? [pull] : [pull, idOf(list, 'push')];
    },
  };
}

/**
 * Describes a user's access on one repository from its `policyDtoList` (or `policyActionList` strings): `push` when
 * it may push, `pull` when it may only pull, else `none`.
 */
export function accessOf(policies: readonly (Policy | string)[] | null | undefined): 'push' | 'pull' | 'none' {
  let access: 'push' | 'pull' | 'none' = 'none';
  for (const policy of policies ?? []) {
    const kind = typeof policy === 'string' ? kindOfLabel(policy) : kindOf(policy);
    // An "All" policy is never granted by the bot, but a user who holds one can push.
    if (kind === 'push' || kind === 'all') return 'push';
    if (kind === 'pull') access = 'pull';
  }
  return access;
}

/** True for the all-in-one "All" policy (or `*`, or one label naming both pull and push), which the bot never grants. */
export function isAllPolicy(policy: Policy): boolean {
  return kindOf(policy) === 'all';
}

/** Labels vary ("pull", "Pull Images", "All"): the action decides, else the name (docs/vcr-api.md#permissions). */
function kindOf(policy: Policy): Access | 'all' | undefined {
  const label = typeof policy.action === 'string' && policy.action.trim() !== '' ? policy.action : policy.name;
  return typeof label === 'string' ? kindOfLabel(label) : undefined;
}

function kindOfLabel(label: string): Access | 'all' | undefined {
  const text = label.trim().toLowerCase();
  const pull = text.includes('pull');
  const push = text.includes('push');
  // "All", or a label naming both, is the all-in-one policy that is reported broken: never picked for pull or push.
  if (/^all\b/.test(text) || text === '*' || (pull && push)) return 'all';
  if (pull) return 'pull';
  if (push) return 'push';
  return undefined;
}
