import { buttonNotUnderstood } from '../../src/slack/button-value';
import { actionIds, callbackIds } from '../../src/slack/ids';
import { textOf, users, useSlackHarness } from '../support/slack-harness';
import {
  blockActionsBody,
  blockSuggestionBody,
  eventCallbackBody,
  formView,
  payloadBody,
  signedEvent,
  slashCommandBody,
  viewSubmissionBody,
} from '../support/slack-requests';

const h = useSlackHarness();

/** The payload of a valid click on an invocation button, decoded, for tests that break one field of it. */
function click(): Record<string, unknown> {
  const body = blockActionsBody({
    userId: users.viewer,
    responseUrl: h.slack.responseUrl(),
    button: { action_id: `${actionIds.run}:0`, value: JSON.stringify({ command: 'repos.list', args: {} }) },
  });
  return decoded(body);
}

function submit(): Record<string, unknown> {
  return decoded(
    viewSubmissionBody({ userId: users.operator, view: { private_metadata: JSON.stringify({}) }, values: {} }),
  );
}

function suggestion(): Record<string, unknown> {
  return decoded(
    blockSuggestionBody({
      userId: users.operator,
      actionId: actionIds.pickRepositories,
      blockId: 'field:push',
      value: 'pay',
      view: formView('user.create'),
    }),
  );
}

function closed(): Record<string, unknown> {
  return { ...submit(), type: 'view_closed', is_cleared: false };
}

function decoded(body: string): Record<string, unknown> {
  return JSON.parse(new URLSearchParams(body).get('payload') ?? 'null');
}

function errorLines(from: number): string[] {
  return h.logs.slice(from).filter((line) => JSON.parse(line).level === 'error');
}

describe('signed requests whose payload is not a shape Slack sends', () => {
  const form = 'application/x-www-form-urlencoded';
  const json = 'application/json';
  // Every row names its content type: `it.each` takes a row shorter than the test's parameters for a `done` callback.
  const malformed: [string, () => string, string][] = [
    ['payload=null', () => 'payload=null', form],
    ['payload is a number', () => 'payload=42', form],
    ['payload is an array', () => payloadBody([click()]), form],
    ['a form with neither payload nor command', () => 'token=x&team_id=T0TEAM', form],
    ['block_actions with user null', () => payloadBody({ ...click(), user: null }), form],
    ['block_actions without user', () => payloadBody({ ...click(), user: undefined }), form],
    ['block_actions with a user without id', () => payloadBody({ ...click(), user: { name: 'x' } }), form],
    ['block_actions with actions null', () => payloadBody({ ...click(), actions: null }), form],
    ['block_actions with no actions', () => payloadBody({ ...click(), actions: [] }), form],
    ['block_actions with an action null', () => payloadBody({ ...click(), actions: [null] }), form],
    ['block_actions with a numeric action id', () => payloadBody({ ...click(), actions: [{ action_id: 7 }] }), form],
    ['block_actions with team a string', () => payloadBody({ ...click(), team: 'T0TEAM' }), form],
    ['view_submission without view', () => payloadBody({ ...submit(), view: undefined }), form],
    ['view_submission with view null', () => payloadBody({ ...submit(), view: null }), form],
    [
      'view_submission with state values null',
      () => payloadBody({ ...submit(), view: { ...(submit().view as object), state: { values: null } } }),
      form,
    ],
    ['view_submission with response_urls null', () => payloadBody({ ...submit(), response_urls: null }), form],
    ['view_closed with user null', () => payloadBody({ ...closed(), user: null }), form],
    ['view_closed with view null', () => payloadBody({ ...closed(), view: null }), form],
    ['block_suggestion with user null', () => payloadBody({ ...suggestion(), user: null }), form],
    ['block_suggestion with view a number', () => payloadBody({ ...suggestion(), view: 3 }), form],
    ['block_suggestion without action_id', () => payloadBody({ ...suggestion(), action_id: undefined }), form],
    ['a slash command without user_id', () => slashCommandBody({ text: 'repos', userId: '', responseUrl: 'x' }), form],
    [
      'an unknown interaction type',
      () => payloadBody({ ...click(), type: 'message_action', actions: undefined }),
      form,
    ],
    ['an Events API callback', () => JSON.stringify({ type: 'event_callback', event: null }), json],
    [
      'app_home_opened without user',
      () => eventCallbackBody({ type: 'app_home_opened', user: undefined, tab: 'home' }),
      json,
    ],
    [
      'app_home_opened with channel null',
      () => eventCallbackBody({ type: 'app_home_opened', user: 'U0VIEWER', channel: null, tab: 'home' }),
      json,
    ],
    [
      'an event the bot does not subscribe to',
      () => eventCallbackBody({ type: 'reaction_added', user: 'U0VIEWER' }),
      json,
    ],
    ['a JSON body null', () => 'null', json],
    ['a JSON body that is a string', () => '"hello"', json],
  ];

  it.each(malformed)('answers 400 and logs no error when the body is %s', async (_name, body, contentType) => {
    // Prepare
    const logsBefore = h.logs.length;
    const jobsBefore = h.jobs.length;
    const callsBefore = h.slack.calls.length;

    // Act
    const answer = await h.send(signedEvent(body(), h.signingSecret, { contentType }));
    await h.settle();

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(errorLines(logsBefore)).toEqual([]);
    expect(h.jobs.length).toBe(jobsBefore);
    expect(h.slack.calls.length).toBe(callsBefore);
  });

  it('answers 401, not 400, when a malformed body is not signed with the signing secret', async () => {
    // Act
    const answer = await h.send(signedEvent('payload=null', 'not-the-signing-secret'));

    // Assess
    expect(answer.statusCode).toBe(401);
  });

  it('answers 400 when the content type is one Slack does not send', async () => {
    // Prepare
    const logsBefore = h.logs.length;

    // Act
    const answer = await h.send(signedEvent('{}', h.signingSecret, { contentType: 'text/plain' }));

    // Assess
    expect(answer.statusCode).toBe(400);
    expect(errorLines(logsBefore)).toEqual([]);
  });

  it('accepts an org-wide install click whose team is null', async () => {
    // Act
    const answer = await h.send(signedEvent(payloadBody({ ...click(), team: null }), h.signingSecret));

    // Assess
    expect(answer.statusCode).toBe(200);
  });
});

