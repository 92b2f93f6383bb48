import { seedIds } from '../../local/emulator/seed';
import { fieldBlockId } from '../../src/slack/ids';
import {
  buttonIn,
  describeDestructiveFlow,
  e2eUsers,
  formState,
  readableText,
  secretFingerprint,
  stableBlocks,
  useE2eHarness,
} from '../support/e2e-harness';
import { pickerIn } from '../support/slack-requests';

const { sandboxTmp, webFrontend, paymentsApi } = seedIds.repositories;
const { ciDeployer, qaReader } = seedIds.users;
const { pull } = seedIds.policies;

describeDestructiveFlow('repo delete', {
  command: 'repo delete sandbox-tmp',
  confirm: 'Delete',
  preview: ['Quota freed'],
  done: 'Deleted repository `sandbox-tmp`',
  // Sandbox-tmp is empty, so its delete is one request; the changed target would start with its images.
  executes: (request) => request.method === 'DELETE',
  target: (harness) => harness.emulator.state.repositories.find((repo) => repo.uuid === sandboxTmp),
  changed: {
    command: 'repo delete web-frontend --force',
    change: (harness) => {
      harness.emulator.state.images.push({
        id: 9001,
        repoId: webFrontend,
        name: 'web/late-arrival',
        pullCount: 0,
        updateTime: new Date().toISOString(),
      });
    },
    shows: ['changed since the preview', 'it now holds 3 images (was 2)', 'Nothing was deleted'],
  },
});

describeDestructiveFlow('repo detach', {
  command: 'repo detach payments-api qa-reader',
  confirm: 'Detach',
  preview: ['pull (goes)'],
  done: 'Detached `qa-reader` from `payments-api`',
  executes: (request) => request.method === 'PUT' && request.path.endsWith('/detach'),
  target: (harness) =>
    harness.emulator.state.users
      .find((user) => user.uuid === qaReader)
      ?.permissions.find((permission) => permission.repoId === paymentsApi),
  changed: {
    command: 'repo detach web-frontend ci-deployer',
    change: (harness) => {
      const user = harness.emulator.state.users.find((candidate) => candidate.uuid === ciDeployer)!;
      user.permissions = user.permissions.map((permission) =>
        permission.repoId === webFrontend ? { repoId: webFrontend, policyIds: [pull] } : permission,
      );
    },
    shows: ['changed since the preview', 'it is now pull (was push)', 'Nothing was changed'],
  },
});

describeDestructiveFlow('user delete', {
  command: 'user delete legacy-puller',
  confirm: 'Delete',
  preview: ['web-frontend', 'It cannot be undone'],
  done: 'Deleted repository user `legacy-puller`',
  executes: (request) => request.method === 'DELETE' && request.path.startsWith('/v1/user/'),
  target: (harness) => harness.emulator.state.users.find((user) => user.name === 'legacy-puller'),
  changed: {
    command: 'user delete qa-reader',
    change: (harness) => {
      const user = harness.emulator.state.users.find((candidate) => candidate.uuid === qaReader)!;
      user.permissions.push({ repoId: webFrontend, policyIds: [pull] });
    },
    shows: ['changed since the preview', 'web-frontend', 'Nothing was deleted'],
  },
});

describeDestructiveFlow('image delete', {
  command: 'image delete payments-api/base/node-runtime',
  confirm: 'Delete',
  preview: ['20-alpine'],
  done: 'Deleted image `payments-api/base/node-runtime`',
  // One artifact delete per artifact, and node-runtime has one: a second run would send another.
  executes: (request) => request.method === 'DELETE' && request.path.endsWith('/images/artifacts/delete'),
  target: (harness) => ({
    image: harness.emulator.state.images.find(
      (image) => image.repoId === paymentsApi && image.name === 'base/node-runtime',
    ),
    artifacts: harness.emulator.state.artifacts.filter((artifact) => artifact.imageName === 'base/node-runtime'),
  }),
  changed: {
    command: 'image delete payments-api/team/worker',
    change: (harness) => {
      const artifact = harness.emulator.state.artifacts.find(
        (candidate) => candidate.imageName === 'team/worker' && candidate.tags.some((tag) => tag.name === 'v1.9.3'),
      )!;
      artifact.tags.push({
        id: 9002,
        name: 'hotfix',
        pushTime: new Date().toISOString(),
        pullTime: null,
        immutable: false,
      });
    },
    shows: ['changed since the preview', 'new: `hotfix`', 'Nothing was deleted'],
  },
});

