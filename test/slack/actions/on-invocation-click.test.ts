import { actionIds } from '../../../src/slack/ids';
import { buttonIn, textOf, users, useSlackHarness } from '../../support/slack-harness';

const h = useSlackHarness();

/** Types `text` as `userId`, waits for the job, and returns the blocks it posted. */
async function blocksOf(text: string, userId: string): Promise<unknown> {
  const { responseUrl } = await h.command(text, userId);
  await h.settle();
  return h.posted(responseUrl)[0]?.blocks;
}

describe('onInvocationClick', () => {
  it('posts a new ephemeral answer for the clicker when a card button is clicked', async () => {
    // Prepare
    const card = await blocksOf('repo payments-api', users.viewer);

    // Act
    const { ack, responseUrl } = await h.click(buttonIn(card, 'Users'), users.viewer);
    await h.settle();

    // Assess
    expect(ack).toMatchObject({ statusCode: 200, text: '' });
    const posted = h.posted(responseUrl);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(posted[0])).toContain('ci-deployer');
    expect(h.jobs.at(-1)).toMatchObject({ invocation: { command: 'repo.users' }, actor: { userId: users.viewer } });
  });

  it('refuses, changes nothing and leaves the card in place when a viewer clicks Delete on a card', async () => {
    // Prepare
    const card = await blocksOf('repo sandbox-tmp', users.operator);
    const jobsBefore = h.jobs.length;
    h.emulator.clearRequests();

    // Act
    const { ack, responseUrl } = await h.click(buttonIn(card, 'Delete'), users.viewer);

    // Assess
    expect(ack.statusCode).toBe(200);
    const posted = h.posted(responseUrl);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(textOf(posted[0])).toContain('You need an *operator* role');
    expect(h.jobs.length).toBe(jobsBefore);
    expect(h.emulator.requests).toEqual([]);
  });

  it('replaces the page with the next one when Next is clicked on a list', async () => {
    // Prepare
    for (let i = 0; i < 8; i++) {
      await h.vcr.repositories.create({ repoName: `paging-repo-${i}`, isPublic: false, quotaLimit: 1 });
    }
    const page1 = await blocksOf('repos', users.viewer);

    // Act
    const { responseUrl } = await h.click(buttonIn(page1, 'Next →'), users.viewer);
    await h.settle();

    // Assess
    const posted = h.posted(responseUrl)[0];
    expect(posted).toMatchObject({ replace_original: true });
    expect(textOf(posted)).toContain('Page 2 of 2 (12 items)');
    expect(buttonIn(posted?.blocks, '← Previous')).toBeDefined();
  });

  it('answers that the button is not understood when its value is not one the bot wrote', async () => {
    // Act
    const { responseUrl } = await h.click(
      { action_id: `${actionIds.run}:0`, value: '{"nonsense":true}', text: { text: 'Odd' } },
      users.viewer,
    );

    // Assess
    expect(textOf(h.posted(responseUrl)[0])).toContain('not one I understand');
  });

  it('falls back to a DM when the click response_url has expired', async () => {
    // Prepare
    const stale = h.slack.responseUrl();
    h.slack.expireResponseUrls();
    const dmsBefore = h.callsOf('conversations.open').length;

    // Act
    await h.click(
      { action_id: `${actionIds.run}:0`, value: '{"nonsense":true}', text: { text: 'Odd' } },
      users.viewer,
      stale,
    );

    // Assess
    expect(h.callsOf('conversations.open')[dmsBefore]).toMatchObject({ users: users.viewer });
    const post = h.callsOf('chat.postMessage').at(-1);
    expect(post?.channel).toBe(`D${users.viewer}`);
    expect(textOf(post)).toContain('not one I understand');
  });
});
