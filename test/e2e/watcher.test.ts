import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { seedIds } from '../../local/emulator/seed';
import { addRepositoryWithUsage, addUserExpiringAt, setRepositoryUsage } from '../../local/emulator/watch-demo';
import { bytesPerGb } from '../../src/commands/format';
import { fieldBlockId } from '../../src/slack/ids';
import { createDynamoWatchStore } from '../../src/store/watch-store';
import { buttonIn, e2eUsers, readableText, useE2eHarness } from '../support/e2e-harness';

const dayMs = 86_400_000;
const paymentsApi = seedIds.repositories.paymentsApi;
const alertChannel = 'C0ALERTS';
// The bot's clock. A test that only runs passes starts it at 09:00 UTC and moves it forward a day at a time; a test
// that clicks keeps it on real time, since the bot refuses a request signed more than five minutes from its clock.
// Each test watches repositories and users of its own, so a clock set back between tests changes nothing it reads.
const passStart = Date.parse('2026-06-01T09:00:00.000Z');
let clock = passStart;

const harness = useE2eHarness({ env: { VCR_ALERT_CHANNEL: alertChannel }, now: () => clock });

/** Posts in the alert channel whose text mentions `name`, in order. */
function noticesAbout(name: string): Record<string, unknown>[] {
  return harness
    .callsOf('chat.postMessage')
    .filter((call) => call.channel === alertChannel && readableText(call).includes(name));
}

/** Runs one pass `days` after the current clock and returns the notices about `name` it posted. */
async function passAfter(days: number, name: string): Promise<Record<string, unknown>[]> {
  clock += days * dayMs;
  const before = noticesAbout(name).length;
  await harness.schedule();
  return noticesAbout(name).slice(before);
}

function store() {
  return createDynamoWatchStore({ client: DynamoDBDocumentClient.from(harness.dynamo.client), table: harness.table });
}

/** The initial value of form field `name` in a view the bot opened. */
function initialValue(view: Record<string, unknown>, name: string): unknown {
  const blocks = view.blocks as { block_id?: string; element?: { initial_value?: unknown } }[];
  return blocks.find((block) => block.block_id === fieldBlockId(name))?.element?.initial_value;
}

