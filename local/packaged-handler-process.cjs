/**
 * The process `runPackagedHandler` (local/packaged-handler.ts) starts: it loads the packaged bundle as Lambda's
 * Node.js runtime does, calls one of its entries with each event in turn, and writes what each call answered and
 * when (ms since this process started) to the output file. Plain CommonJS, so that nothing but Node itself loads
 * before the bundle does.
 */
const diagnostics = require('node:diagnostics_channel');
const { readFileSync, writeFileSync } = require('node:fs');

const [inputFile, outputFile] = process.argv.slice(2);
const { bundle, entry, events, arrivedAt } = JSON.parse(readFileSync(inputFile, 'utf8'));

// The Secrets Manager answer splits a cold start into its secret read and the rest of the first request.
const secretsHost = new URL(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? 'https://secretsmanager.invalid').host;
let secretAnsweredAt;
diagnostics.subscribe('http.client.response.finish', ({ request }) => {
  if (secretAnsweredAt === undefined && request.getHeader('host') === secretsHost) secretAnsweredAt = performance.now();
});

async function main() {
  const startedAt = performance.now();
  const handler = require(bundle);
  const loadedAt = performance.now();
  const calls = [];
  for (const [index, event] of events.entries()) {
    // API Gateway stamps each request as it arrives; the first may have arrived before this process started.
    if (event?.requestContext) event.requestContext.timeEpoch = index === 0 && arrivedAt ? arrivedAt : Date.now();
    const calledAt = performance.now();
    const result = await handler[entry](event, {});
    calls.push({ calledAt, answeredAt: performance.now(), result: result ?? null });
  }
  writeFileSync(
    outputFile,
    JSON.stringify({ timeOrigin: performance.timeOrigin, startedAt, loadedAt, secretAnsweredAt, calls }),
  );
}

main().then(
  // The bundle's clients keep connections open, as they should on Lambda; this process is done.
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
