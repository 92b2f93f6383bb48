import { randomBytes } from 'node:crypto';
import { createLogger } from '../src/logger';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  return { logger, lines };
}

// Generated per run: no secret-shaped literal is committed.
function secretValue(): string {
  return randomBytes(12).toString('hex');
}

// A secret holding the two characters JSON.stringify escapes, e.g. `Ab"cd\ef12…`.
function quotedSecret(): string {
  const random = randomBytes(6).toString('hex');
  return `Ab"cd\\ef${random}`;
}

describe('createLogger', () => {
  it('blanks a registered secret when it appears in a plain field and in the message', () => {
    // Prepare
    const { logger, lines } = capture();
    const secret = secretValue();
    logger.addSecret(secret);

    // Act
    logger.info(`token is ${secret}`, { token: secret, note: `before ${secret} after` });

    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(secret);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      message: 'token is [redacted]',
      token: '[redacted]',
      note: 'before [redacted] after',
    });
  });

  it('blanks a secret holding a quote and a backslash when JSON would escape them', () => {
    // Prepare
    const { logger, lines } = capture();
    const secret = quotedSecret();
    logger.addSecret(secret);

    // Act
    logger.warn('A call failed', { body: `{"client_secret":"${secret}"}`, value: secret });

    // Assess
    const escaped = JSON.stringify(secret).slice(1, -1);
    expect(lines[0]).not.toContain(escaped);
    expect(lines[0]).not.toContain(secret);
    const parsed = JSON.parse(lines[0]!);
    expect(parsed.value).toBe('[redacted]');
    expect(parsed.body).toBe('{"client_secret":"[redacted]"}');
  });

  it('blanks secrets inside nested objects and arrays, keys included', () => {
    // Prepare
    const { logger, lines } = capture();
    const secret = quotedSecret();
    logger.addSecret(secret);

    // Act
    logger.info('Nested', {
      request: { headers: { authorization: `Bearer ${secret}` }, items: [{ value: secret }, [`x${secret}x`]] },
      [secret]: 'as a key',
    });

    // Assess
    expect(lines[0]).not.toContain(JSON.stringify(secret).slice(1, -1));
    expect(JSON.parse(lines[0]!)).toMatchObject({
      request: { headers: { authorization: 'Bearer [redacted]' }, items: [{ value: '[redacted]' }, ['x[redacted]x']] },
      '[redacted]': 'as a key',
    });
  });

  it('blanks a secret in an error message, stack and cause when an error is logged at any depth', () => {
    // Prepare
    const { logger, lines } = capture();
    const secret = quotedSecret();
    logger.addSecret(secret);
    const cause = new Error(`inner ${secret}`);
    const error = new Error(`outer ${secret}`, { cause });

    // Act
    logger.error('Failed', { error, nested: { errors: [error] } });

    // Assess
    expect(lines[0]).not.toContain(JSON.stringify(secret).slice(1, -1));
    const parsed = JSON.parse(lines[0]!);
    expect(parsed.error).toMatchObject({
      name: 'Error',
      message: 'outer [redacted]',
      stack: expect.stringContaining('outer [redacted]'),
      cause: { message: 'inner [redacted]' },
    });
    expect(parsed.nested.errors[0]).toMatchObject({ message: 'outer [redacted]' });
  });

  it('blanks a secret in child and parent lines and in the child’s own fields when either registers it', () => {
    // Prepare
    const { logger, lines } = capture();
    const fromChild = quotedSecret();
    const fromParent = secretValue();
    const child = logger.child({ component: 'test', session: fromChild });

    // Act
    child.addSecret(fromChild);
    logger.addSecret(fromParent);
    child.info('Child', { value: fromParent });
    logger.info('Parent', { value: fromChild });

    // Assess
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(line).not.toContain(JSON.stringify(fromChild).slice(1, -1));
      expect(line).not.toContain(fromParent);
    }
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 'test', session: '[redacted]', value: '[redacted]' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ value: '[redacted]' });
  });

  it('keeps values shorter than six characters visible when they are registered as secrets', () => {
    // Prepare
    const { logger, lines } = capture();

    // Act
    logger.addSecret('info');
    logger.info('info level', { word: 'info' });

    // Assess
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'info level', word: 'info' });
  });

  it('writes a line instead of throwing when a field refers to itself', () => {
    // Prepare
    const { logger, lines } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;

    // Act
    logger.info('Loop', { loop });

    // Assess
    expect(JSON.parse(lines[0]!)).toMatchObject({ loop: { name: 'loop', self: '[circular]' } });
  });

  it('drops lines below the configured level', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (line) => lines.push(line) });

    // Act
    logger.info('quiet');
    logger.warn('loud');

    // Assess
    expect(lines.map((line) => JSON.parse(line).message)).toEqual(['loud']);
  });

  it('adds the Lambda request id and cold start to later lines of the logger and its children when given a context', async () => {
    // Prepare
    const { logger, lines } = capture();
    const child = logger.child({ jobId: 'job-1' });

    // Act
    logger.addContext({ awsRequestId: 'req-123', functionName: 'worker', memoryLimitInMB: '512' });
    child.info('After');

    // Assess
    expect(JSON.parse(lines[0]!)).toMatchObject({ function_request_id: 'req-123', jobId: 'job-1', message: 'After' });
  });

  it('names the service from the `service` field and keeps the line shape when one is given', () => {
    // Prepare
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line), fields: { service: 'vcr-chatops' } });

    // Act
    logger.info('Hello', { userId: 'U1' });

    // Assess
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['level', 'time', 'message', 'service', 'userId']);
  });
});