describe('quota watch', () => {
  it('alerts once per threshold and again after usage falls back below and rises again', async () => {
    // Prepare
    clock = passStart;
    const repoId = addRepositoryWithUsage(harness.emulator.state, {
      name: 'quota-steps',
      quotaGb: 10,
      usedBytes: 7 * bytesPerGb,
    });
    const state = harness.emulator.state;

    // Act
    const below = await passAfter(0, 'quota-steps');
    setRepositoryUsage(state, repoId, 8.2 * bytesPerGb);
    const at80 = await passAfter(1, 'quota-steps');
    const again80 = await passAfter(1, 'quota-steps');
    setRepositoryUsage(state, repoId, 9.6 * bytesPerGb);
    const at95 = await passAfter(1, 'quota-steps');
    setRepositoryUsage(state, repoId, 5 * bytesPerGb);
    const fell = await passAfter(1, 'quota-steps');
    setRepositoryUsage(state, repoId, 8.5 * bytesPerGb);
    const rose = await passAfter(1, 'quota-steps');

    // Assess
    expect(below).toEqual([]);
    expect(at80.map(readableText)).toEqual([expect.stringContaining('reached *80%* of its quota')]);
    expect(again80).toEqual([]);
    expect(at95.map(readableText)).toEqual([expect.stringContaining('reached *95%* of its quota')]);
    expect(fell).toEqual([]);
    expect(rose.map(readableText)).toEqual([expect.stringContaining('reached *80%* of its quota')]);
  });

  it('posts one alert naming the highest threshold when two are crossed at once', async () => {
    // Prepare
    clock = passStart;
    addRepositoryWithUsage(harness.emulator.state, { name: 'quota-jump', quotaGb: 10, usedBytes: 9.7 * bytesPerGb });

    // Act
    const first = await passAfter(1, 'quota-jump');
    const second = await passAfter(1, 'quota-jump');

    // Assess
    expect(first).toHaveLength(1);
    const text = readableText(first[0]);
    expect(text).toContain('reached *95%* of its quota');
    expect(text).toContain('▓▓▓▓▓▓▓▓▓▓ 97%');
    expect(buttonIn(first[0], 'Raise quota').style).toBe('primary');
    expect(buttonIn(first[0], 'Largest and oldest')).toBeDefined();
    expect(buttonIn(first[0], 'Plan cleanup')).toBeDefined();
    expect(second).toEqual([]);
  });

  it('shows the growth of the last days and when the quota is full from its own samples', async () => {
    // Prepare
    clock = passStart;
    const repoId = addRepositoryWithUsage(harness.emulator.state, {
      name: 'quota-growth',
      quotaGb: 10,
      usedBytes: 5 * bytesPerGb,
    });
    await passAfter(1, 'quota-growth');
    setRepositoryUsage(harness.emulator.state, repoId, 6.5 * bytesPerGb);
    await passAfter(3, 'quota-growth');
    setRepositoryUsage(harness.emulator.state, repoId, 8.5 * bytesPerGb);

    // Act
    const alerts = await passAfter(3, 'quota-growth');

    // Assess: 3.5 GB in 6 days is about 597 MB a day, so the 1.5 GB left last about 3 days.
    expect(alerts).toHaveLength(1);
    const text = readableText(alerts[0]);
    expect(text).toContain('+3.5 GB in 6 days (597 MB a day)');
    expect(text).toContain('in about 3 days');
    const snapshot = await store().getSnapshot('quota');
    expect(snapshot?.rows.find((row) => row.repoId === repoId)).toMatchObject({ threshold: 80, fullInDays: 3 });
  });

  it('tries an alert again at the next pass when Slack refused it, and logs the fix', async () => {
    // Prepare
    clock = passStart;
    addRepositoryWithUsage(harness.emulator.state, { name: 'quota-refused', quotaGb: 10, usedBytes: 8.5 * bytesPerGb });
    harness.slack.failMethod('chat.postMessage', 'not_in_channel', { channel: alertChannel });
    const logsBefore = harness.logs.length;

    // Act
    await passAfter(1, 'quota-refused');
    harness.slack.clearFailures();
    const retried = await passAfter(1, 'quota-refused');

    // Assess
    const failure = harness.logs.slice(logsBefore).find((line) => line.includes('Could not post a watcher notice'));
    expect(failure).toContain('VCR_ALERT_CHANNEL');
    expect(failure).toContain('/invite');
    expect(retried.map(readableText)).toEqual([expect.stringContaining('reached *80%* of its quota')]);
  });

  it('refuses a viewer and opens the prefilled quota form for an operator when Raise quota is clicked', async () => {
    // Prepare
    clock = Date.now();
    addRepositoryWithUsage(harness.emulator.state, { name: 'quota-raise', quotaGb: 4, usedBytes: 3.5 * bytesPerGb });
    const [alert] = await passAfter(0, 'quota-raise');
    const raise = buttonIn(alert, 'Raise quota');
    const opened = harness.callsOf('views.open').length;

    // Act
    const viewer = await harness.click(raise, e2eUsers.viewer);
    await harness.settle();
    const operator = await harness.click(raise, e2eUsers.operator);
    await harness.settle();

    // Assess
    const refusal = [readableText(viewer.ack.json), ...harness.posted(viewer.responseUrl).map(readableText)].join('\n');
    expect(refusal).toContain('*operator*');
    expect(operator.ack.statusCode).toBe(200);
    const views = harness.callsOf('views.open');
    expect(views).toHaveLength(opened + 1);
    const view = views.at(-1)?.view as Record<string, unknown>;
    expect(readableText(view)).toContain('quota-raise');
    expect(initialValue(view, 'gb')).toBe('4');
  });

  it('lists the largest and the least recently pulled artifacts when Largest and oldest is clicked', async () => {
    // Prepare
    clock = Date.now();
    addRepositoryWithUsage(harness.emulator.state, { name: 'quota-largest', quotaGb: 1, usedBytes: 0.9 * bytesPerGb });
    const [alert] = await passAfter(0, 'quota-largest');

    // Act
    const click = await harness.click(buttonIn(alert, 'Largest and oldest'), e2eUsers.viewer);
    await harness.settle();

    // Assess
    const answer = readableText(harness.posted(click.responseUrl).at(-1));
    expect(answer).toContain('Largest and oldest in quota-largest');
    expect(answer).toContain('*cache/layers* _untagged_');
    expect(answer).toContain('never pulled');
    expect(answer).toContain('*Largest* of 1 artifact\n');
  });
});

