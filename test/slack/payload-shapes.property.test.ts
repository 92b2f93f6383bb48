/**
 * Property: whatever a correctly signed request carries, the bot answers it with 200 or 400, never a 5xx, and writes
 * no error-level log line (issue 8 §4). Cases are valid Slack payloads of every kind with a few fields replaced by
 * arbitrary JSON or removed, plus wholly arbitrary JSON and form bodies.
 */
import fc from 'fast-check';
import type { JobDispatcher } from '../../src/jobs/job';
import { actionIds, callbackIds, fieldBlockId, imagePickerActionId } from '../../src/slack/ids';
import { users, useSlackHarness } from '../support/slack-harness';
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

// Jobs are recorded, not run: the property is about the HTTP phase, and a thousand vCR jobs would take minutes.
const recorded: unknown[] = [];
const recorder: JobDispatcher = {
  dispatch: async (job) => {
    recorded.push(job);
  },
};
const h = useSlackHarness({ dispatcher: () => recorder });

const people = [users.viewer, users.operator, users.admin, users.outsider];
const buttonIds = [`${actionIds.run}:0`, `${actionIds.page}:1`, `${actionIds.decide}:2`, 'vcr.unknown:0'];
const buttonValues = [
  JSON.stringify({ command: 'repos.list', args: {} }),
  JSON.stringify({ command: 'repo.create', args: {} }),
  JSON.stringify({ pending: 'p-1', decision: 'cancel' }),
  'not json',
];
const formCommands = ['repo.create', 'user.create', 'repo.quota', 'unknown.command'];
const pickerIds = [actionIds.pickRepositories, actionIds.pickUser, imagePickerActionId('repo-1'), 'vcr.pick.other'];
const kinds = ['command', 'click', 'submit', 'closed', 'suggestion', 'homeOpened'] as const;

/** A valid payload of `kind`, decoded, built from the indexes the case drew. */
function template(kind: (typeof kinds)[number], pick: number, responseUrl: string): Record<string, unknown> {
  const userId = people[pick % people.length]!;
  const decode = (body: string) => Object.fromEntries(new URLSearchParams(body));
  const payloadOf = (body: string) => JSON.parse(decode(body).payload ?? 'null') as Record<string, unknown>;
  switch (kind) {
    case 'command':
      return decode(slashCommandBody({ text: ['repos', 'repo create', 'help', ''][pick % 4]!, userId, responseUrl }));
    case 'click':
      return payloadOf(
        blockActionsBody({
          userId,
          responseUrl,
          button: { action_id: buttonIds[pick % buttonIds.length]!, value: buttonValues[pick % buttonValues.length] },
        }),
      );
    case 'submit':
    case 'closed': {
      const command = formCommands[pick % formCommands.length]!;
      const blockId = fieldBlockId('name');
      const submit = payloadOf(
        viewSubmissionBody({
          userId,
          view: {
            private_metadata: JSON.stringify({ command, fixedArgs: {}, responseUrl }),
            blocks: [{ type: 'input', block_id: blockId }],
          },
          values: { [blockId]: { [actionIds.input]: { type: 'plain_text_input', value: 'web-app' } } },
        }),
      );
      return kind === 'submit' ? submit : { ...submit, type: 'view_closed', is_cleared: false };
    }
    case 'homeOpened':
      return JSON.parse(
        eventCallbackBody({
          type: 'app_home_opened',
          user: userId,
          channel: 'D0HOME',
          tab: ['home', 'messages'][pick % 2],
        }),
      ) as Record<string, unknown>;
    case 'suggestion':
      return payloadOf(
        blockSuggestionBody({
          userId,
          actionId: pickerIds[pick % pickerIds.length]!,
          blockId: fieldBlockId('push'),
          value: 'pay',
          view: formView(formCommands[pick % formCommands.length]!),
        }),
      );
  }
}

/** Every path to a value in `value`, objects and arrays included, so a mutation can hit any level. */
function pathsOf(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [prefix];
  const children = Object.entries(value).flatMap(([key, child]) =>
    pathsOf(child, [...prefix, Array.isArray(value) ? Number(key) : key]),
  );
  return prefix.length === 0 ? children : [prefix, ...children];
}

