import { seedIds } from '../../local/emulator/seed';
import { fieldBlockId } from '../../src/slack/ids';
import { e2eUsers, formState, readableText, stableBlocks, useE2eHarness } from '../support/e2e-harness';
import { buttonsIn, pickerIn } from '../support/slack-requests';

const harness = useE2eHarness();

describe('read commands, typed', () => {
  it('lists every command in the ack when help is asked', async () => {
    // Prepare
    const text = 'help';

    // Act
    const { ack } = await harness.command(text, e2eUsers.viewer);

    // Assess
    const help = readableText(ack.json);
    for (const usage of ['repos [FILTER]', 'repo delete REPO [--force]', 'user create [NAME]', 'users [FILTER]']) {
      expect(help).toContain(usage);
    }
    expect(ack.json?.response_type).toBe('ephemeral');
  });

  it('shows one command when help names it', async () => {
    // Prepare
    const text = 'help repo delete';

    // Act
    const { ack } = await harness.command(text, e2eUsers.viewer);

    // Assess
    expect(readableText(ack.json)).toContain('repo delete REPO [--force]');
    expect(readableText(ack.json)).not.toContain('user create');
  });

  it('acknowledges at once and posts the repositories to response_url when repos is typed', async () => {
    // Prepare
    const text = 'repos';

    // Act
    const { ack, responseUrl } = await harness.command(text, e2eUsers.viewer);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(ack.json)).toContain('Working on');
    const reply = harness.posted(responseUrl).at(-1);
    const text2 = readableText(reply);
    for (const name of ['payments-api', 'web-frontend', 'ml-models', 'sandbox-tmp']) expect(text2).toContain(name);
    expect(text2).toContain('10001234-payments-api');
    expect(reply?.response_type).toBe('ephemeral');
  });

  it('lists only the matching repositories when repos has a filter', async () => {
    // Prepare
    const text = 'repos pay';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('payments-api');
    expect(readableText(reply)).not.toContain('web-frontend');
  });

  it('shows the last page, says so and offers no Next, when --page is past the end', async () => {
    // Act
    const reply = await harness.reply('repos --page 99999999999', e2eUsers.viewer);

    // Assess
    const text = readableText(reply);
    expect(text).toContain('There is only 1 page, so this is the last one rather than page 99999999999.');
    expect(text).toContain('Page 1 of 1');
    expect(text).not.toContain('Page 99999999999');
    expect(buttonsIn(reply.blocks).map((button) => button.text.text)).not.toEqual(
      expect.arrayContaining(['← Previous']),
    );
  });

  it('shows the last page of a repository history when --page is past it', async () => {
    // Act
    const reply = await harness.reply('repo history payments-api --page 3', e2eUsers.viewer);

    // Assess
    const text = readableText(reply);
    expect(text).toContain('Page 2 of 2');
    expect(text).not.toContain('Page 3 of 2');
    expect(buttonsIn(reply.blocks).map((button) => button.text.text)).toContain('← Previous');
  });

  it('posts the list in the channel when --share is given', async () => {
    // Prepare
    const text = 'repos --share';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(reply.response_type).toBe('in_channel');
  });

  it('shows a repository card with its fields, docker hints and buttons when repo is typed', async () => {
    // Prepare
    const text = 'repo payments-api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const card = readableText(reply);
    expect(card).toContain('10001234-payments-api');
    expect(card).toContain('docker push vcr.vngcloud.vn/10001234-payments-api/');
    for (const label of ['Images', 'Users', 'Attach user', 'History', 'Change quota', 'Delete']) {
      expect(card).toContain(label);
    }
  });

  it('renders the repository card blocks as reviewed when repo is typed', async () => {
    // Prepare
    const text = 'repo web-frontend';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(reply.blocks).toMatchInlineSnapshot(`
[
  {
    "text": {
      "emoji": true,
      "text": "Repository web-frontend",
      "type": "plain_text",
    },
    "type": "header",
  },
  {
    "fields": [
      {
        "text": "*Name*
web-frontend",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Backend name*
\`10001234-web-frontend\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*ID*
\`repo-c67ae9de-1dda-455e-a325-2ac9351e5d34\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Access*
public",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Quota*
137 MB of 10 GB ░░░░░░░░░░ 1%",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Images*
2",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Attached users*
2",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Registry*
\`vcr.vngcloud.vn\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Created*
2024-12-09 04:00 UTC",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "section",
  },
  {
    "elements": [
      {
        "text": "Push: \`docker push vcr.vngcloud.vn/10001234-web-frontend/&lt;image&gt;:&lt;tag&gt;\`
Pull: \`docker pull vcr.vngcloud.vn/10001234-web-frontend/&lt;image&gt;:&lt;tag&gt;\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "context",
  },
  {
    "elements": [
      {
        "action_id": "vcr.run:0",
        "text": {
          "emoji": true,
          "text": "Images",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"images.list","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
      {
        "action_id": "vcr.run:1",
        "text": {
          "emoji": true,
          "text": "Users",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"repo.users","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
      {
        "action_id": "vcr.run:2",
        "text": {
          "emoji": true,
          "text": "Attach user",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"repo.attach","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
      {
        "action_id": "vcr.run:3",
        "text": {
          "emoji": true,
          "text": "History",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"repo.history","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
      {
        "action_id": "vcr.run:4",
        "text": {
          "emoji": true,
          "text": "Change quota",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"repo.quota","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
      {
        "action_id": "vcr.run:5",
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "Delete",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"repo.delete","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
      },
    ],
    "type": "actions",
  },
]
`);
  });

  it('finds a repository by its backend name when repo is given one', async () => {
    // Prepare
    const text = 'repo 10001234-ml-models';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('Repository ml-models');
    expect(readableText(reply)).toContain('vcr-han.vngcloud.vn');
  });

  it('shows the usage history newest first when repo history is typed', async () => {
    // Prepare
    const text = 'repo history web-frontend';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const history = readableText(reply);
    expect(history.indexOf('2025-03-02')).toBeGreaterThan(-1);
    expect(history.indexOf('2025-03-02')).toBeLessThan(history.indexOf('2024-12-09'));
  });

  it('lists the users attached with their access when repo users is typed', async () => {
    // Prepare
    const text = 'repo users payments-api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const users = readableText(reply);
    expect(users).toContain('ci-deployer');
    expect(users).toContain('qa-reader');
    expect(users).not.toContain('legacy-puller');
  });

  it('lists repository users when users is typed', async () => {
    // Prepare
    const text = 'users';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const users = readableText(reply);
    for (const name of ['ci-deployer', 'qa-reader', 'legacy-puller']) expect(users).toContain(name);
    expect(users).toContain('10001234-ci-deployer');
  });

  it('shows a user card with permissions per repository and buttons when user is typed', async () => {
    // Prepare
    const text = 'user ci-deployer';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const card = readableText(reply);
    expect(card).toContain('payments-api');
    expect(card).toContain('web-frontend');
    for (const label of ['Edit', 'Permissions', 'Disable', 'New secret', 'Delete']) expect(card).toContain(label);
  });

  it('renders the user card blocks as reviewed when user is typed', async () => {
    // Prepare
    const text = 'user ci-deployer';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(stableBlocks(reply.blocks)).toMatchInlineSnapshot(`
[
  {
    "text": {
      "emoji": true,
      "text": "Repository user ci-deployer",
      "type": "plain_text",
    },
    "type": "header",
  },
  {
    "fields": [
      {
        "text": "*Name*
ci-deployer",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Login user*
\`10001234-ci-deployer\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*ID*
\`ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Status*
enabled",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Expiry*
never expires",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Created*
2024-12-10 03:00 UTC",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Repositories*
2",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Description*
CI pipeline pushing release images",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "section",
  },
  {
    "accessory": {
      "action_id": "vcr.run:0",
      "text": {
        "emoji": true,
        "text": "Open",
        "type": "plain_text",
      },
      "type": "button",
      "value": "{"command":"repo.show","args":{"repo":"repo-ed672310-17a1-4549-ac83-1f025f598aa4"}}",
    },
    "text": {
      "text": "*payments-api*
Access: pull and push",
      "type": "mrkdwn",
      "verbatim": true,
    },
    "type": "section",
  },
  {
    "accessory": {
      "action_id": "vcr.run:1",
      "text": {
        "emoji": true,
        "text": "Open",
        "type": "plain_text",
      },
      "type": "button",
      "value": "{"command":"repo.show","args":{"repo":"repo-c67ae9de-1dda-455e-a325-2ac9351e5d34"}}",
    },
    "text": {
      "text": "*web-frontend*
Access: pull and push",
      "type": "mrkdwn",
      "verbatim": true,
    },
    "type": "section",
  },
  {
    "elements": [
      {
        "action_id": "vcr.run:2",
        "text": {
          "emoji": true,
          "text": "Edit",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"user.update","args":{"user":"ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917","userName":"ci-deployer"}}",
      },
      {
        "action_id": "vcr.run:3",
        "text": {
          "emoji": true,
          "text": "Permissions",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"user.permissions","args":{"user":"ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917","userName":"ci-deployer"}}",
      },
      {
        "action_id": "vcr.run:4",
        "text": {
          "emoji": true,
          "text": "Disable",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"user.disable","args":{"user":"ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917","userName":"ci-deployer"}}",
      },
      {
        "action_id": "vcr.run:5",
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "New secret",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"user.secret","args":{"user":"ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917","userName":"ci-deployer"}}",
      },
      {
        "action_id": "vcr.run:6",
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "Delete",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"user.delete","args":{"user":"ra-ec78dfe1-fb6f-499b-a9d6-5c4341309917","userName":"ci-deployer"}}",
      },
    ],
    "type": "actions",
  },
]
`);
  });

  it('lists images with artifacts and pulls when images is typed', async () => {
    // Prepare
    const text = 'images payments-api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const images = readableText(reply);
    for (const name of ['team/api', 'team/worker', 'base/node-runtime']) expect(images).toContain(name);
    expect(images).toContain('412 pulls');
  });

  it('lists only the matching images when images has a filter', async () => {
    // Prepare
    const text = 'images payments-api team';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('team/api');
    expect(readableText(reply)).not.toContain('base/node-runtime');
    expect(harness.emulator.requests.at(-1)?.query).toMatchObject({ name: 'team' });
  });

  it('shows one image with a pull hint when image is typed with a name holding a slash', async () => {
    // Prepare
    const text = 'image payments-api/team/api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('docker pull vcr.vngcloud.vn/10001234-payments-api/team/api');
    expect(harness.emulator.requests).toContainEqual(
      expect.objectContaining({
        path: `/v1/repository/${seedIds.repositories.paymentsApi}/images/detail`,
        query: expect.objectContaining({ imageName: 'team/api' }),
      }),
    );
  });

  it('renders the image detail blocks as reviewed when image is typed', async () => {
    // Prepare
    const text = 'image payments-api/team/api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(stableBlocks(reply.blocks)).toMatchInlineSnapshot(`
[
  {
    "text": {
      "emoji": true,
      "text": "Image team/api",
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
        "text": "*Artifacts*
3 artifacts",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Pulls*
412",
        "type": "mrkdwn",
        "verbatim": true,
      },
      {
        "text": "*Last update*
2025-02-20 09:12 UTC",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "section",
  },
  {
    "elements": [
      {
        "text": "Pull: \`docker pull vcr.vngcloud.vn/10001234-payments-api/team/api:&lt;tag&gt;\`",
        "type": "mrkdwn",
        "verbatim": true,
      },
    ],
    "type": "context",
  },
  {
    "elements": [
      {
        "action_id": "vcr.run:0",
        "text": {
          "emoji": true,
          "text": "Tags",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"tags.list","args":{"ref":"repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/api"}}",
      },
      {
        "action_id": "vcr.run:1",
        "style": "danger",
        "text": {
          "emoji": true,
          "text": "Delete",
          "type": "plain_text",
        },
        "type": "button",
        "value": "{"command":"image.delete","args":{"ref":"repo-ed672310-17a1-4549-ac83-1f025f598aa4/team/api"}}",
      },
    ],
    "type": "actions",
  },
]
`);
  });

  it('lists artifacts with short digests, tags and sizes when tags is typed', async () => {
    // Prepare
    const text = 'tags payments-api/team/api';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const tags = readableText(reply);
    expect(tags).toMatch(/sha256:[0-9a-f]{12}\b/);
    expect(tags).toContain('`v1.4.2`, `latest`');
    expect(tags).toContain('179 MB');
  });

  it('lists only artifacts with a matching tag when tags has a filter', async () => {
    // Prepare
    const text = 'tags payments-api/team/api v1.4.1';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('v1.4.1');
    expect(readableText(reply)).not.toContain('v1.4.2');
  });

  it('lists the policies vCR offers and marks "All" as never used when permissions is typed', async () => {
    // Prepare
    const text = 'permissions';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    const policies = readableText(reply);
    expect(policies).toContain('Pull Images');
    expect(policies).toContain('Push Images');
    expect(policies).toContain('Never used');
  });

  it('checks Slack, the IAM token and vCR when ping is typed', async () => {
    // Prepare
    const text = 'ping';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('All 3 checks passed');
    expect(harness.callsOf('auth.test').length).toBeGreaterThan(0);
  });

  it('names the failing part when ping runs while Slack refuses the token', async () => {
    // Prepare
    harness.slack.failMethod('auth.test', 'invalid_auth');

    // Act
    const reply = await harness.reply('ping', e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toMatch(/Slack/);
    expect(readableText(reply)).not.toContain('All 3 checks passed');
  });

  it('opens the card a list button points at when the button is clicked', async () => {
    // Prepare
    const list = await harness.reply('repos payments', e2eUsers.viewer);
    const open = (list.blocks as Record<string, unknown>[])
      .map((block) => block.accessory as { text: { text: string }; action_id: string; value?: string } | undefined)
      .find((accessory) => accessory?.text.text === 'Open');

    // Act
    const { ack, responseUrl } = await harness.click(open!, e2eUsers.viewer);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(readableText(harness.posted(responseUrl).at(-1))).toContain('docker pull');
  });
});

describe('the image form of image REPO', () => {
  /** Types `image REPO` and returns the picker modal it opened and the command's response_url. */
  async function openImageForm(repo: string): Promise<{ view: Record<string, unknown>; responseUrl: string }> {
    const { ack, responseUrl } = await harness.command(`image ${repo}`, e2eUsers.viewer);
    expect(ack.statusCode).toBe(200);
    return { view: harness.callsOf('views.open').at(-1)?.view as Record<string, unknown>, responseUrl };
  }

  it('shows the card of the image picked in the modal when image names a repository', async () => {
    // Prepare
    const { view, responseUrl } = await openImageForm('payments-api');
    const answer = await harness.suggest(e2eUsers.viewer, 'api', pickerIn(view, 'image'));
    const [picked] = (answer.json?.options ?? []) as { value: string }[];

    // Act
    const submitted = await harness.submit(view, e2eUsers.viewer, formState(view, { image: picked!.value }));
    await harness.settle();

    // Assess
    expect(picked?.value).toBe('team/api');
    expect(submitted.json?.response_action).toBeUndefined();
    const card = readableText(harness.posted(responseUrl).at(-1));
    expect(card).toContain('Image team/api');
    expect(card).toContain('docker pull vcr.vngcloud.vn/10001234-payments-api/team/api');
  });

  it('marks the image field and shows nothing when the image modal is submitted with no image picked', async () => {
    // Prepare
    const { view, responseUrl } = await openImageForm('payments-api');
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.viewer, formState(view, {}));
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
    const longName = `ml/${'very-long-model-name-'.repeat(4)}end`;
    harness.emulator.state.images.push({
      id: 9201,
      repoId: seedIds.repositories.mlModels,
      name: longName,
      pullCount: 0,
      updateTime: '2025-03-01T00:00:00.000Z',
    });
    const { view, responseUrl } = await openImageForm('ml-models');
    const answer = await harness.suggest(e2eUsers.viewer, 'very-long', pickerIn(view, 'image'));
    const [placeholder] = (answer.json?.options ?? []) as { value: string; text: { text: string } }[];
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const submitted = await harness.submit(view, e2eUsers.viewer, formState(view, { image: placeholder!.value }));
    await harness.settle();

    // Assess
    expect(longName.length).toBeGreaterThan(75);
    expect(placeholder?.value).not.toBe(longName);
    expect(placeholder?.text.text).toContain('too long');
    expect(submitted.json).toMatchObject({
      response_action: 'errors',
      errors: { [fieldBlockId('image')]: expect.stringContaining('image REPO/IMAGE') },
    });
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });
});

describe('read commands, refused before vCR', () => {
  it.each([
    ['an unknown word', 'frobnicate', 'Unknown command'],
    ['a missing argument', 'repo users', 'Usage'],
    ['a malformed page', 'repos --page zero', 'page'],
    ['an unknown flag', 'repos --colour red', 'colour'],
  ])('answers the problem and the usage without calling vCR when the command has %s', async (_, text, expected) => {
    // Prepare
    const requestsBefore = harness.emulator.requests.length;

    // Act
    const { ack, responseUrl } = await harness.command(text, e2eUsers.viewer);
    await harness.settle();

    // Assess
    expect(ack.statusCode).toBe(200);
    expect(ack.json?.response_type).toBe('ephemeral');
    expect(readableText(ack.json)).toContain(expected);
    expect(harness.posted(responseUrl)).toEqual([]);
    expect(harness.emulator.requests.length).toBe(requestsBefore);
  });

  it('says no repository has the name when it does not exist', async () => {
    // Prepare
    const text = 'repo no-such-repo';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('No repository named `no-such-repo`');
  });
});