describe('expiry reminders', () => {
  it('reminds at 14, 7 and 1 days before and on the day, once each', async () => {
    // Prepare
    clock = passStart;
    addUserExpiringAt(harness.emulator.state, 'steps-bot', new Date(clock + 20 * dayMs + 2 * 3_600_000).toISOString());

    // Act
    const days = [6, 0, 1, 6, 5, 1, 1];
    const sent: string[][] = [];
    for (const step of days) sent.push((await passAfter(step, 'steps-bot')).map(readableText));

    // Assess: passes at 14, 14 again, 13, 7, 2, 1 and 0 days before.
    expect(sent.map((texts) => texts.map((text) => /expires (in \d+ days|tomorrow|today)/.exec(text)?.[0]))).toEqual([
      ['expires in 14 days'],
      [],
      [],
      ['expires in 7 days'],
      [],
      ['expires tomorrow'],
      ['expires today'],
    ]);
  });

  it('sends one reminder, not three, when the first pass finds the user three days from its expiry', async () => {
    // Prepare
    clock = passStart;
    addUserExpiringAt(harness.emulator.state, 'late-bot', new Date(clock + 3 * dayMs).toISOString());

    // Act
    const first = await passAfter(0, 'late-bot');
    const second = await passAfter(0, 'late-bot');

    // Assess
    expect(first.map(readableText)).toEqual([expect.stringContaining('expires in 3 days')]);
    expect(buttonIn(first[0], 'Extend').style).toBe('primary');
    expect(buttonIn(first[0], 'New secret')).toBeDefined();
    expect(buttonIn(first[0], 'Disable').style).toBe('danger');
    // A shared channel's Disable asks first, as Slack shows the dialog before sending the click.
    expect(JSON.stringify(buttonIn(first[0], 'Disable'))).toContain(
      '"title":{"type":"plain_text","text":"Disable this',
    );
    expect(second).toEqual([]);
  });

  it('starts the reminders over when the expiry is moved later', async () => {
    // Prepare
    clock = passStart;
    const userId = addUserExpiringAt(harness.emulator.state, 'moved-bot', new Date(clock + 7 * dayMs).toISOString());
    const first = await passAfter(0, 'moved-bot');
    const user = harness.emulator.state.users.find((candidate) => candidate.uuid === userId)!;
    user.expiredAt = new Date(clock + 14 * dayMs).toISOString();

    // Act
    const moved = await passAfter(0, 'moved-bot');

    // Assess
    expect(first.map(readableText)).toEqual([expect.stringContaining('expires in 7 days')]);
    expect(moved.map(readableText)).toEqual([expect.stringContaining('expires in 14 days')]);
  });

  it('sends a missed on-the-day reminder within two weeks of the expiry, and none for an expiry older than that', async () => {
    // Prepare
    clock = passStart;
    addUserExpiringAt(harness.emulator.state, 'missed-bot', new Date(clock - 2 * dayMs).toISOString());
    addUserExpiringAt(harness.emulator.state, 'stale-bot', new Date(clock - 30 * dayMs).toISOString());

    // Act
    const missed = await passAfter(0, 'missed-bot');
    const stale = noticesAbout('stale-bot');

    // Assess
    expect(missed.map(readableText)).toEqual([expect.stringContaining('expired 2 days ago')]);
    expect(stale).toEqual([]);
  });

  it('opens the update form with 90 more days than are left when Extend is clicked', async () => {
    // Prepare
    clock = Date.now();
    addUserExpiringAt(harness.emulator.state, 'extend-bot', new Date(clock + 5 * dayMs + 3_600_000).toISOString());
    const [reminder] = await passAfter(0, 'extend-bot');
    const opened = harness.callsOf('views.open').length;

    // Act
    await harness.click(buttonIn(reminder, 'Extend'), e2eUsers.operator);
    await harness.settle();

    // Assess
    const views = harness.callsOf('views.open');
    expect(views).toHaveLength(opened + 1);
    const view = views.at(-1)?.view as Record<string, unknown>;
    expect(initialValue(view, 'days')).toBe('96');
  });

  it('lists users that expire within 14 days or have expired while enabled in the snapshot', async () => {
    // Prepare
    clock = passStart;
    const soon = addUserExpiringAt(harness.emulator.state, 'soon-bot', new Date(clock + 10 * dayMs).toISOString());
    const later = addUserExpiringAt(harness.emulator.state, 'later-bot', new Date(clock + 40 * dayMs).toISOString());

    // Act
    await passAfter(0, 'soon-bot');

    // Assess
    const rows = (await store().getSnapshot('expiringUsers'))?.rows ?? [];
    expect(rows.find((row) => row.repoUserId === soon)).toMatchObject({ name: 'soon-bot', daysLeft: 10 });
    expect(rows.some((row) => row.repoUserId === later)).toBe(false);
    // qa-reader of the demo data expired in 2025 and is still enabled.
    expect(rows.find((row) => row.name === 'qa-reader')).toMatchObject({ disabled: false });
    expect(rows.find((row) => row.name === 'qa-reader')?.daysLeft).toBeLessThan(0);
  });
});