describeDestructiveFlow('artifact delete', {
  command: 'artifact delete payments-api/team/worker:stable',
  confirm: 'Delete',
  preview: ['also `v2.0.0`, `latest`'],
  done: 'Deleted artifact',
  executes: (request) => request.method === 'DELETE' && request.path.endsWith('/images/artifacts/delete'),
  target: (harness) =>
    harness.emulator.state.artifacts.filter(
      (artifact) => artifact.repoId === paymentsApi && artifact.imageName === 'team/worker',
    ),
  changed: {
    command: 'artifact delete payments-api/team/api:latest',
    change: (harness) => {
      const [newest, older] = harness.emulator.state.artifacts.filter(
        (artifact) => artifact.repoId === paymentsApi && artifact.imageName === 'team/api',
      );
      const latest = newest!.tags.find((tag) => tag.name === 'latest')!;
      newest!.tags = newest!.tags.filter((tag) => tag !== latest);
      older!.tags.push(latest);
    },
    shows: ['The tag `latest` moved since the preview', 'it now points to artifact', 'Nothing was deleted'],
  },
});

describeDestructiveFlow('user secret', {
  command: 'user secret ci-deployer',
  confirm: 'New secret',
  preview: ['stops working at once', 'payments-api'],
  done: 'Made a new secret for repository user `ci-deployer`',
  // A GET that changes state: making a secret is exactly this request (docs/vcr-api.md#secrets-and-retries).
  executes: (request) => request.method === 'GET' && /^\/v1\/user\/[^/]+\/refresh$/.test(request.path),
  target: (harness) => secretFingerprint(harness.emulator.currentSecret(ciDeployer)),
  secret: (harness) => harness.emulator.currentSecret(ciDeployer),
  changed: {
    command: 'user secret qa-reader',
    change: (harness) => {
      const { users } = harness.emulator.state;
      users.splice(
        users.findIndex((user) => user.uuid === qaReader),
        1,
      );
    },
    shows: ['`qa-reader` no longer exists', 'no secret was made'],
  },
});

