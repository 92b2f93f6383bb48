/** `repo create [NAME] [--public] [--quota GB]`: creates a repository, or opens a form when no name is given. */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import { parsePositionals, parsePositiveInt } from '../args';
import type { Args, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { validateQuota, validateRepositoryName } from '../naming';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { isUnconfirmedCreation, unconfirmedCreationError } from '../unconfirmed-creation';
import { repositoryAccess } from './repository-fields';
import { resolveRepository } from './resolve-repository';
import { repositoryCard } from './show-repository';

// What the console suggests for a new repository; `--quota` or the form changes it.
const defaultQuotaGb = 20;

/** Creates a repository (private with a 20 GB quota unless told otherwise) and answers with its card. */
export const createRepository: CommandSpec = {
  id: commandIds.repoCreate,
  words: ['repo', 'create'],
  usage: 'repo create [NAME] [--public] [--quota GB]',
  summary: 'Creates a repository; without NAME it opens a form.',
  details: [
    'Repository names are 6 to 20 characters: lowercase letters, digits, `_` and `-`, starting with a letter or digit.',
    `Repositories are private unless \`--public\` is given; the quota defaults to ${defaultQuotaGb} GB.`,
  ],
  role: 'operator',
  kind: 'change',
  settle: async (ctx, operation) => {
    const name = nameOf(operation.args);
    if (name === undefined) return 'unknown';
    const { listData } = await ctx.vcr.repositories.list({ name, page: 1, size: 100 });
    return (listData ?? []).some((repo) => repo.name === name) ? 'done' : 'not_done';
  },
  flags: { public: 'boolean', quota: 'value' },
  parse: (input) => {
    const [name] = parsePositionals(input, [], ['NAME']);
    const quota = input.flags.quota === undefined ? undefined : quotaOf(input.flags.quota);
    return validateCreate({ name, access: input.flags.public ? 'public' : 'private', quota });
  },
  validate: validateCreate,
  form: async (_ctx, args) => (nameOf(args) === undefined ? createForm(args) : undefined),
  run: async (ctx, args): Promise<Reply> => {
    const name = nameOf(args);
    if (name === undefined) {
      throw new UserError(`Name the repository: \`${ctx.slashCommand} repo create NAME\`.`, { field: 'name' });
    }
    const isPublic = args.access === 'public';
    const quotaLimit = typeof args.quota === 'number' ? args.quota : defaultQuotaGb;
    let created: Awaited<ReturnType<typeof ctx.vcr.repositories.create>>;
    try {
      // Never retried by the client: a second create after a lost answer would fail on the name, or worse.
      created = await ctx.vcr.repositories.create({ repoName: name, isPublic, quotaLimit });
    } catch (error) {
      if (isUnconfirmedCreation(error)) {
        const again = `${ctx.slashCommand} repo create ${name}${isPublic ? ' --public' : ''} --quota ${quotaLimit}`;
        const hint = `Check with \`${ctx.slashCommand} repo ${name}\`; if it is not there, run \`${again}\` again.`;
        throw unconfirmedCreationError(ctx, { what: 'repository', name, hint }, error);
      }
      rethrowAsUserError(error, `create repository \`${name}\``);
    }
    // vCR documents the Repository in the 202 answer; if a gateway ever drops it, the new repository is readable.
    const repo = created?.uuid ? created : await resolveRepository(ctx.vcr, name, { slashCommand: ctx.slashCommand });
    ctx.noteTarget?.({ repoId: repo.uuid, repoName: repo.name });
    const access = repositoryAccess(repo);
    return {
      text: `Created repository ${repo.name} (${repo.backendName})`,
      parts: [
        { type: 'text', text: `Created repository \`${repo.name}\`: ${access}, ${repo.quotaLimit} GB quota.` },
        ...repositoryCard(repo),
        {
          type: 'actions',
          actions: [{ label: 'Open', invocation: { command: commandIds.repoShow, args: { repo: repo.uuid } } }],
        },
      ],
      notify: rich`${mention(ctx.actor.userId)} created repository \`${repo.name}\` (${access}, ${repo.quotaLimit} GB)`,
    };
  },
};

function nameOf(args: Args): string | undefined {
  const name = typeof args.name === 'string' ? args.name.trim() : '';
  return name === '' ? undefined : name;
}

function quotaOf(value: Args[string]): number {
  const gb = parsePositiveInt(Array.isArray(value) ? value[0] : value, 'The quota in GB', 'quota');
  const broken = validateQuota(gb);
  if (broken) throw new UserError(broken, { field: 'quota' });
  return gb;
}

/** Checks a typed, button or form request; field names match the form's. */
function validateCreate(args: Args): Args {
  const name = nameOf(args);
  if (name !== undefined) {
    const broken = validateRepositoryName(name);
    if (broken) throw new UserError(`\`${name}\` is not a valid repository name. ${broken}`, { field: 'name' });
  }
  const access = String(args.access ?? 'private').toLowerCase();
  if (access !== 'public' && access !== 'private') {
    throw new UserError(`Access is \`public\` or \`private\`, not \`${access}\`.`, { field: 'access' });
  }
  const quota = args.quota === undefined || args.quota === '' ? defaultQuotaGb : quotaOf(args.quota);
  return { ...args, name, access, quota };
}

function createForm(args: Args): Form {
  return {
    title: 'New repository',
    submit: 'Create',
    command: commandIds.repoCreate,
    fields: [
      {
        kind: 'text',
        name: 'name',
        label: 'Name',
        // The rule text comes from naming.ts, so the hint can never drift from the check.
        hint: validateRepositoryName('') ?? '',
        maxLength: 20,
      },
      {
        kind: 'select',
        name: 'access',
        label: 'Access',
        options: [
          { value: 'private', text: 'Private: pull needs a repository user' },
          { value: 'public', text: 'Public: anyone can pull' },
        ],
        initial: args.access === 'public' ? 'public' : 'private',
      },
      {
        kind: 'number',
        name: 'quota',
        label: 'Quota (GB)',
        initial: typeof args.quota === 'number' ? args.quota : defaultQuotaGb,
        min: 1,
        hint: 'It can be raised later, but not lowered below what is used.',
      },
    ],
  };
}