describe('repo largest', () => {
  it('lists the largest artifacts first and the never pulled ones among the least recently pulled', async () => {
    // Prepare
    clock = Date.now();

    // Act
    const reply = await harness.reply('repo largest payments-api', e2eUsers.viewer);

    // Assess
    const text = readableText(reply);
    const largest = text.slice(text.indexOf('*Largest*'), text.indexOf('*Least recently pulled*'));
    const oldest = text.slice(text.indexOf('*Least recently pulled*'));
    expect(largest).toContain('of 6 artifacts');
    expect(largest.indexOf('*team/api* `v1.4.2`')).toBeLessThan(largest.indexOf('*team/worker*'));
    expect(largest.indexOf('*team/worker*')).toBeLessThan(largest.indexOf('*base/node-runtime*'));
    // Never pulled counts from its push: team/worker v1.9.3 (pushed 2025-01-15) comes before team/api's untagged one.
    expect(oldest.indexOf('`v1.9.3`')).toBeLessThan(oldest.indexOf('*team/api* _untagged_'));
    expect(oldest).toContain('never pulled');
    const lists = harness.emulator.requests.filter((request) =>
      [`/v1/repository/${paymentsApi}/images`, `/v1/repository/${paymentsApi}/images/artifacts`].includes(request.path),
    );
    expect(lists.length).toBeGreaterThanOrEqual(4);
    for (const request of lists) expect(request.query).toHaveProperty('name');
  });
});