/** Sets (or with `undefined`, removes) the value at `path` of `root`, in place. */
function setPath(root: Record<string, unknown>, path: (string | number)[], replacement: unknown): void {
  let node: unknown = root;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
  const last = path.at(-1)!;
  if (replacement === undefined) delete (node as Record<string | number, unknown>)[last];
  else (node as Record<string | number, unknown>)[last] = replacement;
}

const anyJson = fc.jsonValue({ maxDepth: 3 });
const replacement = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constantFrom('', 'x', 'U0VIEWER', actionIds.run, callbackIds.form, 'block_actions', 'view_submission'),
  anyJson,
);

/** A signed request to send: a body and its content type. */
type Case = { body: (responseUrl: string) => string; contentType: string; label: string };

const mutatedPayload: fc.Arbitrary<Case> = fc
  .record({
    kind: fc.constantFrom(...kinds),
    pick: fc.nat(),
    mutations: fc.array(fc.record({ at: fc.nat(), value: replacement }), { minLength: 1, maxLength: 3 }),
  })
  .map(({ kind, pick, mutations }) => ({
    label: `${kind} #${pick} with ${JSON.stringify(mutations).slice(0, 300)}`,
    // An Events API delivery is JSON; every other kind is a form.
    contentType: kind === 'homeOpened' ? 'application/json' : 'application/x-www-form-urlencoded',
    body: (responseUrl: string) => {
      const payload = template(kind, pick, responseUrl);
      for (const { at, value } of mutations) {
        const paths = pathsOf(payload);
        if (paths.length > 0) setPath(payload, paths[at % paths.length]!, value);
      }
      // A slash command is a flat form, an event a JSON body; every other kind travels as `payload=<JSON>`.
      if (kind === 'homeOpened') return JSON.stringify(payload);
      if (kind !== 'command') return payloadBody(payload);
      return new URLSearchParams(
        Object.entries(payload).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]),
      ).toString();
    },
  }));

const arbitraryPayload: fc.Arbitrary<Case> = anyJson.map((value) => ({
  label: `payload=${JSON.stringify(value).slice(0, 300)}`,
  contentType: 'application/x-www-form-urlencoded',
  body: () => payloadBody(value),
}));

const arbitraryJsonBody: fc.Arbitrary<Case> = anyJson.map((value) => ({
  label: `JSON ${JSON.stringify(value).slice(0, 300)}`,
  contentType: 'application/json',
  body: () => JSON.stringify(value),
}));

const arbitraryForm: fc.Arbitrary<Case> = fc
  .dictionary(fc.constantFrom('payload', 'command', 'user_id', 'text', 'type', 'ssl_check', 'token'), fc.string())
  .map((fields) => ({
    label: `form ${JSON.stringify(fields).slice(0, 300)}`,
    contentType: 'application/x-www-form-urlencoded',
    body: () => new URLSearchParams(fields).toString(),
  }));

describe('signed requests of any shape', () => {
  it('answer 200 or 400, never a 5xx, and log no error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: mutatedPayload, weight: 6 },
          { arbitrary: arbitraryPayload, weight: 2 },
          { arbitrary: arbitraryJsonBody, weight: 1 },
          { arbitrary: arbitraryForm, weight: 1 },
        ),
        async (request) => {
          // Prepare
          const logsBefore = h.logs.length;
          const body = request.body(h.slack.responseUrl());

          // Act
          const answer = await h.send(signedEvent(body, h.signingSecret, { contentType: request.contentType }));

          // Assess
          const errors = h.logs.slice(logsBefore).filter((line) => JSON.parse(line).level === 'error');
          if (![200, 400].includes(answer.statusCode) || errors.length > 0) {
            const sent = decodeURIComponent(body).slice(0, 1500);
            throw new Error(`${request.label} was answered ${answer.statusCode}; sent ${sent}; errors: ${errors}`);
          }
        },
      ),
      { numRuns: 1200 },
    );
  });
});
