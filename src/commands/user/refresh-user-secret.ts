/**
 * `user secret USER`: makes a new secret for a repository user. Destructive, since the old secret stops working at
 * once: the preview says who loses access, and only the confirming click asks vCR, exactly once. The new secret goes
 * to the requester only (`reply.secret`).
 */

import { newErrorRef, UserError } from '../../errors';
import { mention, rich } from '../../rich-text';
import type { Operation } from '../../store/operation-store';
import { mayHaveBeenCarriedOut, VcrApiError, VcrMissingSecretError } from '../../vcr/errors';
import type { Args, CommandContext, DestructiveSpec, Plan, ReadContext } from '../command';
import { commandIds } from '../command-ids';
import { counted } from '../image/artifact-fields';
import type { Reply } from '../reply';
import { rethrowAsUserError } from '../rethrow-as-user-error';
import { parseUserRef, userArgs, validateUserRef } from './user-args';
import { userStatus } from './user-fields';
import { grantsLine, grantsOf } from './user-grants';
import { reloadUser, resolveUserArgs } from './user-lookup';
import { registryHostsOf, userSecret } from './user-secret';

/** What the preview pinned: the user it was shown for. */
interface SecretPin extends Record<string, unknown> {
  repoUserId: string;
  userName: string;
  backendName: string;
}

/** Previews replacing a repository user's secret, and replaces it (once) when the preview is confirmed. */
export const refreshUserSecret: DestructiveSpec = {
  id: commandIds.userSecret,
  words: ['user', 'secret'],
  usage: 'user secret USER',
  summary: 'Makes a new secret for a repository user after a confirming click; the old one stops working at once.',
  details: ['The new secret is sent to you alone by direct message, once.'],
  role: 'operator',
  kind: 'destructive',
  parse: parseUserRef,
  validate: validateUserRef,
  plan: async (ctx, args) => plan(ctx, args),
  execute: async (ctx, operation) => execute(ctx, operation),
};

async function plan(ctx: ReadContext, args: Args): Promise<Plan> {
  const user = await resolveUserArgs(ctx.vcr, args, { slashCommand: ctx.slashCommand });
  const grants = grantsOf(user);
  const status = userStatus(user, ctx.now());
  const pin: SecretPin = { repoUserId: user.uuid, userName: user.name, backendName: user.backendName };
  const summary = `make a new secret for repository user \`${user.name}\``;
  const losing =
    grants.length === 0
      ? 'It has access to no repository, so nothing loses access.'
      : `Everything that logs in as \`${user.backendName}\` (CI pipelines, clusters, people) can no longer pull or push on ${grantsLine(grants)} until it is given the new secret.`;
  const note =
    status === 'enabled' ? '' : ` The user is ${status}: the new secret works only once it is enabled and not expired.`;
  return {
    args: userArgs(user),
    pin,
    summary,
    target: { repoUserId: user.uuid, userName: user.name },
    wording: {
      label: `New secret for ${user.name}`,
      title: `New secret for ${user.name}?`,
      text: `The old secret of ${user.backendName} stops working at once; whatever uses it loses access to ${counted(grants.length, 'repository', 'repositories')} until updated.`,
      confirm: 'Make a new secret',
      deny: 'Keep the old one',
    },
    preview: {
      text: `Preview: ${summary}. The old secret stops working at once; nothing changes until you confirm.`,
      parts: [
        { type: 'header', text: `New secret for ${user.name}?` },
        {
          type: 'fields',
          fields: [
            { label: 'User', value: `${user.name} (\`${user.backendName}\`)` },
            { label: 'Status', value: status },
            { label: 'Loses access until updated', value: grantsLine(grants) },
          ],
        },
        { type: 'text', text: `The current secret stops working at once. ${losing}${note}` },
        {
          type: 'context',
          text: 'Nothing changes until you confirm. The new secret is sent to you alone by direct message, once.',
          forRequester: true,
        },
      ],
    },
  };
}

async function execute(ctx: CommandContext, operation: Operation): Promise<Reply> {
  const pin = operation.pin as SecretPin;
  const user = await reloadUser(ctx.vcr, { uuid: pin.repoUserId, name: pin.userName });
  if (!user) {
    throw new UserError(`Repository user \`${pin.userName}\` no longer exists; no secret was made.`);
  }
  // Every read comes before the refresh: once vCR has made the secret, nothing may fail before it is delivered.
  const grants = grantsOf(user);
  const hosts = await registryHostsOf(
    ctx.vcr,
    grants.map((grant) => grant.repoId),
  );

  let secret: string;
  try {
    // A GET that changes state: sent once, never retried, and the pending action runs once
    // (docs/vcr-api.md#secrets-and-retries).
    secret = await ctx.vcr.users.refreshSecret(user.uuid);
  } catch (error) {
    if (error instanceof VcrMissingSecretError) {
      // Logged here, since a `UserError` is shown, not logged: vCR broke its own contract.
      ctx.logger.error('repository user secret replaced without a secret in the answer', { user: user.name, error });
      throw new UserError(
        `vCR made a new secret for \`${user.name}\` but sent none back, so the old secret no longer works and no one ` +
          `has the new one. Run \`${ctx.slashCommand} user secret ${user.name}\` again to make one you can use.`,
        { cause: error },
      );
    }
    if (mayHaveBeenCarriedOut(error)) {
      // Not a failed read: the refresh may have been carried out (a timeout, a dropped connection, a gateway's 5xx
      // after vCR made the secret), and its secret is lost with the answer.
      const ref = newErrorRef();
      ctx.logger.error('repository user secret refresh not confirmed', { user: user.name, ref, error });
      const lost = error instanceof VcrApiError ? `answered ${error.status}` : 'did not answer in time';
      throw new UserError(
        `vCR ${lost} when asked for a new secret for \`${user.name}\` (ref \`${ref}\`), so the old ` +
          `secret may already have stopped working, and a new one, if vCR made it, was lost with the answer. Run ` +
          `\`${ctx.slashCommand} user secret ${user.name}\` again to make a new secret you can use.`,
        { cause: error },
      );
    }
    rethrowAsUserError(error, `make a new secret for repository user \`${user.name}\``);
  }
  ctx.logger.addSecret(secret);
  ctx.logger.info('repository user secret replaced', { user: user.name, by: ctx.actor.userId });

  // Whether the secret reached the requester is said by the delivery, which alone knows (src/slack/run-job.ts).
  const text = `Made a new secret for repository user \`${user.name}\` (\`${user.backendName}\`). The old secret no longer works.`;
  return {
    text,
    parts: [
      { type: 'text', text },
      {
        type: 'context',
        text: `Give the new secret to everything that logs in as \`${user.backendName}\`; until then it cannot pull or push on ${grantsLine(grants)}.`,
      },
    ],
    secret: userSecret(secret, user, hosts, `New secret of repository user ${user.name}`),
    notify: rich`${mention(ctx.actor.userId)} made a new secret for repository user \`${user.name}\` (\`${user.backendName}\`); the old one stopped working`,
  };
}
