/** `permissions`: the permission policies vCR offers, and which of them the bot grants for pull and push. */

import type { Policy } from '../../vcr/types';
import { pageOf, parseNoWords } from '../args';
import type { Args, CommandSpec, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { cutPage, pagerParts } from '../list-page';
import { type Access, isAllPolicy, MissingPolicyError } from '../policies';
import type { ListItem, Reply } from '../reply';

const accesses: readonly Access[] = ['pull', 'push'];

/** The policy ids the bot sends for each access, or why it cannot grant that access. */
interface PoliciesInUse {
  pull?: string;
  push?: string;
  problems: string[];
}

/**
 * Lists vCR's permission policies ten per page, marking the ones the bot uses for pull and push and the "All" it never
 * uses. vCR answers them as one bare array (docs/vcr-api.md#operations, #17), so the pages are cut here.
 */
export const listPermissions: CommandSpec = {
  id: commandIds.permissionsList,
  words: ['permissions'],
  usage: 'permissions',
  summary: 'Lists the permission policies vCR offers, and which ones the bot grants for pull and push.',
  details: [
    'Pull access is the pull policy; push access is the pull and the push policy. The "All" policy is never used: it is reported broken.',
  ],
  role: 'viewer',
  kind: 'read',
  paged: true,
  parse: parseNoWords,
  validate: validatePage,
  run: async (ctx, args): Promise<Reply> => {
    const page = pageOf(args);
    const offered = await ctx.vcr.permissions.list();
    const inUse = await policiesInUse(ctx);
    const ordered = [...offered].sort((a, b) => rank(a, inUse) - rank(b, inUse));
    const shown = cutPage(ordered, page);
    const notes = [...inUse.problems];
    for (const access of accesses) {
      const id = inUse[access];
      // The bot reads the policies once per container, so a policy vCR dropped since then is still the one it sends.
      if (id && !offered.some((policy) => policy.uuid === id)) {
        notes.push(`The bot uses \`${id}\` for ${access}, but vCR no longer lists it.`);
      }
    }
    return {
      text: `vCR offers ${offered.length} permission ${offered.length === 1 ? 'policy' : 'policies'}`,
      parts: [
        { type: 'header', text: 'Permission policies' },
        {
          type: 'list',
          empty: 'vCR lists no permission policies, so no access can be granted.',
          items: shown.items.map((policy) => itemOf(policy, inUse)),
        },
        ...(notes.length > 0 ? [{ type: 'context' as const, text: notes.join('\n') }] : []),
        ...pagerParts(shown, { command: listPermissions.id, args: {} }),
      ],
    };
  },
};

/** Normalizes the page a typed command or a pager button asks for; `permissions` takes nothing else. */
function validatePage(args: Args): Args {
  return args.page === undefined ? args : { ...args, page: pageOf(args) };
}

async function policiesInUse(ctx: ReadContext): Promise<PoliciesInUse> {
  const inUse: PoliciesInUse = { problems: [] };
  for (const access of accesses) {
    try {
      // Push resolves to [pull, push]: the last id is the push policy.
      inUse[access] = (await ctx.policies.resolve(access)).at(-1);
    } catch (error) {
      if (!(error instanceof MissingPolicyError)) throw error;
      if (!inUse.problems.includes(error.message)) inUse.problems.push(error.message);
    }
  }
  return inUse;
}

function itemOf(policy: Policy, inUse: PoliciesInUse): ListItem {
  const label = policy.name || policy.action || policy.uuid;
  const facts = [policy.action ? `action \`${policy.action}\`` : 'no action', `id \`${policy.uuid}\``];
  return { title: `*${label}*`, lines: [facts.join(' · '), useOf(policy, inUse)] };
}

function useOf(policy: Policy, inUse: PoliciesInUse): string {
  if (policy.uuid === inUse.pull) return 'Used by the bot for pull access (and, with the push policy, for push).';
  if (policy.uuid === inUse.push) return 'Used by the bot for push access, together with the pull policy.';
  if (isAllPolicy(policy)) return 'Never used: the "All" policy is reported broken; push is granted as pull + push.';
  return 'Not used by the bot.';
}

function rank(policy: Policy, inUse: PoliciesInUse): number {
  if (policy.uuid === inUse.pull) return 0;
  if (policy.uuid === inUse.push) return 1;
  return 2;
}
