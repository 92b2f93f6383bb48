/**
 * `user create [NAME]`: creates a repository user with pull or push access on chosen repositories. The details come
 * from a form; the one-time secret goes to the requester only (`reply.secret`), never into the reply or a log.
 */

import { UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import { VcrMissingSecretError } from '../../vcr/errors';
import type { Repository } from '../../vcr/types';
import { parsePositionals } from '../args';
import type { Args, CommandContext, CommandSpec } from '../command';
import { commandIds } from '../command-ids';
import { validateUserName } from '../naming';
import { registryHostOf } from '../registry-host';
import type { Form, Reply } from '../reply';
import { resolveRepository } from '../repository/resolve-repository';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { isUnconfirmedCreation, unconfirmedCreationError } from '../unconfirmed-creation';
import { userCard } from './show-user';
import { daysOf, repositoryIdsOf, requireDisjoint, textOf, userArgs } from './user-args';
import { permissionRequestsOf } from './user-grants';
import { findUserByName } from './user-lookup';
import { uniqueHosts, userSecret } from './user-secret';

/** Creates a repository user; without its repositories (a typed command, a button) it opens the form instead. */
export const createUser: CommandSpec = {
  id: commandIds.userCreate,
  words: ['user', 'create'],
  usage: 'user create [NAME]',
  summary: 'Creates a repository user with pull or push access; opens a form. The secret comes to you by DM.',
  details: [
    validateUserName('') ?? '',
    'The form asks for a description, an expiry in days (blank: never) and the repositories to pull from or push to.',
    'Push includes pull. The secret is sent to you alone, by direct message, and is shown once.',
  ],
  role: 'operator',
  kind: 'change',
  // A user that exists was created (names are unique), but its one-time secret is lost: the reply says so.
  settle: async (ctx, operation) => {
    const name = typeof operation.args.name === 'string' ? operation.args.name : undefined;
    if (name === undefined) return 'unknown';
    return (await findUserByName(ctx.vcr, name)) ? 'done' : 'not_done';
  },
  parse: (input) => {
    const [name] = parsePositionals(input, [], ['NAME']);
    return validateCreate(name === undefined ? {} : { name });
  },
  validate: validateCreate,
  form: async (_ctx, args) => (args.pull === undefined && args.push === undefined ? createForm(args) : undefined),
  // A taken name is said on the form's name field while the form is still open; the create refuses it too. vCR keeps
  // user names unique ignoring case.
  checkSubmit: async (ctx, args) => {
    const name = typeof args.name === 'string' ? args.name.trim() : '';
    if (name === '') return;
    const { listData } = await ctx.vcr.users.list({ name, page: 1, size: 100 });
    if ((listData ?? []).some((user) => user.name.toLowerCase() === name.toLowerCase())) {
      throw new UserError(`A repository user named \`${name}\` already exists. Choose another name.`, {
        field: 'name',
      });
    }
  },
  run: async (ctx, args) => create(ctx, args),
};

async function create(ctx: CommandContext, args: Args): Promise<Reply> {
  const name = typeof args.name === 'string' ? args.name : undefined;
  if (name === undefined) {
    throw new UserError(`Name the user: \`${ctx.slashCommand} user create NAME\`.`, { field: 'name' });
  }
  const wantedPull = repositoryIdsOf(args.pull, 'pull') ?? [];
  const wantedPush = repositoryIdsOf(args.push, 'push') ?? [];
  requireSomeRepository(wantedPull, wantedPush);
  const pull = await resolveAll(ctx, wantedPull, 'pull');
  const push = await resolveAll(ctx, wantedPush, 'push');
  // A name and an id can both mean one repository; compared again on the ids vCR gave.
  requireDisjoint(
    pull.map((repo) => repo.uuid),
    push.map((repo) => repo.uuid),
  );
  const days = typeof args.days === 'number' ? args.days : undefined;
  const description = typeof args.description === 'string' ? args.description : undefined;
  const permissionRequestList = await permissionRequestsOf(
    ctx.policies,
    pull.map((repo) => repo.uuid),
    push.map((repo) => repo.uuid),
  );

  let secret: string;
  try {
    ({ secretKey: secret } = await ctx.vcr.users.create({ name, permissionRequestList, duration: days, description }));
  } catch (error) {
    if (error instanceof VcrMissingSecretError) throw missingSecretError(ctx, name, error);
    if (isUnconfirmedCreation(error)) {
      const command = ctx.slashCommand;
      // If the user exists, its only secret was lost with the answer: say how to get a usable one.
      const hint =
        `Check with \`${command} users ${name}\`. If it is listed, run \`${command} user secret ${name}\` to get a ` +
        `usable secret (the first one was lost); if not, run \`${command} user create ${name}\` again.`;
      throw unconfirmedCreationError(ctx, { what: 'repository user', name, hint }, error);
    }
    rethrowAsUserError(error, `create repository user \`${name}\``);
  }
  ctx.logger.addSecret(secret);
  ctx.logger.info('repository user created', { user: name, by: ctx.actor.userId });

  // vCR answers only the secret; the new user is found by its name. The secret is delivered even if that fails.
  const user = await findUserByName(ctx.vcr, name).catch((error: unknown) => {
    ctx.logger.warn('created repository user could not be read back', { user: name, error });
    return undefined;
  });
  if (user) ctx.noteTarget?.({ repoUserId: user.uuid, userName: user.name });
  const repositories = [...pull, ...push];
  const backendName = user?.backendName ?? backendNameGuess(name, repositories);
  const hosts = uniqueHosts(repositories.map((repo) => registryHostOf(repo.registryUrl)));
  const access = accessSummary(pull, push);
  const expiry = days === undefined ? 'never expires' : `expires in ${days} ${days === 1 ? 'day' : 'days'}`;
  // Whether the secret reached the requester is said by the delivery, which alone knows (src/slack/run-job.ts).
  const text = `Created repository user \`${name}\` (\`${backendName}\`) with ${access}; it ${expiry}.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      ...(user ? userCard(user, ctx.now()) : []),
      {
        type: 'context',
        text: 'Log in with the backend name as the user.',
      },
      ...(user
        ? [
            {
              type: 'actions' as const,
              actions: [{ label: 'Manage user', invocation: { command: commandIds.userShow, args: userArgs(user) } }],
            },
          ]
        : []),
    ],
    secret: userSecret(secret, { name, backendName }, hosts, `Secret of repository user ${name}`),
    notify: rich`${mention(ctx.actor.userId)} created repository user \`${name}\` (\`${backendName}\`) with ${access}; it ${expiry}`,
  };
}

