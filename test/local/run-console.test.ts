import { PassThrough, Writable } from 'node:stream';
import { consoleCommands } from '../../local/console-commands';
import { type LocalStack, startLocalStack } from '../../local/local-stack';
import { consoleModeOf, runConsole } from '../../local/run-console';

let stack: LocalStack;
let logs: string[];

beforeEach(async () => {
  logs = [];
  stack = await startLocalStack({ logSink: (line) => logs.push(line) });
});

afterEach(async () => {
  await stack.close();
});

/** Feeds `lines` to the console as a pipe would, and returns what it printed and its exit code. */
async function session(
  lines: string[],
  driven: LocalStack = stack,
  color = false,
): Promise<{ output: string; code: number }> {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk.toString('utf8')));
  input.end(lines.map((line) => `${line}\n`).join(''));
  const code = await runConsole({ input, output, stack: driven, terminal: false, color });
  return { output: chunks.join(''), code };
}

/** The part of `output` from the first line starting with `label` to the next `→` label or prompt. */
function section(output: string, label: string): string {
  const start = output.indexOf(label);
  if (start < 0) throw new Error(`No ${label} in:\n${output}`);
  const rest = output.slice(start);
  const end = rest.slice(1).search(/\n(→|\w+> )/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}

describe('runConsole', () => {
  it('prints the demo repositories with numbered buttons when the user types repos', async () => {
    // Act
    const { output, code } = await session(['repos']);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('admin> repos');
    const reply = section(output, '→ reply only admin sees');
    for (const name of ['payments-api', 'web-frontend', 'ml-models', 'sandbox-tmp']) expect(reply).toContain(name);
    expect(reply).toContain('[1] Open');
    expect(reply).toMatch(/Usage: .*▓/);
    expect(output).not.toContain('Working on');
  });

  it('asks the fields of a modal, shows its validation error, then creates the user and DMs the secret', async () => {
    // Act: an invalid name and no repository; then the two fields the bot refused, answered.
    const { output, code } = await session([
      '/vcr user create',
      'ci robot',
      '',
      '',
      '',
      '',
      'ci-robot1',
      'payments-api',
    ]);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('→ modal opened: New repository user');
    expect(output).toContain('  Name: ci robot');
    expect(output).toMatch(/✗ Name: `ci robot` is not a valid user name/);
    expect(output).toMatch(/Push to \(and pull from\) offers: 1\) .*payments-api/);
    expect(output).toContain('✗ Pull only from: Choose at least one repository to pull from or push to.');
    expect(output).toContain('Name [ci robot]: ci-robot1');
    expect(output).toContain('Created repository user ci-robot1 (10001234-ci-robot1) with pull on payments-api');
    const dm = section(output, '→ DM to admin (DU0LOCALADMIN)');
    const secret = /== Secret of repository user ci-robot1 ==\n\s+(\S{16,})\n/.exec(dm)?.[1];
    expect(secret).toBeDefined();
    // The secret is printed once, inside the DM, and nowhere else.
    expect(output.split(secret!)).toHaveLength(2);
    expect(section(output, '→ #audit (C0LOCALAUDIT)')).toContain('@admin created repository user ci-robot1');
  });

  it('asks before a confirmed click, posts an approval card, and deletes once a second admin approves', async () => {
    // Act: no to the confirm dialog first, then yes; admin2 clicks Approve on the card.
    const { output, code } = await session(['repo delete sandbox-tmp', '1', 'n', '1', 'y', ':as admin2', '2', 'repos']);

    // Assess
    expect(code).toBe(0);
    expect(output).toMatch(/Delete repository sandbox-tmp\?: This deletes the repository sandbox-tmp.* \[y\/N\] n\n/);
    expect(output).toContain('(cancelled; nothing sent)');
    expect(output).toContain('Waiting for approval by @admin2');
    const card = section(output, '→ approval card in #ops (C0LOCALOPS)\n');
    expect(card).toContain('@admin asks to delete repository sandbox-tmp.');
    expect(card).toContain('[2] Approve   [3] Reject');
    expect(output).toContain('Now acting as admin2 (admin, U0LOCALADMIN2).');
    expect(output).toContain('admin2> 2');
    expect(section(output, '→ approval card in #ops (C0LOCALOPS) (updated)')).toContain('Approved by @admin2');
    expect(output).toContain('Approved by @admin2; done.');
    expect(section(output, '→ #audit (C0LOCALAUDIT)')).toContain('@admin2 deleted repository sandbox-tmp');
    const after = output.slice(output.indexOf('admin2> repos'));
    expect(after).toContain('payments-api');
    expect(after).not.toContain('sandbox-tmp');
  });

  it('asks the reason in a modal and tells the requester when a second admin rejects', async () => {
    // Act
    const { output, code } = await session([
      'repo delete sandbox-tmp',
      '1',
      'y',
      ':as admin2',
      ':click Reject',
      'not today',
    ]);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('→ modal opened: Reject request');
    expect(output).toMatch(/Why\? .*: not today\n/);
    expect(section(output, '→ reply only admin sees, replacing the earlier one\n  Your request')).toContain(
      'Rejected by @admin2: not today. Nothing was changed.',
    );
    expect(section(output, '→ approval card in #ops (C0LOCALOPS) (updated)')).toContain('Rejected by @admin2');
  });

  it('runs a watcher pass with :watch and shows the Home tab with :home, whose buttons work', async () => {
    // Act: the demo's quota alert, then the Home tab, then its first quota button (Raise quota) as the admin.
    const { output, code } = await session([':watch', ':home', '1', '']);

    // Assess
    expect(code).toBe(0);
    expect(output).toMatch(/Watcher pass complete: \d+ of \d+ repositories/);
    const alert = section(output, '→ #audit (C0LOCALAUDIT)\n  == Quota alert: build-cache');
    expect(alert).toMatch(/\[\d+\] Plan cleanup/);
    const home = section(output, '→ Home tab of admin');
    expect(home).toContain('Repositories near their quota');
    expect(home).toContain('build-cache');
    expect(home).toContain('release-bot');
    expect(home).toContain('[1] Raise quota');
    expect(output).toContain('→ modal opened: ');
  });

  it('plans the README’s cleanup of the demo’s build-cache: its two old untagged artifacts, deleting nothing', async () => {
    // Act
    const { output, code } = await session(['cleanup build-cache --keep 2 --untagged-older 14']);

    // Assess
    expect(code).toBe(0);
    const plan = section(output, '→ reply only admin sees');
    expect(plan).toContain('Candidates: 2 artifacts in 1 image');
    expect(plan).toMatch(/\[1\] Request cleanup/);
    expect(stack.emulator?.requests.filter((request) => request.method === 'DELETE')).toEqual([]);
  });

  it('sends the text after /vcr when a tab or several spaces follow it', async () => {
    // Act
    const { output, code } = await session(['/vcr\trepos sand', '/vcr    ping']);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('== Repositories matching "sand" ==');
    expect(output).toContain('All 3 checks passed.');
    expect(output).not.toContain('Unknown command');
  });

  it('stops after the line at hand, without a crash, when its reader goes away', async () => {
    // Prepare: a pipe whose reader is gone, as in `npm start | head -3`.
    const input = new PassThrough();
    const output = new Writable({
      write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })),
    });
    input.end('repos\nping\n');

    // Act
    const code = await runConsole({ input, output, stack, terminal: false, color: false });

    // Assess: repos ran; ping, after it, did not (its Slack check would call auth.test).
    expect(code).toBe(0);
    expect(stack.slack.calls.map((call) => call.method)).not.toContain('auth.test');
  });

  it('names the buttons shown when the typed number matches none', async () => {
    // Act
    const { output } = await session(['repos', '9', ':click Nope']);

    // Assess
    expect(output).toContain('No button [9]; shown now: [1] Open  [2] Open  [3] Open  [4] Open');
    expect(output).toContain('No button "Nope"; shown now: [1] Open');
  });

  it('shows the refusal when a viewer asks for a change', async () => {
    // Act
    const { output, code } = await session([':as viewer', 'repo delete ml-models', ':as admin', 'repos']);

    // Assess
    expect(code).toBe(0);
    expect(output).toContain('viewer> repo delete ml-models');
    expect(output).toContain('You need an operator role to run /vcr repo delete.');
    expect(output.slice(output.indexOf('admin> repos'))).toContain('ml-models');
  });

  it('lists every console command when the user types :help', async () => {
    // Act
    const { output } = await session([':help']);

    // Assess
    for (const command of consoleCommands) expect(output).toContain(`:${command.name}`);
    expect(output).toContain('[brackets]');
  });

  it('says which users exist when :as names none of them', async () => {
    // Act
    const { output } = await session([':as root', ':whoami']);

    // Assess
    expect(output).toContain('No demo user "root": one of viewer, operator, admin, admin2.');
    expect(output).toContain('Acting as admin (admin, U0LOCALADMIN).');
  });

  it('exits 1 when a reply carries the ref of an error the bot logged', async () => {
    // Prepare: vCR answers the repository list with a body the client cannot read.
    stack.emulator!.inject({ method: 'GET', path: '/v1/repository', rewrite: () => 'not a list' });

    // Act
    const { output, code } = await session(['repos', 'ping']);

    // Assess
    expect(output).toMatch(/vCR sent an answer I could not read \(ref [0-9a-f]+\)/);
    expect(code).toBe(1);
  });

  it('exits 1 with Something went wrong when the state table is gone', async () => {
    // Prepare
    await stack.dynamo.close();

    // Act
    const { output, code } = await session(['user create']);

    // Assess
    expect(output).toContain('Something went wrong');
    expect(code).toBe(1);
  });

  it('exits 1 and says what the bot answered when a request is refused with 401', async () => {
    // Act: requests signed with a secret the bot does not have.
    const { output, code } = await session(['repos'], { ...stack, signingSecret: 'not-the-signing-secret' });

    // Assess
    expect(output).toContain('The bot answered 401 to the command');
    expect(code).toBe(1);
  });

  it('writes no metric line to the log sink when the log level is the default warn', async () => {
    // Act
    await session(['repos', 'repo nope']);

    // Assess
    expect(logs.filter((line) => line.includes('"_aws"'))).toEqual([]);
  });

  it('writes the metric lines with the log lines when the log level is info', async () => {
    // Prepare
    const lines: string[] = [];
    const verbose = await startLocalStack({ logLevel: 'info', logSink: (line) => lines.push(line) });

    // Act
    try {
      await session(['repos'], verbose);
    } finally {
      await verbose.close();
    }

    // Assess
    expect(lines.some((line) => line.includes('"_aws"') && line.includes('"command":"repos.list"'))).toBe(true);
    expect(lines.some((line) => line.includes('"Slack request finished"'))).toBe(true);
  });

  it('styles headers and buttons when colours are on', async () => {
    // Act
    const { output } = await session(['repos'], stack, true);

    // Assess
    expect(output).toContain('\u001b[1m== Repositories ==\u001b[22m');
    expect(output).toContain('\u001b[36m[1] Open\u001b[39m');
  });

  it('shows control characters of typed and returned values as symbols when they hold terminal escapes', async () => {
    // Prepare: a clear-screen and a window-title sequence, echoed back by the bot in a reply and a form error.
    const escapes = '\u001b[2J\u001b]0;pwned\u0007\b';

    // Act
    const { output } = await session(
      [`repos zz${escapes}`, '/vcr user create', `x${escapes}`, '', '', '', '', ':cancel'],
      stack,
    );

    // Assess: the echoed line, the reply and the modal's error all show the data, none of it as raw control bytes.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may reach the terminal.
    expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(output).toContain('admin> repos zz␛[2J␛]0;pwned␇␈');
    expect(output).toContain('No repository name contains zz␛[2J␛]0;pwned␇␈');
    expect(output).toMatch(/✗ Name: .*x␛\[2J/);
  });

  it('keeps its own colours and neutralises the escapes of values when colours are on', async () => {
    // Act
    const { output } = await session(['repos zz\u001b[2J'], stack, true);

    // Assess
    expect(output).toContain('\u001b[1m== Repositories');
    expect(output).not.toContain('\u001b[2J');
    expect(output).toContain('zz␛[2J');
  });
});

describe('consoleModeOf', () => {
  it('prompts and colours when both streams are terminals and NO_COLOR is unset', () => {
    expect(consoleModeOf({ inputIsTTY: true, outputIsTTY: true, env: {} })).toEqual({ terminal: true, color: true });
  });

  it('prints no colour when NO_COLOR is set', () => {
    expect(consoleModeOf({ inputIsTTY: true, outputIsTTY: true, env: { NO_COLOR: '1' } })).toEqual({
      terminal: true,
      color: false,
    });
  });

  it('neither prompts nor colours when fed from a pipe into a pipe', () => {
    expect(consoleModeOf({ inputIsTTY: false, outputIsTTY: false, env: {} })).toEqual({
      terminal: false,
      color: false,
    });
  });
});