describe('requests of a kind Slack sends that this version has no listener for', () => {
  it('acks 200 and answers "run the command again" when a button has an action id this version does not know', async () => {
    // Prepare
    const responseUrl = h.slack.responseUrl();
    const body = blockActionsBody({
      userId: users.viewer,
      responseUrl,
      button: { action_id: 'vcr.future-button:0', value: '{}' },
    });
    const logsBefore = h.logs.length;
    const jobsBefore = h.jobs.length;

    // Act
    const answer = await h.send(signedEvent(body, h.signingSecret, { base64: true }));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(h.posted(responseUrl)).toEqual([
      expect.objectContaining({ response_type: 'ephemeral', replace_original: false }),
    ]);
    expect(textOf(h.posted(responseUrl)[0])).toContain(buttonNotUnderstood);
    expect(h.jobs.length).toBe(jobsBefore);
    expect(errorLines(logsBefore)).toEqual([]);
  });

  it('answers a known button once, with no second ack from the fallback', async () => {
    // Prepare
    const responseUrl = h.slack.responseUrl();
    const body = blockActionsBody({
      userId: users.viewer,
      responseUrl,
      button: { action_id: `${actionIds.run}:3`, value: JSON.stringify({ command: 'repos.list', args: {} }) },
    });

    // Act
    const answer = await h.send(signedEvent(body, h.signingSecret));
    await h.settle();

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(h.jobs.at(-1)).toMatchObject({ invocation: { command: 'repos.list' } });
    expect(h.ackProblems()).toEqual([]);
  });

  it('acks 200 with nothing done when a modal is closed', async () => {
    // Prepare
    const callsBefore = h.slack.calls.length;

    // Act
    const answer = await h.send(signedEvent(payloadBody(closed()), h.signingSecret));

    // Assess
    expect(answer).toMatchObject({ statusCode: 200, text: '' });
    expect(h.slack.calls.length).toBe(callsBefore);
  });

  it('keeps the modal open with "run the command again" when a modal this version did not open is submitted', async () => {
    // Prepare
    const payload = submit();
    const body = payloadBody({ ...payload, view: { ...(payload.view as object), callback_id: 'vcr.old-form' } });
    const jobsBefore = h.jobs.length;

    // Act
    const answer = await h.send(signedEvent(body, h.signingSecret));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toMatchObject({ response_action: 'update' });
    expect(textOf(answer.json)).toContain('This form is not one I understand; run the command again.');
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('answers an empty list when a picker this version does not know asks for options', async () => {
    // Act
    const answer = await h.send(
      signedEvent(payloadBody({ ...suggestion(), action_id: 'vcr.pick.future' }), h.signingSecret),
    );

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(answer.json).toEqual({ options: [] });
  });

  it('says which command works when the Slack app sends a slash command this bot is not configured for', async () => {
    // Prepare
    const body = slashCommandBody({
      text: 'repos',
      userId: users.viewer,
      responseUrl: h.slack.responseUrl(),
      command: '/registry',
    });
    const jobsBefore = h.jobs.length;

    // Act
    const answer = await h.send(signedEvent(body, h.signingSecret));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(textOf(answer.json)).toContain('This bot answers `/vcr` only');
    expect(h.jobs.length).toBe(jobsBefore);
  });

  it('still answers its own form submits once', async () => {
    // Prepare
    const body = viewSubmissionBody({
      userId: users.operator,
      view: { callback_id: callbackIds.form, private_metadata: 'not json' },
      values: {},
    });

    // Act
    const answer = await h.send(signedEvent(body, h.signingSecret));

    // Assess
    expect(answer.statusCode).toBe(200);
    expect(textOf(answer.json)).toContain('This form is not one I understand');
    expect(h.ackProblems()).toEqual([]);
  });
});
