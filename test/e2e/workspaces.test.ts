import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import {
  blockActionsBody,
  blockSuggestionBody,
  signedEvent,
  userCreateRepositoryPicker,
  viewSubmissionBody,
} from '../support/slack-requests';

const { operator } = e2eUsers;
// The harness serves SLACK_TEAM_ID=T0TEAM; in a Slack Connect channel hosted there, a guest belongs to T0OTHER.
const host = 'T0TEAM';
const guestTeam = 'T0OTHER';

/** Rewrites the JSON `payload=` of a form-encoded interaction body. */
function withPayload(body: string, edit: (payload: Record<string, unknown>) => void): string {
  const form = new URLSearchParams(body);
  const payload = JSON.parse(form.get('payload')!) as Record<string, unknown>;
  edit(payload);
  form.set('payload', JSON.stringify(payload));
  return form.toString();
}

describe("who is asking, by the actor's own workspace", () => {
  const harness = useE2eHarness();

  const sendSigned = (body: string) => harness.send(signedEvent(body, harness.secrets.signingSecret, { base64: true }));

  it('refuses a click by a guest from another workspace in a channel the served workspace hosts', async () => {
    // Prepare
    const card = await harness.reply('repos', operator);
    const button = buttonIn(card, 'Open');
    const responseUrl = harness.slack.responseUrl();
    const body = withPayload(blockActionsBody({ userId: 'U0EXTERN', responseUrl, button }), (payload) => {
      payload.user = { id: 'U0EXTERN', username: 'guest', team_id: guestTeam };
      payload.team = { id: host, domain: 'host' };
    });

    // Act
    const ack = await sendSigned(body);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('does not serve your workspace');
    expect(harness.posted(responseUrl).map(readableText).join('\n')).not.toContain('payments-api');
  });

  it('refuses a form submit and an options request by a guest from another workspace', async () => {
    // Prepare
    const before = harness.emulator.requests.length;
    const submit = withPayload(
      viewSubmissionBody({
        userId: 'U0EXTERN',
        view: { private_metadata: JSON.stringify({ command: 'repo.create', fixedArgs: {} }) },
        values: formState({ blocks: [] }, {}),
      }),
      (payload) => {
        payload.user = { id: 'U0EXTERN', name: 'guest', team_id: guestTeam };
      },
    );
    const suggest = withPayload(
      blockSuggestionBody({ userId: 'U0EXTERN', value: '', ...userCreateRepositoryPicker }),
      (payload) => {
        payload.user = { id: 'U0EXTERN', name: 'guest', team_id: guestTeam };
      },
    );

    // Act
    const submitted = await sendSigned(submit);
    const suggested = await sendSigned(suggest);
    await harness.settle();

    // Assess
    expect(submitted.text).toContain('does not serve your workspace');
    expect(suggested.json).toEqual({ options: [] });
    expect(harness.emulator.requests.length).toBe(before);
  });

  it('admits a user of the served workspace when an org-wide install sends a click with team null', async () => {
    // Prepare
    const card = await harness.reply('repos', operator);
    const button = buttonIn(card, 'Open');
    const responseUrl = harness.slack.responseUrl();
    const body = withPayload(blockActionsBody({ userId: operator, responseUrl, button }), (payload) => {
      payload.user = { id: operator, username: 'operator', team_id: host };
      payload.team = null;
      payload.enterprise = { id: 'E0GRID', name: 'grid' };
      payload.is_enterprise_install = true;
    });

    // Act
    const ack = await sendSigned(body);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    const answer = readableText(harness.posted(responseUrl).at(-1));
    expect(answer).not.toContain('does not serve');
    expect(answer).toMatch(/^Repository /);
  });
});