describe('repo largest on a crowded repository', () => {
  it('reads the first 1000 artifacts of an image of more, and says so', async () => {
    // Prepare
    clock = Date.now();
    const repoId = addRepositoryWithUsage(harness.emulator.state, {
      name: 'crowded-largest',
      quotaGb: 10,
      usedBytes: 1000,
    });
    const state = harness.emulator.state;
    const template = state.artifacts.find((artifact) => artifact.repoId === repoId)!;
    for (let index = 0; index < 1200; index += 1) {
      state.artifacts.push({
        ...template,
        id: 900_000 + index,
        digest: `sha256:${String(index).padStart(64, '0')}`,
        tags: [],
      });
    }
    const pagesOf = () =>
      harness.emulator.requests.filter((request) => request.path === `/v1/repository/${repoId}/images/artifacts`)
        .length;

    // Act
    const reply = await harness.reply('repo largest crowded-largest', e2eUsers.viewer);

    // Assess
    const text = readableText(reply);
    expect(text).toContain('of 1000 artifacts');
    expect(text).toContain(`Only the first 1000 artifacts vCR lists were read of \`${template.imageName}\``);
    expect(pagesOf()).toBeLessThanOrEqual(11);
  });
});

describe('a pass over 200 repositories', () => {
  const large = useE2eHarness({ env: { VCR_ALERT_CHANNEL: alertChannel } });

  beforeAll(() => {
    for (let index = 0; index < 200; index += 1) {
      const usedBytes = (index % 10 === 0 ? 0.9 : 0.3) * bytesPerGb;
      addRepositoryWithUsage(large.emulator.state, { name: `load-${index}`, quotaGb: 1, usedBytes });
    }
  });

  function largeStore() {
    return createDynamoWatchStore({ client: DynamoDBDocumentClient.from(large.dynamo.client), table: large.table });
  }

  it('stops early and records how far it got when its time runs out', async () => {
    // Act: Lambda says 10 s and 1 ms are left, and a pass keeps 10 s for itself.
    const result = await large.schedule({ remainingMs: 10_001 });

    // Assess
    expect(result.stoppedEarly).toContain('its time ran out');
    expect(result.repositoriesSeen).toBeLessThan(204);
    const pass = await largeStore().getPass();
    expect(pass).toMatchObject({ stoppedEarly: result.stoppedEarly, repositoriesSeen: result.repositoriesSeen });
    expect((await largeStore().getSnapshot('quota'))?.complete).toBe(false);
  });

  it('covers every repository with name= on every list when its time suffices', async () => {
    // Prepare
    const requestsBefore = large.emulator.requests.length;

    // Act
    const result = await large.schedule({ remainingMs: 300_000 });

    // Assess
    expect(result).toMatchObject({ repositoriesSeen: 204, repositoriesTotal: 204, alertsPosted: 20 });
    expect(result.stoppedEarly).toBeUndefined();
    const snapshot = await largeStore().getSnapshot('quota');
    expect(snapshot?.complete).toBe(true);
    expect(snapshot?.rows).toHaveLength(20);
    const lists = large.emulator.requests
      .slice(requestsBefore)
      .filter((request) => request.path === '/v1/repository' || request.path === '/v1/user');
    expect(lists.length).toBeGreaterThanOrEqual(4);
    for (const request of lists) expect(request.query).toMatchObject({ name: '' });
  });
});

describe('a pass with no alert channel', () => {
  const quiet = useE2eHarness();

  it('posts nothing, says so in the log, and still writes its snapshots', async () => {
    // Prepare
    addRepositoryWithUsage(quiet.emulator.state, { name: 'quiet-full', quotaGb: 1, usedBytes: 0.99 * bytesPerGb });

    // Act
    const result = await quiet.schedule();

    // Assess
    expect(result).toMatchObject({ alertsPosted: 0, remindersPosted: 0 });
    expect(quiet.callsOf('chat.postMessage')).toEqual([]);
    expect(quiet.logs.some((line) => line.includes('The watcher has no alert channel'))).toBe(true);
    const documents = DynamoDBDocumentClient.from(quiet.dynamo.client);
    const snapshot = await createDynamoWatchStore({ client: documents, table: quiet.table }).getSnapshot('quota');
    expect(snapshot?.rows.map((row) => row.repoName)).toEqual(['quiet-full']);
  });
});
