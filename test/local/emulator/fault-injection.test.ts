import { iamTokenPath } from '../../../local/emulator/defaults';
import { seedIds } from '../../../local/emulator/seed';
import { type EmulatorSession, startEmulatorSession } from '../../support/emulator-session';

const { paymentsApi } = seedIds.repositories;

describe('emulator fault injection', () => {
  let session: EmulatorSession;

  beforeAll(async () => {
    session = await startEmulatorSession();
  });

  afterEach(() => session.emulator.clearFaults());

  afterAll(() => session.close());

  it('answers the injected status and body on the matching path only', async () => {
    // Prepare
    session.emulator.inject({ path: '/v1/user/permissions', status: 503, body: { message: 'busy' } });

    // Act
    const hit = await session.call('GET', '/v1/user/permissions');
    const other = await session.call('GET', '/v1/user');

    // Assess
    expect(hit.status).toBe(503);
    expect(hit.json()).toEqual({ message: 'busy' });
    expect(other.status).toBe(200);
  });

  it('stops after `times` requests', async () => {
    // Prepare
    session.emulator.inject({ path: '/v1/repository', method: 'GET', status: 502, times: 2 });

    // Act
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await session.call('GET', '/v1/repository')).status);

    // Assess
    expect(statuses).toEqual([502, 502, 200]);
  });

  it('matches a RegExp on the decoded path and respects the method', async () => {
    // Prepare
    session.emulator.inject({ method: 'DELETE', path: /\/images\/delete$/, status: 500, body: 'boom' });

    // Act
    const read = await session.call('GET', `/v1/repository/${paymentsApi}/images?name=`);
    const del = await session.call('DELETE', `/v1/repository/${paymentsApi}/images/delete?imageName=team%2Fapi`);

    // Assess
    expect(read.status).toBe(200);
    expect(del.status).toBe(500);
    expect(del.text).toBe('boom');
  });

  it('delays then proceeds normally when the fault has only delayMs', async () => {
    // Prepare
    session.emulator.inject({ path: '/v1/user/permissions', delayMs: 20 });

    // Act
    const answer = await session.call('GET', '/v1/user/permissions');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json()).toHaveLength(3);
  });

  it('holds the answer long enough for a client timeout to fire when delayMs is large', async () => {
    // Prepare
    session.emulator.inject({ path: '/v1/user', delayMs: 60_000, times: 1 });

    // Act
    const attempt = fetch(`${session.emulator.url}/v1/user`, {
      headers: { authorization: `Bearer ${session.emulator.issueToken()}` },
      signal: AbortSignal.timeout(50),
    });

    // Assess
    await expect(attempt).rejects.toThrow();
  });

  it('drops the connection without an answer when dropConnection is set', async () => {
    // Prepare
    session.emulator.inject({ path: iamTokenPath, dropConnection: true });

    // Act
    const attempt = fetch(session.emulator.iamUrl, { method: 'POST' });

    // Assess
    await expect(attempt).rejects.toThrow('fetch failed');
  });

  it('carries the request out and answers the injected body as its content type when handled is set', async () => {
    // Prepare
    session.emulator.inject({
      method: 'POST',
      path: '/v1/repository',
      handled: true,
      status: 202,
      body: '<html><body>Accepted</body></html>',
      contentType: 'text/html',
    });

    // Act
    const answer = await session.call('POST', '/v1/repository', {
      json: { repoName: 'handled-1', isPublic: false, quotaLimit: 5 },
    });

    // Assess
    expect({ status: answer.status, type: answer.contentType, text: answer.text }).toEqual({
      status: 202,
      type: 'text/html',
      text: '<html><body>Accepted</body></html>',
    });
    expect(session.emulator.state.repositories.map((repository) => repository.name)).toContain('handled-1');
  });

  it('answers a refusal as it is when a handled fault meets a request vCR refuses', async () => {
    // Prepare
    session.emulator.inject({ method: 'POST', path: '/v1/repository', handled: true, status: 202, body: '' });

    // Act
    const answer = await session.call('POST', '/v1/repository', {
      json: { repoName: 'payments-api', isPublic: false, quotaLimit: 5 },
    });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json()).toEqual({ message: 'Repository payments-api already exists' });
  });

  it('answers the real JSON as rewritten when rewrite is set', async () => {
    // Prepare
    session.emulator.inject({
      method: 'GET',
      path: '/v1/user',
      rewrite: (page) => ({ ...(page as object), listData: null, rewritten: true }),
    });

    // Act
    const answer = await session.call('GET', '/v1/user?name=qa-reader');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ listData: null, rewritten: true, totalItem: 1 });
  });

  it('hits only requests whose query holds the fault query values', async () => {
    // Prepare
    session.emulator.inject({
      method: 'GET',
      path: /\/images\/detail$/,
      query: { imageName: 'team/api' },
      status: 503,
    });

    // Act
    const hit = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail?imageName=team%2Fapi`);
    const other = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail?imageName=team%2Fworker`);

    // Assess
    expect([hit.status, other.status]).toEqual([503, 200]);
  });

  it('answers normally again after clearFaults', async () => {
    // Prepare
    session.emulator.inject({ path: /.*/, status: 500 });
    session.emulator.clearFaults();

    // Act
    const answer = await session.call('GET', '/v1/user/permissions');

    // Assess
    expect(answer.status).toBe(200);
  });
});

