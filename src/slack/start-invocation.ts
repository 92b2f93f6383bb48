/**
 * The HTTP phase of one invocation, shared by typed commands and button clicks: authorize, open the command's form
 * when it has one, else check the args and queue the job. Nothing here calls vCR except a form's bounded prefill.
 */
import type { Actor } from '../commands/command';
import { findCommandById } from '../commands/registry';
import type { Invocation } from '../commands/reply';
import { UserError } from '../errors';
import type { JobReplyTarget } from '../jobs/job';
import { requireRole } from '../policy/role-rank';
import { encodeFormMetadata } from './form-metadata';
import type { ListenerDeps } from './listener-deps';
import { renderForm } from './render';
import type { Deadline } from './with-deadline';

/** One invocation on its way from Slack to a job. */
export interface InvocationRequest {
  invocation: Invocation;
  actor: Actor;
  teamId?: string;
  /** Present on commands and clicks; needed to open a form. */
  triggerId?: string;
  target: JobReplyTarget;
}

/**
 * Starts an invocation: resolves `form` when a modal was opened, `queued` when a job was dispatched. The form's
 * prefill and `views.open` share what is left of `deadline`; a `DeadlineError` is thrown when they do not fit.
 */
export async function startInvocation(
  deps: ListenerDeps,
  request: InvocationRequest,
  deadline: Deadline,
): Promise<'form' | 'queued'> {
  const { invocation, actor, target } = request;
  const spec = findCommandById(invocation.command);
  if (!spec) throw new UserError(`Unknown command \`${invocation.command}\`.`);
  requireRole(actor.role, spec.role, `run \`${deps.config.slack.command} ${spec.words.join(' ')}\``);

  if (spec.form && request.triggerId) {
    const form = await deadline.race(
      spec.form({ vcr: deps.vcr, actor }, invocation.args),
      'vCR',
      'filling in the form',
    );
    if (form) {
      const metadata = encodeFormMetadata({
        command: form.command,
        fixedArgs: form.fixedArgs ?? {},
        channelId: target.channelId,
        responseUrl: target.responseUrl,
      });
      await deadline.race(
        deps.slack.views.open({ trigger_id: request.triggerId, view: renderForm(form, metadata) }),
        'Slack',
        'opening the form',
      );
      return 'form';
    }
  }

  // Checked here too so a malformed value is refused at once; the job validates again from the same args.
  spec.validate?.(invocation.args);
  await deps.dispatcher.dispatch({
    id: deps.newJobId(),
    kind: 'invoke',
    invocation: { command: spec.id, args: invocation.args },
    actor,
    teamId: request.teamId,
    ...target,
  });
  return 'queued';
}