describe('destructive previews from forms, and their blocks', () => {
  const harness = useE2eHarness();
  const writes = () =>
    harness.emulator.requests.filter(
      (request) => request.method !== 'GET' && !request.path.startsWith('/accounts-api/'),
    );

  /** Types `image delete REPO` and returns the picker modal it opened and the command's response_url. */
  async function openImageDeleteForm(repo: string): Promise<{ view: Record<string, unknown>; responseUrl: string }> {
    const { ack, responseUrl } = await harness.command(`image delete ${repo}`, e2eUsers.operator);
    expect(ack.statusCode).toBe(200);
    return { view: harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>, responseUrl };
  }

  it('previews the image picked in the modal with a Delete button and deletes nothing when image delete names a repository', async () => {
    // Prepare
    const writesBefore = writes().length;
    const { view, responseUrl } = await openImageDeleteForm('payments-api');
    const answer = await harness.suggest(e2eUsers.operator, 'worker', pickerIn(view, 'image'));
    const [picked] = (answer.json?.options ?? []) as { value: string }[];

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, { image: picked!.value }));
    await harness.settle();

    // Assess
    expect(picked?.value).toBe('team/worker');
    expect(submitted.json?.response_action).toBeUndefined();
    const reply = harness.posted(responseUrl).at(-1);
    expect(readableText(reply)).toContain('Nothing is deleted until you confirm');
    expect(buttonIn(reply, 'Delete team/worker').style).toBe('danger');
    expect(writes().length).toBe(writesBefore);
    expect(
      harness.emulator.state.images.some((image) => image.repoId === paymentsApi && image.name === 'team/worker'),
    ).toBe(true);
  });

  it('marks the image field and previews nothing when the image delete modal is submitted with no image picked', async () => {
    // Prepare
    const { view, responseUrl } = await openImageDeleteForm('payments-api');
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, {}));
    await harness.settle();

    // Assess
    expect(submitted.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('image')]: expect.stringContaining('pick one') },
    });
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });

  it('marks the image field with the command to type when the picked image’s name is too long for a picker', async () => {
    // Prepare
    const longName = `team/${'very-long-image-name-'.repeat(4)}end`;
    harness.emulator.state.images.push({
      id: 9101,
      repoId: paymentsApi,
      name: longName,
      pullCount: 0,
      updateTime: '2025-03-01T00:00:00.000Z',
    });
    const { view, responseUrl } = await openImageDeleteForm('payments-api');
    const answer = await harness.suggest(e2eUsers.operator, 'very-long', pickerIn(view, 'image'));
    const [placeholder] = (answer.json?.options ?? []) as { value: string; text: { text: string } }[];
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.operator, formState(view, { image: placeholder!.value }));
    await harness.settle();

    // Assess
    expect(longName.length).toBeGreaterThan(75);
    expect(placeholder?.value).not.toBe(longName);
    expect(placeholder?.text.text).toContain('too long');
    expect(submitted.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('image')]: expect.stringContaining('image delete REPO/IMAGE') },
    });
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });

  it('renders the artifact delete preview blocks as reviewed when a tag is named', async () => {
    // Prepare
    const text = 'artifact delete payments-api/team/api:latest';

    // Act
    const reply = await harness.reply(text, e2eUsers.operator);

    // Assess
    const [confirm, cancel] = [buttonIn(reply, 'Delete'), buttonIn(reply, 'Cancel')];
    expect(JSON.parse(confirm.value!).op).toEqual(expect.any(String));
    expect(JSON.parse(confirm.value!).op).toBe(JSON.parse(cancel.value!).op);
    expect(stableBlocks(reply.blocks)).toMatchInlineSnapshot(`
[
  {
    "text": {
      "emoji": true,
      "text": "Delete tag latest of team/api?",
      "type": "plain_text",
    },
    "type": "header",
  },
  {
    "fields": [
      {
        "text": "*Repository*
payments-api (\`10001234-payments-api\`)",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Image*
\`team/api\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Digest*
\`sha256:0f8e487a89e4\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Size freed*
179 MB",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Pushed*
2025-02-20 09:12 UTC",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Last pulled*
2025-03-01 06:40 UTC",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Tags that go*
\`v1.4.2\`, \`latest\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "section",
  },
  {
    "text": {
      "text": "\`latest\` is on artifact \`sha256:0f8e487a89e4\`. vCR deletes the whole artifact, so every tag on it goes with it: also \`v1.4.2\`.",
      "type": "mrkdwn",
      "verbatim": true,
    },
    "type": "section",
  },
  {
    "elements": [
      {
        "text": "Nothing is deleted until you confirm. This cannot be undone.",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "context",
  },
  {
    "elements": [
      {
        "action_id": "vcr.decide:0",
        "confirm": {
          "confirm": {
            "emoji": true,
            "text": "Delete",
            "type": "plain_text",
          },
          "deny": {
            "emoji": true,
            "text": "Keep it",
            "type": "plain_text",
          },
          "style": "danger",
          "text": {
            "emoji": true,
            "text": "This deletes artifact sha256:0f8e487a89e4 of payments-api/team/api (179 MB) with its tags v1.4.2, latest. It cannot be undone.",
            "type": "plain_text",
          },
          "title": {
            "emoji": true,
            "text": "Delete artifact sha256:0f8e487a89e4?",
            "type": "plain_text",
          },
        },
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "Delete team/api:latest",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"op":"<operation id>","cmd":"artifact.delete","decision":"confirm"}",
      },
      {
        "action_id": "vcr.decide:1",
        "text": {
          "emoji": true,
          "text": "Cancel",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"op":"<operation id>","cmd":"artifact.delete","decision":"cancel"}",
      },
    ],
    "type": "actions",
  },
]
`);
  });
});
