import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import {
  fillManifest,
  manifestPath,
  manifestUrlPlaceholder,
  printableManifest,
  runServerlessInfo,
  slackRequestUrlFrom,
} from '../../local/print-manifest';

const root = join(__dirname, '..', '..');
const deployedUrl = 'https://abc123def4.execute-api.ap-southeast-1.amazonaws.com/slack/events';
const manifestText = readFileSync(manifestPath, 'utf8');

interface Manifest {
  features: { slash_commands: { command: string; url: string }[] };
  settings: { interactivity: { request_url: string; message_menu_options_url: string } };
}

// What `serverless info --stage prod --verbose` prints once the stack is deployed (osls 4, lib/plugins/aws/info).
const infoOutput = `service: vcr-chatops
stage: prod
region: ap-southeast-1
stack: vcr-chatops-prod
endpoint: POST - ${deployedUrl}
functions:
  http: vcr-chatops-prod-http
  worker: vcr-chatops-prod-worker

Stack Outputs:
  HttpLambdaFunctionQualifiedArn: arn:aws:lambda:ap-southeast-1:123456789012:function:vcr-chatops-prod-http:3
  SlackRequestUrl: ${deployedUrl}
  HttpApiUrl: https://abc123def4.execute-api.ap-southeast-1.amazonaws.com
`;

const urlsOf = (text: string) => {
  const manifest = parse(text) as Manifest;
  return [
    ...manifest.features.slash_commands.map((command) => command.url),
    manifest.settings.interactivity.request_url,
    manifest.settings.interactivity.message_menu_options_url,
  ];
};

describe('fillManifest', () => {
  it('puts the URL at the slash command, interactivity and options when given a deployed URL', () => {
    const filled = fillManifest(manifestText, { url: deployedUrl });

    expect(urlsOf(filled)).toEqual([deployedUrl, deployedUrl, deployedUrl]);
    expect(filled).not.toContain(manifestUrlPlaceholder);
    expect(filled).toContain('# usergroups.users.list');
  });

  it('changes the slash command when given another command', () => {
    const filled = parse(fillManifest(manifestText, { url: deployedUrl, command: '/registry' })) as Manifest;

    expect(filled.features.slash_commands.map((command) => command.command)).toEqual(['/registry']);
  });

  it.each([
    ['the placeholder', manifestUrlPlaceholder],
    ['an http URL', 'http://abc123def4.execute-api.ap-southeast-1.amazonaws.com/slack/events'],
    ['another path', 'https://abc123def4.execute-api.ap-southeast-1.amazonaws.com/'],
    ['a fragment that only looks like the path', 'https://bot.example.com/x#/slack/events'],
    ['a query that only looks like the path', 'https://bot.example.com/?next=/slack/events'],
    ['one with credentials', 'https://user:pw@bot.example.com/slack/events'],
    ['one with a port that cannot be', 'https://bot.example.com:99999/slack/events'],
    ['one with a quote', 'https://bot.example.com/a"b/slack/events'],
    ['one with a backslash', 'https://bot.example.com/a\\b/slack/events'],
  ])('refuses the URL when it is %s', (_, url) => {
    expect(() => fillManifest(manifestText, { url })).toThrow("Not the bot's request URL");
  });

  it('accepts a custom domain with a base path when the path ends in /slack/events', () => {
    const url = 'https://chatops.example.com/prod/slack/events';

    expect(parse(fillManifest(manifestText, { url })).settings.interactivity.request_url).toBe(url);
  });

  it('refuses the command when it has no leading slash', () => {
    expect(() => fillManifest(manifestText, { url: deployedUrl, command: 'vcr' })).toThrow('Not a slash command');
  });
});

describe('slackRequestUrlFrom', () => {
  it('reads the SlackRequestUrl stack output when serverless info prints it', () => {
    expect(slackRequestUrlFrom(infoOutput)).toBe(deployedUrl);
  });

  it('says the stage may not be deployed when the output has no SlackRequestUrl', () => {
    expect(() => slackRequestUrlFrom('service: vcr-chatops\nstage: prod\n')).toThrow('is the stage deployed?');
  });
});

describe('runServerlessInfo', () => {
  it('rejects with what serverless said when it fails for want of AWS credentials', async () => {
    // Prepare: no AWS credentials anywhere, as on a machine that never set them up.
    const home = mkdtempSync(join(tmpdir(), 'vcr-chatops-no-aws-'));
    const env = { PATH: process.env.PATH, HOME: home };

    // Act and Assess
    await expect(runServerlessInfo(['--stage', 'prod', '--verbose'], env)).rejects.toThrow(
      /serverless info --stage prod --verbose` failed:\n(.|\n)*credentials/,
    );
    rmSync(home, { recursive: true, force: true });
  }, 60_000);
});

describe('printableManifest', () => {
  it('asks serverless info about the stage and region when given --stage', async () => {
    const asked: (readonly string[])[] = [];

    const text = await printableManifest(['--stage', 'prod', '--region', 'eu-west-1'], async (args) => {
      asked.push(args);
      return infoOutput;
    });

    expect(asked).toEqual([['--stage', 'prod', '--region', 'eu-west-1', '--verbose']]);
    expect(urlsOf(text)).toEqual([deployedUrl, deployedUrl, deployedUrl]);
  });

  it.each([
    ['neither --url nor --stage', []],
    ['both --url and --stage', ['--url', deployedUrl, '--stage', 'prod']],
    ['--region with --url', ['--url', deployedUrl, '--region', 'eu-west-1']],
  ])('prints the usage when given %s', async (_, argv) => {
    await expect(printableManifest(argv, async () => infoOutput)).rejects.toThrow('usage: npm run manifest');
  });

  it('prints the filled manifest when npm run manifest is given --url', async () => {
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'manifest', '--', '--url', deployedUrl], {
      cwd: root,
    });

    expect(urlsOf(stdout)).toEqual([deployedUrl, deployedUrl, deployedUrl]);
  });
});
