/**
 * The esbuild options of the Lambda bundle, for serverless-esbuild (`custom.esbuild.config` in serverless.yml) and
 * for `npm run bench`, which builds the same bundle again to read its metafile. Every choice and its figure is in
 * docs/decisions/0013-lean-cold-start.md.
 */
const { join } = require('node:path');

// Bolt's index and App load its HTTP, Socket Mode and Express receivers; the Lambda receiver needs none of their
// dependencies (1.5 MiB of the bundle with undici, iconv-lite, mime-db and express's tree).
const leftOut = ['@slack/socket-mode', '@slack/oauth', 'express', 'raw-body'];

/** Returns the esbuild options; serverless-esbuild passes the Serverless instance, which they do not depend on. */
module.exports = function esbuildOptions() {
  return {
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // The AWS SDK's ES module builds let esbuild drop the commands the bot never sends.
    mainFields: ['module', 'main'],
    // Whitespace and syntax only: function names stay readable in logged stack traces, which no source map has to
    // rebuild, and renaming identifiers too saves bytes but no measurable load time.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    // Lambda reads a source map only with --enable-source-maps, which makes every stack trace slower; none is shipped.
    sourcemap: false,
    alias: {
      ...Object.fromEntries(leftOut.map((name) => [name, join(__dirname, 'left-out-module.js')])),
      'cross-fetch': join(__dirname, 'platform-fetch.ts'),
    },
    // Bundle everything, the AWS SDK included: the runtime's SDK copy changes under us, the bundled one does not.
    exclude: [],
  };
};

/** The modules replaced by `left-out-module.js`, for the bench and the tests. */
module.exports.leftOut = leftOut;
