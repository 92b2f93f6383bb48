import type { ApprovalSettings } from '../../../src/commands/cards';
import { buildHome, type HomeSources } from '../../../src/commands/home/build-home';
import type { Part, Reply } from '../../../src/commands/reply';
import { createLogger } from '../../../src/logger';
import { toPlainText } from '../../../src/rich-text';
import type { Operation } from '../../../src/store/operation-store';
import { createMemoryWatchStore } from '../../support/memory-records';

const now = Date.parse('2026-06-01T00:00:00.000Z');

function waitingOperation(id: string, requestedBy: string): Operation {
  return {
    id,
    key: `key-${id}`,
    command: 'repo.delete',
    args: {},
    pin: {},
    summary: `delete repository \`${id}\``,
    requestedBy,
    status: 'awaiting_approval',
    createdAt: now - 1000,
    updatedAt: now - 1000,
    expiresAt: now + 600_000,
    createdBy: { jobId: 'job', token: 'token' },
    history: [],
  };
}

function sources(overrides: Partial<HomeSources> = {}, waiting: Operation[] = []): HomeSources & { logs: string[] } {
  const logs: string[] = [];
  const approvals: ApprovalSettings = {
    required: ['repo.delete'],
    approvers: ['U0APPROVER'],
    ttlMs: 600_000,
    isApprover: async () => true,
    anyoneBut: async () => true,
    waiting: async () => waiting,
    cardLink: (ref) => `https://slack.com/archives/${ref.channel}/p${ref.ts}`,
  };
  return {
    approvals,
    freeze: { current: async () => undefined },
    now: () => now,
    slashCommand: '/vcr',
    logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    watch: createMemoryWatchStore(),
    logs,
    ...overrides,
  };
}

const headers = (reply: Reply) =>
  reply.parts
    .filter((part): part is Extract<Part, { type: 'header' }> => part.type === 'header')
    .map((part) => part.text);
const textOf = (reply: Reply) =>
  reply.parts
    .map((part) => ('text' in part ? toPlainText(part.text) : part.type === 'list' ? JSON.stringify(part) : ''))
    .join('\n');

describe('buildHome', () => {
  it('shows an approver with no role only the requests waiting for them', async () => {
    // Prepare
    const given = sources({}, [waitingOperation('op-1', 'U0OTHER'), waitingOperation('op-2', 'U0APPROVER')]);

    // Act
    const reply = await buildHome(given, { userId: 'U0APPROVER', approver: true });

    // Assess
    expect(headers(reply)).toEqual(['vcr-chatops', 'Waiting for your approval']);
    expect(textOf(reply)).toContain('op-1');
    expect(textOf(reply)).not.toContain('op-2');
  });

  it('says a section could not be read and logs why when its read fails, and still shows the others', async () => {
    // Prepare
    const given = sources({
      watch: {
        getSnapshot: async () => {
          throw new Error('table unreachable');
        },
        getPass: async () => undefined,
      },
    });

    // Act
    const reply = await buildHome(given, { userId: 'U0VIEWER', role: 'viewer', approver: false });

    // Assess
    expect(textOf(reply)).toContain('could not be read in time');
    expect(textOf(reply)).toContain('Changes are not frozen.');
    expect(given.logs.join('\n')).toContain('table unreachable');
  });

  it('says approvals are off and shows no approval section when none are required', async () => {
    // Prepare
    const given = sources();
    given.approvals = { ...given.approvals!, required: [] };

    // Act
    const reply = await buildHome(given, { userId: 'U0ADMIN', role: 'admin', approver: true });

    // Assess
    expect(textOf(reply)).toContain('Approvals are turned off');
    expect(headers(reply)).not.toContain('Waiting for your approval');
  });

  it('shows five waiting requests and counts the rest with the command that lists them all', async () => {
    // Prepare
    const waiting = Array.from({ length: 8 }, (_, index) => waitingOperation(`op-${index}`, 'U0OTHER'));

    // Act
    const reply = await buildHome(sources({}, waiting), { userId: 'U0ADMIN', role: 'admin', approver: true });

    // Assess
    const [list] = reply.parts.filter((part) => part.type === 'list');
    expect(list).toMatchObject({ more: { count: 3, hint: 'run `/vcr approvals`' } });
    expect((list as Extract<Part, { type: 'list' }>).items).toHaveLength(5);
  });
});

describe('buildHome expiring users', () => {
  it('says in its header that it lists expired users too when one expired long ago', async () => {
    // Prepare
    const watch = createMemoryWatchStore();
    await watch.putSnapshot('expiringUsers', {
      at: now,
      complete: true,
      rows: [
        {
          repoUserId: 'ra-qa',
          name: 'qa-reader',
          backendName: '1234-qa-reader',
          expiredAt: '2025-05-02T00:00:00.000Z',
          daysLeft: -395,
          disabled: false,
        },
      ],
    });

    // Act
    const reply = await buildHome(sources({ watch }), { userId: 'U0VIEWER', role: 'viewer', approver: false });

    // Assess
    expect(headers(reply)).toContain('Repository users expired or expiring within 14 days');
    expect(textOf(reply)).toContain('qa-reader');
  });

  it('counts the days left from the time the Home tab opens, not from the pass that wrote the snapshot', async () => {
    // Prepare: the pass ran at 23:30 UTC, when an expiry at 10:00 the next day was 1 day away; the tab opens at 00:30.
    const watch = createMemoryWatchStore();
    const passAt = now - 30 * 60_000;
    await watch.putSnapshot('expiringUsers', {
      at: passAt,
      complete: true,
      rows: [
        {
          repoUserId: 'ra-ci',
          name: 'ci-bot',
          backendName: '1234-ci-bot',
          expiredAt: '2026-06-01T10:00:00.000Z',
          daysLeft: 1,
          disabled: false,
        },
      ],
    });

    // Act
    const reply = await buildHome(sources({ now: () => now + 30 * 60_000, watch }), {
      userId: 'U0VIEWER',
      role: 'viewer',
      approver: false,
    });

    // Assess
    const text = textOf(reply);
    expect(text).toContain('Expires today');
    expect(text).not.toContain('Expires in 1 day');
  });
});
