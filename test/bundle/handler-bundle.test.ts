import { buildHandlerBundle, packageOf } from '../../bundle/build-handler-bundle';

// Built once: the options are the ones serverless-esbuild packages with (bundle/esbuild-options.js).
let packages: Set<string>;
let inputs: string[];

beforeAll(async () => {
  const bundle = await buildHandlerBundle();
  inputs = Object.keys(bundle.inputs);
  packages = new Set(inputs.map(packageOf));
}, 60_000);

describe('the handler bundle', () => {
  it('bundles Bolt, its Web API client and the AWS SDK clients the bot calls', () => {
    // Act
    const present = ['@slack/bolt', '@slack/web-api', '@aws-sdk/client-secrets-manager', '@aws-sdk/client-lambda'];

    // Assess
    expect(present.filter((name) => !packages.has(name))).toEqual([]);
  });

  it('leaves out Socket Mode, OAuth, Express, raw-body and everything only they load', () => {
    // Prepare
    const leftOut = ['@slack/socket-mode', 'undici', 'ws', '@slack/oauth', 'jsonwebtoken', 'express'];
    const theirs = ['body-parser', 'raw-body', 'iconv-lite', 'mime-types', 'mime-db', 'qs'];

    // Act
    const bundled = [...leftOut, ...theirs].filter((name) => packages.has(name));

    // Assess
    expect(bundled).toEqual([]);
    expect(inputs).toContain('bundle/left-out-module.js');
  });

  it('resolves cross-fetch to the platform fetch, leaving node-fetch and its URL parser out', () => {
    // Act
    const bundled = ['cross-fetch', 'node-fetch', 'whatwg-url', 'tr46'].filter((name) => packages.has(name));

    // Assess
    expect(bundled).toEqual([]);
    expect(inputs).toContain('bundle/platform-fetch.ts');
  });
});
