/**
 * `slack-app-manifest.yml` against the code: its bot scopes are exactly the ones the Web API methods the code calls,
 * its slash command and its event subscriptions need (docs/slack-scopes.md), and its URLs are the placeholder.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { manifestPath, manifestUrlPlaceholder } from '../local/print-manifest';
import { loadConfig } from '../src/config';

const root = join(__dirname, '..');

interface Manifest {
  features: { slash_commands?: { command: string; url: string }[] };
  oauth_config: { scopes: { bot?: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    event_subscriptions?: { request_url: string; bot_events?: string[] };
  };
}

// Slack's Web API method families (the part before the first dot of a method name).
const families = [
  'admin',
  'api',
  'apps',
  'assistant',
  'auth',
  'bookmarks',
  'bots',
  'calls',
  'canvases',
  'chat',
  'conversations',
  'dialog',
  'dnd',
  'emoji',
  'files',
  'functions',
  'oauth',
  'openid',
  'pins',
  'reactions',
  'reminders',
  'search',
  'stars',
  'team',
  'usergroups',
  'users',
  'views',
  'workflows',
];
const methodCall = new RegExp(`\\.((?:${families.join('|')})(?:\\.[a-zA-Z]+)+)\\s*\\(`, 'g');
const apiCall = /\.apiCall\(\s*['"`]([\w.]+)['"`]/g;
const eventListener = /\bapp\.event\(\s*['"`]([\w.]+)['"`]/g;

/** Returns the Slack Web API methods `source` calls, through a typed client (`client.chat.update(`) or `apiCall`. */
function slackMethodsIn(source: string): string[] {
  return [...source.matchAll(methodCall), ...source.matchAll(apiCall)].map((match) => match[1]!);
}

/** Returns the event names `source` listens to with `app.event('<name>')`. */
function eventsIn(source: string): string[] {
  return [...source.matchAll(eventListener)].map((match) => match[1]!);
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

// Only these files may import @slack/* (biome.json, docs/architecture.md#layers), so only they can hold a Slack client;
// the vCR client's `users.list(` elsewhere is not Slack's.
const slackClientFiles = [
  join(root, 'src', 'handler.ts'),
  join(root, 'src', 'app.ts'),
  ...typeScriptFiles(join(root, 'src', 'slack')),
];
const allSourceFiles = typeScriptFiles(join(root, 'src'));

/** Returns each name found by `find` in `files`, with the files it is found in. */
function foundIn(files: string[], find: (source: string) => string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of files) {
    for (const name of find(readFileSync(file, 'utf8'))) {
      found.set(name, [...new Set([...(found.get(name) ?? []), relative(root, file)])]);
    }
  }
  return found;
}

/** Returns the rows of the table under `## heading` in docs/slack-scopes.md: first column → scope (undefined: none). */
function scopeTable(heading: string): Map<string, string | undefined> {
  const doc = readFileSync(join(root, 'docs', 'slack-scopes.md'), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/slack-scopes.md has no "## ${heading}" section`);
  const rows = new Map<string, string | undefined>();
  for (const [, name, scope] of section.matchAll(/^\|\s*`([\w.]+)`\s*\|\s*(`[\w.:]+`|none)\s*\|/gm)) {
    rows.set(name!, scope === 'none' ? undefined : scope!.slice(1, -1));
  }
  return rows;
}

const manifest = parse(readFileSync(manifestPath, 'utf8')) as Manifest;
const declaredScopes = manifest.oauth_config.scopes.bot ?? [];
const calledMethods = foundIn(slackClientFiles, slackMethodsIn);
const listenedEvents = foundIn(allSourceFiles, eventsIn);
const subscribedEvents = manifest.settings.event_subscriptions?.bot_events ?? [];
const methodScopes = scopeTable('Web API methods');
const eventScopes = scopeTable('Events');

/** Returns every scope the code needs, with what needs it. */
function neededScopes(): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  const need = (scope: string | undefined, why: string) => {
    if (scope !== undefined) needed.set(scope, [...(needed.get(scope) ?? []), why]);
  };
  for (const [method, files] of calledMethods) need(methodScopes.get(method), `${method} (${files.join(', ')})`);
  for (const event of subscribedEvents) need(eventScopes.get(event), `the ${event} event`);
  if ((manifest.features.slash_commands ?? []).length > 0) need('commands', 'the slash command');
  return needed;
}

describe('finding what the code calls', () => {
  it('finds calls through a typed client and through apiCall when a file makes them', () => {
    const source = `await deps.slack.reactions.add({ name });\nawait client.apiCall('bookmarks.add', {});\nvcr.list();`;

    expect(slackMethodsIn(source)).toEqual(['reactions.add', 'bookmarks.add']);
  });

  it('finds the listened events when a file registers app.event', () => {
    expect(eventsIn(`app.event('app_home_opened', onHomeOpened(deps));`)).toEqual(['app_home_opened']);
  });

  it('finds the calls the bot is known to make when it scans src', () => {
    expect([...calledMethods.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'conversations.open', 'usergroups.users.list']),
    );
  });
});

describe('slack-app-manifest.yml', () => {
  it('names a scope for every Web API method when src calls one', () => {
    const unlisted = [...calledMethods.keys()].filter((method) => !methodScopes.has(method));

    expect(unlisted).toEqual([]);
  });

  it('declares every scope that a called method, the slash command or an event needs', () => {
    const missing = [...neededScopes()].filter(([scope]) => !declaredScopes.includes(scope));

    expect(missing).toEqual([]);
  });

  it('declares no scope when nothing needs it', () => {
    const needed = neededScopes();

    expect(declaredScopes.filter((scope) => !needed.has(scope))).toEqual([]);
  });

  it('subscribes to exactly the events the code listens to with app.event', () => {
    expect([...subscribedEvents].sort()).toEqual([...listenedEvents.keys()].sort());
    for (const event of subscribedEvents) expect(eventScopes.has(event)).toBe(true);
  });

  it('registers the default SLACK_COMMAND as its one slash command', () => {
    const config = loadConfig({
      SLACK_SIGNING_SECRET: 'placeholder-signing-secret',
      SLACK_BOT_TOKEN: 'placeholder-bot-token',
      VCR_ACCESS_TOKEN: 'placeholder-access-token',
    });

    expect(manifest.features.slash_commands?.map((command) => command.command)).toEqual([config.slack.command]);
  });

  it('points the slash command, interactivity and select menu options at the placeholder URL', () => {
    const { interactivity, event_subscriptions } = manifest.settings;

    expect(interactivity.is_enabled).toBe(true);
    expect(
      new Set([
        ...(manifest.features.slash_commands ?? []).map((command) => command.url),
        interactivity.request_url,
        interactivity.message_menu_options_url,
        ...(event_subscriptions ? [event_subscriptions.request_url] : []),
      ]),
    ).toEqual(new Set([manifestUrlPlaceholder]));
  });
});
