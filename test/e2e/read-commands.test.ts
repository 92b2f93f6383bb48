import { seedIds } from '../../local/emulator/seed';
import { e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

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

  it('pages a list when --page is given', async () => {
    // Prepare
    const text = 'repos --page 2';

    // Act
    const reply = await harness.reply(text, e2eUsers.viewer);

    // Assess
    expect(readableText(reply)).toContain('Page 2 is past the end');
    expect(
      harness.emulator.requests.some((request) => request.path === '/v1/repository' && request.query.page === '2'),
    ).toBe(true);
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
      },
      {
        "text": "*Backend name*
\`10001234-web-frontend\`",
        "type": "mrkdwn",
      },
      {
        "text": "*ID*
\`repo-c67ae9de-1dda-455e-a325-2ac9351e5d34\`",
        "type": "mrkdwn",
      },
      {
        "text": "*Access*
public",
        "type": "mrkdwn",
      },
      {
        "text": "*Quota*
137 MB of 10 GB ░░░░░░░░░░ 1%",
        "type": "mrkdwn",
      },
      {
        "text": "*Images*
2",
        "type": "mrkdwn",
      },
      {
        "text": "*Attached users*
2",
        "type": "mrkdwn",
      },
      {
        "text": "*Registry*
\`vcr.vngcloud.vn\`",
        "type": "mrkdwn",
      },
      {
        "text": "*Created*
2024-12-09 04:00 UTC",
        "type": "mrkdwn",
      },
    ],
    "type": "section",
  },
  {
    "elements": [
      {
        "text": "Push: \`docker push vcr.vngcloud.vn/10001234-web-frontend/<image>:<tag>\`
Pull: \`docker pull vcr.vngcloud.vn/10001234-web-frontend/<image>:<tag>\`",
        "type": "mrkdwn",
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
