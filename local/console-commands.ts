/**
 * The console's own commands, typed with a leading `:`; everything else goes to the bot as a slash command. `:help`
 * lists this table, so adding a command is one entry here.
 */
import type { LocalStack } from './local-stack';

/** What a console command can do to the running console. */
export interface ConsoleContext {
  readonly stack: LocalStack;
  /** The demo user who acts now, by name (viewer, operator, admin, admin2). */
  readonly userName: string;
  /** Makes `name` the acting user; answers false when there is no such demo user. */
  setUser(name: string): boolean;
  /** Demo user names with their roles, in order. */
  readonly users: readonly { name: string; userId: string; role: string }[];
  /** Clicks button `which` (its number, or its label) of those shown last, asking first when Slack would. */
  click(which: number | string): Promise<void>;
  /** Opens the app's Home tab as the acting user and prints what the bot publishes there. */
  openHome(): Promise<void>;
  /** Runs one pass of the scheduled watcher and prints what it covered and posted. */
  runWatchPass(): Promise<void>;
  /** Prints lines to the console's output. */
  print(text: string): void;
  /** Ends the console after this command. */
  quit(): void;
}

/** One console command: `:name args`. */
export interface ConsoleCommand {
  name: string;
  /** How its arguments are written, for `:help`. */
  args?: string;
  summary: string;
  run(context: ConsoleContext, args: string[]): Promise<void> | void;
}

/** Every console command, in the order `:help` lists them. */
export const consoleCommands: readonly ConsoleCommand[] = [
  {
    name: 'help',
    summary: 'lists these console commands (type help, without a colon, for the bot’s own commands)',
    run: (context) => context.print(consoleHelp()),
  },
  {
    name: 'as',
    args: 'viewer|operator|admin|admin2',
    summary: 'acts as another demo user from now on',
    run: (context, [name]) => {
      if (name && context.setUser(name)) return context.print(`Now acting as ${describeUser(context, name)}.`);
      const names = context.users.map((user) => user.name).join(', ');
      context.print(`${name ? `No demo user ${JSON.stringify(name)}` : 'Name a demo user'}: one of ${names}.`);
    },
  },
  {
    name: 'whoami',
    summary: 'says which demo user acts now, and lists the others',
    run: (context) => {
      context.print(`Acting as ${describeUser(context, context.userName)}.`);
      for (const user of context.users)
        context.print(`  ${user.name.padEnd(9)} ${user.userId.padEnd(14)} ${user.role}`);
    },
  },
  {
    name: 'click',
    args: 'N|LABEL',
    summary: 'clicks button [N] (or the one labelled LABEL) of the last message(s) shown; N alone does the same',
    run: async (context, words) => {
      const which = words.join(' ');
      if (!which) return context.print('Say which button, e.g. :click 2 or :click Approve.');
      await context.click(/^\d+$/.test(which) ? Number(which) : which);
    },
  },
  {
    name: 'home',
    summary: 'opens the app’s Home tab as the acting user: requests, freeze, quotas and expiring users, with buttons',
    run: (context) => context.openHome(),
  },
  {
    name: 'watch',
    summary: 'runs one pass of the scheduled watcher now: quota alerts, expiry reminders and the weekly cleanup plans',
    run: (context) => context.runWatchPass(),
  },
  {
    name: 'quit',
    summary: 'stops the console and everything it started (so does Ctrl-D)',
    run: (context) => context.quit(),
  },
];

/** The text of `:help`. */
export function consoleHelp(): string {
  const rows = consoleCommands.map((command) => {
    const usage = `:${command.name}${command.args ? ` ${command.args}` : ''}`;
    return `  ${usage.padEnd(36)} ${command.summary}`;
  });
  return [
    'Type what you would type in Slack: /vcr repos, or just repos (help lists the bot’s commands).',
    'Buttons show as [N]: type N to click one. A modal asks for its fields one by one: an empty answer keeps',
    'the value shown in [brackets], - clears it, :cancel closes the modal. A confirm dialog asks y/n.',
    '',
    'Console commands:',
    ...rows,
  ].join('\n');
}

function describeUser(context: ConsoleContext, name: string): string {
  const user = context.users.find((candidate) => candidate.name === name);
  return user ? `${user.name} (${user.role}, ${user.userId})` : name;
}
