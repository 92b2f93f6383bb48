/**
 * Issue 8 §9, through the real handler: what a new user tripped over. Pages past the end are in
 * test/e2e/read-commands.test.ts; each case here is one kind, with the input the issue names and another of its kind.
 */
import { seededDigest, seedIds } from '../../local/emulator/seed';
import { fieldBlockId } from '../../src/slack/ids';
import { buttonIn, e2eUsers, formState, readableText, useE2eHarness } from '../support/e2e-harness';
import { buttonsIn } from '../support/slack-requests';

const { operator, viewer } = e2eUsers;
const { paymentsApi } = seedIds.repositories;
const { qaReader } = seedIds.users;

describe('what a new user tripped over', () => {
  const harness = useE2eHarness();

  /** Types a command that opens a modal; returns the view sent to views.open and the command's response_url. */
  const openModal = async (text: string) => {
    const before = harness.callsOf('views.open').length;
    const { responseUrl } = await harness.command(text, operator);
    const calls = harness.callsOf('views.open');
    expect(calls).toHaveLength(before + 1);
    return { view: calls.at(-1)!.view as Record<string, unknown>, responseUrl };
  };

  describe('the working line', () => {
    it.each([
      ['an answer', 'repos', 'Repositories'],
      ['a failure', 'repo no-such-repo', 'No repository named `no-such-repo`'],
      ['a preview', 'repo delete sandbox-tmp', 'Nothing is deleted until you confirm'],
    ])('is replaced by %s', async (_, text, shown) => {
      // Act
      const { ack, responseUrl } = await harness.command(text, operator);
      await harness.settle();

      // Assess
      expect(ack.text).toContain('Working on');
      const posts = harness.posted(responseUrl);
      expect(posts).toHaveLength(1);
      expect(posts[0]).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
      expect(readableText(posts[0])).toContain(shown);
    });

    it('is deleted once a shared answer is posted in the channel', async () => {
      // Act
      const { responseUrl } = await harness.command('repos --share', viewer);
      await harness.settle();

      // Assess
      const posts = harness.posted(responseUrl);
      expect(posts.map((post) => [post.response_type, post.replace_original, post.delete_original ?? false])).toEqual([
        ['in_channel', false, false],
        ['ephemeral', false, true],
      ]);
    });
  });

  it.each(['PAYMENTS-API', 'Payments-Api', '10001234-PAYMENTS-API'])(
    'opens payments-api when `repo %s` is typed',
    async (typed) => {
      // Act
      const reply = await harness.reply(`repo ${typed}`, viewer);

      // Assess
      expect(readableText(reply)).toContain('Repository payments-api');
    },
  );

  it.each([
    ['the short digest replies show', seededDigest('payments-api/team/api#1').slice(0, 19)],
    ['16 digits without sha256:', seededDigest('payments-api/team/api#1').slice(7, 23)],
  ])('shows one artifact when tags gets %s', async (_, digest) => {
    // Act
    const reply = await harness.reply(`tags payments-api/team/api@${digest}`, viewer);

    // Assess
    expect(readableText(reply)).toContain(`Digest \`${seededDigest('payments-api/team/api#1')}\``);
  });

  it.each(['31GB', '32 GB'])('sets the quota when `repo quota payments-api %s` is typed', async (quota) => {
    // Act
    const reply = await harness.reply(`repo quota payments-api ${quota}`, operator);

    // Assess
    const gb = Number.parseInt(quota, 10);
    expect(readableText(reply)).toContain(`→ ${gb} GB`);
    expect(harness.emulator.state.repositories.find((repo) => repo.uuid === paymentsApi)?.quotaLimit).toBe(gb);
  });

  it('creates a private repository and shows its card with every button when --private is typed', async () => {
    // Act
    const reply = await harness.reply('repo create trips-private --private --quota 5 GB', operator);

    // Assess
    expect(readableText(reply)).toContain('Created repository `trips-private`: private, 5 GB quota.');
    expect(buttonsIn(reply.blocks).map((button) => button.text.text)).toEqual([
      'Images',
      'Users',
      'Attach user',
      'History',
      'Change quota',
      'Delete',
    ]);
  });

  it.each([
    ['repo frobnicate payments-api', 'Unknown subcommand `frobnicate` of `/vcr repo`.'],
    ['user rotate qa-reader now', 'Unknown subcommand `rotate` of `/vcr user`.'],
  ])('names the unknown subcommand when `%s` is typed', async (text, said) => {
    // Act
    const { ack } = await harness.command(text, viewer);

    // Assess
    expect(readableText(ack.json)).toContain(said);
    expect(readableText(ack.json)).toContain('`create`');
  });

  it('opens a user picker for repo detach REPO, and previews the pick', async () => {
    // Prepare
    const { view, responseUrl } = await openModal('repo detach payments-api');

    // Act
    const ack = await harness.submit(view, operator, formState(view, { user: `qa-reader@${qaReader}` }));
    await harness.settle();

    // Assess
    expect(JSON.stringify(view)).toContain('Repository user to remove from payments-api');
    expect(ack.statusCode).toBe(200);
    const preview = harness.posted(responseUrl).at(-1);
    expect(readableText(preview)).toContain('Detach qa-reader from payments-api?');
    expect(buttonIn(preview, 'Detach').style).toBe('danger');
  });

  it.each([
    ['repo create', { name: 'web-frontend', quota: '5' }, 'A repository named `web-frontend` already exists.'],
    ['user create', { name: 'QA-READER', pull: [paymentsApi] }, 'A repository user named `QA-READER` already exists.'],
  ])('keeps the %s form open with the error on the name when the name is taken', async (text, answers, said) => {
    // Prepare
    const { view } = await openModal(text);
    const writes = harness.emulator.requests.filter((request) => request.method === 'POST').length;

    // Act
    const ack = await harness.submit(view, operator, formState(view, answers));
    await harness.settle();

    // Assess
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: { [fieldBlockId('name')]: expect.stringContaining(said) },
    });
    expect(harness.emulator.requests.filter((request) => request.method === 'POST').length).toBe(writes);
  });

  it('warns that an expired user cannot log in when repo attach grants it access', async () => {
    // Act
    const reply = await harness.reply('repo attach web-frontend qa-reader pull', operator);

    // Assess
    expect(readableText(reply)).toContain('`qa-reader` expired 2025-05-02 00:00 UTC, so it cannot log in');
  });
});