describe('emulator latency option', () => {
  it('still answers correctly when latencyMs is set', async () => {
    // Prepare
    const slow = await startEmulatorSession({ latencyMs: 10 });

    // Act
    const answer = await slow.call('GET', '/v1/user/permissions');

    // Assess
    expect(answer.status).toBe(200);
    await slow.close();
  });
});

describe('emulator request recording', () => {
  let session: EmulatorSession;

  beforeAll(async () => {
    session = await startEmulatorSession();
  });

  beforeEach(() => session.emulator.clearRequests());

  afterAll(() => session.close());

  it('records the decoded path, the raw path, the query and the bearer header', async () => {
    // Prepare
    const token = session.emulator.issueToken();

    // Act
    await session.call('GET', `/v1/repository/${paymentsApi}/images/artifacts?imageName=team%2Fapi&name=&page=2`, {
      token,
    });
    await session.call('GET', '/v1/repository/repo%2Dx%2Fy');

    // Assess
    expect(session.emulator.requests).toEqual([
      {
        method: 'GET',
        path: `/v1/repository/${paymentsApi}/images/artifacts`,
        rawPath: `/v1/repository/${paymentsApi}/images/artifacts`,
        query: { imageName: 'team/api', name: '', page: '2' },
        body: undefined,
        authorization: `Bearer ${token}`,
      },
      expect.objectContaining({ path: '/v1/repository/repo-x/y', rawPath: '/v1/repository/repo%2Dx%2Fy' }),
    ]);
  });

  it('records a JSON body parsed and a form body as an object', async () => {
    // Act
    await session.call('POST', '/v1/repository', { json: { repoName: 'recorded', isPublic: true, quotaLimit: 1 } });
    await fetch(session.emulator.iamUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });

    // Assess
    expect(session.emulator.requests.map((request) => request.body)).toEqual([
      { repoName: 'recorded', isPublic: true, quotaLimit: 1 },
      { grant_type: 'client_credentials' },
    ]);
  });

  it('records requests that faults answered, and empties the list on clearRequests', async () => {
    // Prepare
    session.emulator.inject({ path: '/v1/user', status: 500, times: 1 });
    await session.call('GET', '/v1/user');
    const recorded = session.emulator.requests.length;

    // Act
    session.emulator.clearRequests();

    // Assess
    expect(recorded).toBe(1);
    expect(session.emulator.requests).toEqual([]);
  });
});
