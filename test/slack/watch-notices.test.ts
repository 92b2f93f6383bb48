import { renderSlackText } from '../../local/slack-text';
import type { Reply } from '../../src/commands/reply';
import { expiryReminder } from '../../src/commands/watch/expiry-watch';
import { quotaAlert } from '../../src/commands/watch/quota-watch';
import { createLogger } from '../../src/logger';
import type { SlackMessage } from '../../src/slack/render';
import { createNoticePoster } from '../../src/slack/watch-notices';
import type { Repository, RepoUser } from '../../src/vcr/types';
import { messageLimitProblems } from '../support/block-limits';

const gb = 1024 ** 3;
const repository: Repository = {
  uuid: 'repo-6f1c2d3e-aaaa-4bbb-8ccc-123456789abc',
  name: 'build-<cache>*',
  backendName: '10001234-build-cache',
  accessLevel: 'PRIVATE',
  imageCount: 1,
  attachedUser: 0,
  quotaLimit: 10,
  quotaUsed: 9.6 * gb,
  registryUrl: 'vcr.vngcloud.vn',
  createdAt: '2025-03-01T00:00:00.000Z',
} as Repository;
const user: RepoUser = {
  uuid: 'ra-1',
  name: 'release-bot',
  backendName: '10001234-release-bot',
  description: null,
  disable: false,
  expiredAt: '2026-12-05T20:00:00.000Z',
  createdAt: '2025-03-01T00:00:00.000Z',
  userId: 4,
  numberOfRepo: 1,
  repoPermissionList: [{ repoId: 'repo-1', repoName: 'build-cache', backendRepoName: 'x', policyDtoList: null }],
};

describe('watcher notices', () => {
  it('renders a quota alert with its bar, growth and three buttons, the name escaped', async () => {
    // Act
    const message = await postedMessage(
      quotaAlert(
        repository,
        96,
        95,
        { grownBytes: 2 * gb, spanDays: 7, bytesPerDay: (2 * gb) / 7, fullInDays: 2 },
        [80, 95, 100],
      ),
    );

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('build-&lt;cache&gt;');
    expect(renderSlackText(message).text).toMatchInlineSnapshot(`
"== Quota alert: build-<cache>* ==
\`build-<cache>*\` reached *95%* of its quota.
  Usage: 9.6 GB of 10 GB ▓▓▓▓▓▓▓▓▓▓ 96%
  Growth, last 7 days: +2.0 GB in 7 days (293 MB a day)
  Full: in about 2 days
Alerts at 80%, 95%, 100% of the quota, once each until usage falls back below.
[1] Raise quota   [2] Largest and oldest   [3] Plan cleanup"
`);
  });

  it('renders an expiry reminder with Extend, New secret and Disable', async () => {
    // Act
    const message = await postedMessage(expiryReminder(user, 7));

    // Assess
    expect(messageLimitProblems(message)).toEqual([]);
    expect(renderSlackText(message).text).toMatchInlineSnapshot(`
"== Repository user release-bot expires in 7 days ==
\`release-bot\` (\`10001234-release-bot\`) expires 2026-12-05 20:00 UTC. It has access to 1 repository: build-cache.
Extend opens the expiry form with 90 more days filled in; New secret sends a new secret by DM to whoever asks; Disable stops it now.
[1] Extend   [2] New secret   [3] Disable (danger)"
`);
  });

  it('answers false and logs an error when the post fails', async () => {
    // Prepare
    const logs: string[] = [];
    const poster = createNoticePoster({
      delivery: {
        post: async () => {
          throw new Error('socket hang up');
        },
      },
      logger: createLogger({ sink: (line) => logs.push(line) }),
      slackContext: { tokenSetting: '`SLACK_BOT_TOKEN`' },
    });

    // Act
    const posted = await poster.post('C0ALERTS', expiryReminder(user, 1));

    // Assess
    expect(posted).toBe(false);
    expect(logs.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'error', message: 'Could not post a watcher notice', channelId: 'C0ALERTS' }),
    ]);
  });
});

// What the poster hands to Slack for `reply`, caught by a delivery that keeps it.
async function postedMessage(reply: Reply): Promise<SlackMessage> {
  let sent: SlackMessage | undefined;
  const poster = createNoticePoster({
    delivery: {
      post: async (_channel, message) => {
        sent = message;
      },
    },
    logger: createLogger({ sink: () => {} }),
    slackContext: { tokenSetting: '`SLACK_BOT_TOKEN`' },
  });
  await poster.post('C0ALERTS', reply);
  if (!sent) throw new Error('Nothing was posted');
  return sent;
}
