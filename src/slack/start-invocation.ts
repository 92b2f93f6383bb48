/**
 * The HTTP phase of one admitted invocation, shared by typed commands, button clicks and form submits: open the
 * command's form when it has one, else check the args and queue the job. Nothing here calls vCR except a form's
 * bounded prefill.
 */
import type { Actor, CommandSpec } from '../commands/command';
import type { Invocation } from '../commands/reply';
import type { JobReplyTarget } from '../jobs/job';
import { encodeFormMetadata } from './form-metadata';
import type { ListenerDeps } from './listener-deps';
import { renderForm } from './render';
import type { Deadline } from './with-deadline';

/** One admitted invocation on its way from Slack to a job. */
export interface InvocationRequest {
  invocation: Invocation;
  /** The spec admission found for `invocation.command`. */
  spec: CommandSpec;
  actor: Actor;
  /** Slack's identity of the request (`slash:…`, `click:…`, `view:…`); its retries and resubmits share it. */
  requestKey: string;
  /** A click on a button, which a person may click again later on purpose. */
  repeatable?: boolean;
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
  const { invocation, spec, actor, target } = request;
  if (spec.form && request.triggerId) {
    const form = await deadline.race(
      spec.form(
        {
          vcr: deps.vcr,
          actor,
          cleanup: { protect: deps.config.cleanup.protect, rules: deps.cleanupRules },
        },
        invocation.args,
      ),
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
    requestKey: request.requestKey,
    ...(request.repeatable ? { repeatable: true } : {}),
    ...target,
  });
  return 'queued';
}
