import { randomBytes } from 'node:crypto';
import { createLogger } from '../../src/logger';
import { createBoltLogger, scrubSlackSecrets } from '../../src/slack/bolt-logger';
import { actionIds } from '../../src/slack/ids';
import { users, useSlackHarness } from '../support/slack-harness';
import { blockActionsBody, signedEvent, slashCommandBody } from '../support/slack-requests';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  return { bolt: createBoltLogger(logger, 'debug'), lines };
}

function randomValue(): string {
  return randomBytes(10).toString('hex');
}

describe('createBoltLogger', () => {
  it('drops a debug line when it dumps the AWS event', () => {
    // Prepare
    const { bolt, lines } = capture();
    const responseUrl = `https://hooks.slack.com/commands/T0/1/${randomValue()}`;
    const event = { body: new URLSearchParams({ response_url: responseUrl }).toString(), isBase64Encoded: false };

    // Act
    bolt.debug(`AWS event: ${JSON.stringify(event, null, 2)}`);
    bolt.debug("apiCall('views.open') start");

    // Assess
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'debug', message: "apiCall('views.open') start" });
  });

  it('drops a debug line when it is a bare JSON body or an API call body', () => {
    // Prepare
    const { bolt, lines } = capture();
    const body = { token: randomValue(), trigger_id: randomValue() };

    // Act
    bolt.debug(JSON.stringify(body));
    bolt.debug(`http request body: ${JSON.stringify({ trigger_id: body.trigger_id })}`);
    bolt.debug(`http request result: ${JSON.stringify({ ok: true })}`);

    // Assess
    expect(lines).toEqual([]);
  });

  it('scrubs token, response_url and trigger_id values when a kept line carries them', () => {
    // Prepare
    const { bolt, lines } = capture();
    const token = randomValue();
    const triggerId = randomValue();
    const hook = `https://hooks.slack.com/actions/T0/1/${randomValue()}`;
    const form = new URLSearchParams({ token, trigger_id: triggerId, response_url: hook }).toString();
    const payload = new URLSearchParams({ payload: JSON.stringify({ token, trigger_id: triggerId }) }).toString();

    // Act
    bolt.info(`Parsed ${form}`);
    bolt.warn('Body', { token, nested: JSON.stringify({ response_url: hook }) });
    bolt.error(`Failed on ${payload}`, new Error(`while reading response_url=${hook}`));

    // Assess
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(token);
      expect(line).not.toContain(triggerId);
      expect(line).not.toContain(hook);
      expect(line).not.toContain(encodeURIComponent(hook));
    }
    expect(JSON.parse(lines[2]!).errors[0].message).toBe('while reading response_url=[scrubbed]');
  });

  it('passes a debug line through when it carries no payload and the level is debug', () => {
    // Prepare
    const { bolt, lines } = capture();

    // Act
    bolt.setName('web-api:WebClient:0');
    bolt.debug('initialized');

    // Assess
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'initialized', source: 'web-api:WebClient:0' });
  });
});

describe('scrubSlackSecrets', () => {
  it('keeps the surrounding text when it scrubs a JSON value holding an escaped quote', () => {
    // Prepare
    const text = JSON.stringify({ token: 'a"b\\c', user: 'U1' });

    // Act
    const out = scrubSlackSecrets(text);

    // Assess
    expect(JSON.parse(out)).toEqual({ token: '[scrubbed]', user: 'U1' });
  });
});

describe('Bolt logging through the app at debug level', () => {
  const h = useSlackHarness();

  it('writes no response_url, trigger_id or verification token when a command and a click arrive', async () => {
    // Prepare
    const token = randomValue();
    const triggerId = randomValue();
    const responseUrl = h.slack.responseUrl();
    const command = new URLSearchParams(
      slashCommandBody({ text: 'help', userId: users.viewer, responseUrl, triggerId }),
    );
    command.set('token', token);
    const click = new URLSearchParams(
      blockActionsBody({
        userId: users.viewer,
        responseUrl,
        triggerId,
        button: { action_id: `${actionIds.run}:0`, value: '{}' },
      }),
    );
    click.set('payload', click.get('payload')!.replace('verification-token-unused', token));
    const before = h.logs.length;

    // Act
    const commandAnswer = await h.send(signedEvent(command.toString(), h.signingSecret));
    const clickAnswer = await h.send(signedEvent(click.toString(), h.signingSecret, { base64: true }));

    // Assess
    expect(commandAnswer.statusCode).toBe(200);
    expect(clickAnswer.statusCode).toBe(200);
    expect(h.posted(responseUrl)).toHaveLength(1);
    const written = h.logs.slice(before);
    expect(written.some((line) => line.includes('"source"'))).toBe(true);
    for (const value of [token, triggerId, responseUrl, encodeURIComponent(responseUrl)]) {
      expect(written.filter((line) => line.includes(value))).toEqual([]);
    }
  });
});
