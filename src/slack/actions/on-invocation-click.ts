/**
 * A button carrying an invocation (card buttons, Previous/Next): the click becomes the same internal command as a
 * typed one and goes through the same registry, authorization and job, for whoever clicked.
 */
import type { ListenerDeps } from '../listener-deps';
import { startInvocation } from '../start-invocation';
import { onButtonClick } from './on-button-click';

/** Creates the listener of invocation buttons; `replaceOriginal` is set for pager buttons, whose page replaces the old. */
export function onInvocationClick(deps: ListenerDeps, options: { replaceOriginal: boolean }) {
  return onButtonClick(deps, { surface: 'click', kind: 'invocation' }, async (click) => {
    const { actor, spec, value, body, requestKey, deadline } = click;
    return startInvocation(
      deps,
      {
        invocation: value.invocation,
        spec: spec!,
        actor,
        requestKey,
        repeatable: true,
        triggerId: body.trigger_id,
        target: {
          responseUrl: body.response_url,
          channelId: body.channel?.id,
          messageTs: body.message?.ts,
          ...(options.replaceOriginal ? { replaceOriginal: true } : {}),
        },
      },
      deadline,
    );
  });
}
