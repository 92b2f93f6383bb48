/** `repo create [NAME] [--public] [--quota GB]`: creates a repository, or opens a form when no name is given. */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Repository } from '../../vcr/types';
import { parsePositionals } from '../args';
import type { Args, CommandContext, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { parseQuotaGb, quotaUnitPattern, validateRepositoryName } from '../naming';
import type { Form, Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { isUnconfirmedCreation, unconfirmedCreationError } from '../unconfirmed-creation';
import { repositoryAccess } from './repository-fields';
import { resolveRepository } from './resolve-repository';
import { repositoryActions, repositoryCard } from './show-repository';

// What the console suggests for a new repository; `--quota` or the form changes it.
const defaultQuotaGb = 20;

/** Creates a repository (private with a 20 GB quota unless told otherwise) and answers with its card. */
export const createRepository: CommandSpec = {
  id: commandIds.repoCreate,
  words: ['repo', 'create'],
  usage: 'repo create [NAME] [--public|--private] [--quota GB]',
  summary: 'Creates a repository; without NAME it opens a form.',
  details: [
    'Repository names are 6 to 20 characters: lowercase letters, digits, `_` and `-`, starting with a letter or digit.',
    `Repositories are private (\`--private\`, the default) unless \`--public\` is given; the quota defaults to ${defaultQuotaGb} GB, and \`--quota 30\`, \`30GB\` or \`30 GB\` sets it.`,
  ],
  role: 'operator',
  kind: 'change',
  settle: async (ctx, operation) => {
    const name = nameOf(operation.args);
    if (name === undefined) return 'unknown';
    const { listData } = await ctx.vcr.repositories.list({ name, page: 1, size: 100 });
    return (listData ?? []).some((repo) => repo.name === name) ? 'done' : 'not_done';
  },
  flags: { public: 'boolean', private: 'boolean', quota: 'value' },
  parse: (input) => {
    // `--quota 30 GB` leaves its unit as a word of its own: no repository name is that short.
    const unit =
      input.flags.quota === undefined ? undefined : input.positional.find((word) => quotaUnitPattern.test(word));
    const words = { ...input, positional: input.positional.filter((word) => word !== unit) };
    const [name] = parsePositionals(words, [], ['NAME']);
    if (input.flags.public && input.flags.private) {
      throw new UserError('Choose one of `--public` and `--private` (private is the default).');
    }
    const quota = input.flags.quota === undefined ? undefined : quotaOf(`${input.flags.quota}${unit ?? ''}`);
    return validateCreate({ name, access: input.flags.public ? 'public' : 'private', quota });
  },
  validate: validateCreate,
  form: async (_ctx, args) => (nameOf(args) === undefined ? createForm(args) : undefined),
  // A taken name is said on the form's name field while the form is still open; the create refuses it too.
  checkSubmit: async (ctx, args) => {
    const name = nameOf(args);
    if (name === undefined) return;
    const { listData } = await ctx.vcr.repositories.list({ name: name.toLowerCase(), page: 1, size: 100 });
    if ((listData ?? []).some((repo) => repo.name.toLowerCase() === name.toLowerCase())) {
      throw new UserError(`A repository named \`${name}\` already exists. Choose another name.`, { field: 'name' });
    }
  },
  run: async (ctx, args): Promise<Reply> => {
    const name = nameOf(args);
    if (name === undefined) {
      throw new UserError(`Name the repository: \`${ctx.slashCommand} repo create NAME\`.`, { field: 'name' });
    }
    const isPublic = args.access === 'public';
    const quotaLimit = typeof args.quota === 'number' ? args.quota : defaultQuotaGb;
    let created: Repository | undefined;
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
    // vCR documents the Repository in the 202 answer; when the answer was unreadable the create still happened
    // (docs/vcr-api.md#errors), and the new repository is read back by name.
    const repo = created ?? (await readBack(ctx, name));
    if (!repo) {
      const asked = isPublic ? 'public' : 'private';
      const text = `Created repository \`${name}\`: ${asked}, ${quotaLimit} GB quota.`;
      return {
        text,
        parts: [
          { type: 'text', text },
          {
            type: 'context',
            text: `vCR accepted it but its answer could not be read, nor the repository read back yet: see it with \`${ctx.slashCommand} repo ${name}\`.`,
          },
        ],
        notify: rich`${mention(ctx.actor.userId)} created repository \`${name}\` (${asked}, ${quotaLimit} GB)`,
      };
    }
    ctx.noteTarget?.({ repoId: repo.uuid, repoName: repo.name });
    const access = repositoryAccess(repo);
    return {
      text: `Created repository ${repo.name} (${repo.backendName})`,
      parts: [
        { type: 'text', text: `Created repository \`${repo.name}\`: ${access}, ${repo.quotaLimit} GB quota.` },
        ...repositoryCard(repo),
        // The card as `repo NAME` shows it, so the next step (attach a user, change the quota) is one click away.
        { type: 'actions', actions: repositoryActions(repo) },
      ],
      notify: rich`${mention(ctx.actor.userId)} created repository \`${repo.name}\` (${access}, ${repo.quotaLimit} GB)`,
    };
  },
};

/** Reads a repository just created by its name; undefined when the read fails, since the create itself is done. */
async function readBack(ctx: CommandContext, name: string): Promise<Repository | undefined> {
  try {
    return await resolveRepository(ctx.vcr, name, { slashCommand: ctx.slashCommand });
  } catch (error) {
    ctx.logger.warn('created repository could not be read back', { name, error });
    return undefined;
  }
}

function nameOf(args: Args): string | undefined {
  const name = typeof args.name === 'string' ? args.name.trim() : '';
  return name === '' ? undefined : name;
}

function quotaOf(value: Args[string]): number {
  return parseQuotaGb(value, 'The quota in GB', 'quota');
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