/**
 * Logs vCR's answer without a secret and returns the `UserError` that says what to do: the user was probably made,
 * with a secret no one has, and `user secret` makes a new one. Logged here, since a `UserError` is shown, not logged.
 */
function missingSecretError(ctx: CommandContext, name: string, error: VcrMissingSecretError): UserError {
  ctx.logger.error('repository user created without a secret in the answer', {
    user: name,
    by: ctx.actor.userId,
    error,
  });
  const command = ctx.slashCommand;
  return new UserError(
    `vCR said it created repository user \`${name}\` but sent no secret back, so the user may exist without a ` +
      `secret anyone has. Run \`${command} user secret ${name}\` to make a usable one.`,
    { hint: `Check with \`${command} users ${name}\` first; if it is not listed, create it again.`, cause: error },
  );
}

/** Checks a typed, button or form request; field names match the form's. */
function validateCreate(args: Args): Args {
  const name = textOf(args.name, 'name', 'The name');
  if (name !== undefined) {
    const broken = validateUserName(name);
    if (broken) throw new UserError(`\`${name}\` is not a valid user name. ${broken}`, { field: 'name' });
  }
  const description = textOf(args.description, 'description', 'The description');
  const days = daysOf(args.days);
  const pull = repositoryIdsOf(args.pull, 'pull');
  const push = repositoryIdsOf(args.push, 'push');
  // The repository lists come with a form submit (even empty); without them the form is still to be shown.
  if (pull !== undefined || push !== undefined) {
    if (name === undefined) throw new UserError('Give the user a name.', { field: 'name' });
    requireSomeRepository(pull ?? [], push ?? []);
    requireDisjoint(pull ?? [], push ?? []);
  }
  return { ...args, name, description, days, pull, push };
}

function requireSomeRepository(pull: readonly string[], push: readonly string[]): void {
  if (pull.length + push.length > 0) return;
  throw new UserError('Choose at least one repository to pull from or push to.', { field: 'pull' });
}

/** Resolves each chosen repository (ids from the form, names when typed), naming the field of one that is gone. */
async function resolveAll(ctx: CommandContext, refs: readonly string[], field: string): Promise<Repository[]> {
  const repositories = await Promise.all(
    refs.map((ref) =>
      resolveRepository(ctx.vcr, ref, { slashCommand: ctx.slashCommand }).catch((error: unknown) => {
        if (error instanceof UserError) throw new UserError(error.text, { field, cause: error });
        throw error;
      }),
    ),
  );
  return repositories.filter((repo, index) => repositories.findIndex((other) => other.uuid === repo.uuid) === index);
}

/** `<accountId>-<name>` read off a repository's backend name, for when the new user cannot be read back. */
function backendNameGuess(name: string, repositories: readonly Repository[]): string {
  const sample = repositories.find((repo) => repo.backendName?.endsWith(`-${repo.name}`));
  return sample ? `${sample.backendName.slice(0, sample.backendName.length - sample.name.length)}${name}` : name;
}

function accessSummary(pull: readonly Repository[], push: readonly Repository[]): string {
  const names = (repos: readonly Repository[]) => repos.map((repo) => `\`${repo.name}\``).join(', ');
  return [pull.length > 0 ? `pull on ${names(pull)}` : '', push.length > 0 ? `push on ${names(push)}` : '']
    .filter(Boolean)
    .join(' and ');
}

function createForm(args: Args): Form {
  return {
    title: 'New repository user',
    submit: 'Create',
    command: commandIds.userCreate,
    fields: [
      {
        kind: 'text',
        name: 'name',
        label: 'Name',
        // The rule text comes from naming.ts, so the hint can never drift from the check.
        hint: validateUserName('') ?? '',
        maxLength: 14,
        ...(typeof args.name === 'string' ? { initial: args.name } : {}),
      },
      {
        kind: 'text',
        name: 'description',
        label: 'Description',
        optional: true,
        ...(typeof args.description === 'string' ? { initial: args.description } : {}),
      },
      {
        kind: 'number',
        name: 'days',
        label: 'Expires after (days)',
        hint: 'Leave blank for a user that never expires.',
        optional: true,
        min: 1,
        ...(typeof args.days === 'number' ? { initial: args.days } : {}),
      },
      {
        kind: 'repositories',
        name: 'pull',
        label: 'Pull only from',
        hint: 'Repositories it may pull images from.',
        optional: true,
        multiple: true,
      },
      {
        kind: 'repositories',
        name: 'push',
        label: 'Push to (and pull from)',
        hint: 'Push includes pull; choose at least one repository in either list.',
        optional: true,
        multiple: true,
      },
    ],
  };
}
