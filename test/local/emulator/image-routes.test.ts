import { seedIds } from '../../../local/emulator/seed';
import { type EmulatorSession, startEmulatorSession } from '../../support/emulator-session';

const { paymentsApi, webFrontend } = seedIds.repositories;
const teamApi = encodeURIComponent('team/api');

interface ArtifactRow {
  digest: string;
  size: number;
  tags: { name: string }[] | null;
}

describe('emulator image and artifact routes', () => {
  let session: EmulatorSession;

  beforeEach(async () => {
    session = await startEmulatorSession();
  });

  afterEach(() => session.close());

  const listArtifacts = async (repoId: string, imageName: string) => {
    const answer = await session.call(
      'GET',
      `/v1/repository/${repoId}/images/artifacts?imageName=${encodeURIComponent(imageName)}&name=`,
    );
    return (answer.json() as { listData: ArtifactRow[] }).listData;
  };

  it('answers 400 on the image list when name= is absent', async () => {
    // Act
    const answer = await session.call('GET', `/v1/repository/${paymentsApi}/images?page=1`);

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain("'name'");
  });

  it('lists every image when name= is empty and filters by substring otherwise', async () => {
    // Act
    const all = await session.call('GET', `/v1/repository/${paymentsApi}/images?name=`);
    const team = await session.call('GET', `/v1/repository/${paymentsApi}/images?name=TEAM%2F`);

    // Assess
    expect(all.json()).toMatchObject({ totalItem: 3 });
    const names = (team.json() as { listData: { name: string }[] }).listData.map((image) => image.name).sort();
    expect(names).toEqual(['team/api', 'team/worker']);
  });

  it.each([
    ['name', `imageName=${teamApi}`],
    ['imageName', 'name='],
  ])('answers 400 on the artifact list when %s is absent', async (_field, query) => {
    // Act
    const answer = await session.call('GET', `/v1/repository/${paymentsApi}/images/artifacts?${query}`);

    // Assess
    expect(answer.status).toBe(400);
  });

  it('lists artifacts with sha256 digests, and null tags on an untagged one', async () => {
    // Act
    const artifacts = await listArtifacts(paymentsApi, 'team/api');

    // Assess
    expect(artifacts).toHaveLength(3);
    for (const artifact of artifacts) expect(artifact.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(artifacts.map((artifact) => artifact.tags?.map((tag) => tag.name) ?? null)).toEqual([
      ['v1.4.2', 'latest'],
      ['v1.4.1'],
      null,
    ]);
  });

  it('filters artifacts by tag name', async () => {
    // Act
    const answer = await session.call(
      'GET',
      `/v1/repository/${paymentsApi}/images/artifacts?imageName=${teamApi}&name=v1.4.1`,
    );

    // Assess
    expect(answer.json()).toMatchObject({ totalItem: 1, listData: [{ tags: [{ name: 'v1.4.1' }] }] });
  });

  it('answers the image detail and 404 for an unknown image', async () => {
    // Act
    const found = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail?imageName=${teamApi}`);
    const missing = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail?imageName=nope`);
    const noName = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail`);

    // Assess
    expect(found.json()).toEqual({
      name: 'team/api',
      artifactCount: 3,
      pullCount: 412,
      updateTime: expect.any(String),
    });
    expect(missing.status).toBe(404);
    expect(noName.status).toBe(400);
  });

  it('deletes an artifact with all its tags, updating counts and bytes used', async () => {
    // Prepare
    const [newest] = await listArtifacts(paymentsApi, 'team/api');
    const before = (await session.call('GET', `/v1/repository/${paymentsApi}`)).json() as { quotaUsed: number };

    // Act
    const answer = await session.call(
      'DELETE',
      `/v1/repository/${paymentsApi}/images/artifacts/delete?imageName=${teamApi}&digest=${encodeURIComponent(newest.digest)}`,
    );

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    const after = (await session.call('GET', `/v1/repository/${paymentsApi}`)).json() as { quotaUsed: number };
    expect(after.quotaUsed).toBe(before.quotaUsed - newest.size);
    const remainingTags = (await listArtifacts(paymentsApi, 'team/api')).flatMap((a) => a.tags ?? []);
    expect(remainingTags.map((tag) => tag.name)).toEqual(['v1.4.1']);
    const detail = await session.call('GET', `/v1/repository/${paymentsApi}/images/detail?imageName=${teamApi}`);
    expect(detail.json()).toMatchObject({ artifactCount: 2 });
    const history = await session.call('GET', `/v1/repository/${paymentsApi}/history?size=1`);
    expect(history.json()).toMatchObject({ listData: [{ resourceType: 'Image Artifact', action: 'Delete' }] });
  });

  it('answers 400 on artifact delete when the digest is absent, and 404 when it is unknown', async () => {
    // Act
    const absent = await session.call(
      'DELETE',
      `/v1/repository/${paymentsApi}/images/artifacts/delete?imageName=${teamApi}`,
    );
    const unknown = await session.call(
      'DELETE',
      `/v1/repository/${paymentsApi}/images/artifacts/delete?imageName=${teamApi}&digest=sha256%3A00`,
    );

    // Assess
    expect(absent.status).toBe(400);
    expect(unknown.status).toBe(404);
  });

  it('refuses with 400 to delete an image that still has artifacts', async () => {
    // Act
    const answer = await session.call('DELETE', `/v1/repository/${paymentsApi}/images/delete?imageName=${teamApi}`);

    // Assess
    expect(answer.status).toBe(400);
    expect((answer.json() as { message: string }).message).toContain('delete its artifacts first');
  });

  it('deletes an image with 200 and no body once its artifacts are gone, lowering imageCount', async () => {
    // Prepare
    const nginx = encodeURIComponent('nginx-edge');
    for (const artifact of await listArtifacts(webFrontend, 'nginx-edge')) {
      await session.call(
        'DELETE',
        `/v1/repository/${webFrontend}/images/artifacts/delete?imageName=${nginx}&digest=${encodeURIComponent(artifact.digest)}`,
      );
    }

    // Act
    const answer = await session.call('DELETE', `/v1/repository/${webFrontend}/images/delete?imageName=${nginx}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
    expect((await session.call('GET', `/v1/repository/${webFrontend}`)).json()).toMatchObject({ imageCount: 1 });
  });

  it('deletes an image with its artifacts when imageDeleteRequiresEmpty is false', async () => {
    // Prepare
    const lenient = await startEmulatorSession({ imageDeleteRequiresEmpty: false });

    // Act
    const answer = await lenient.call('DELETE', `/v1/repository/${paymentsApi}/images/delete?imageName=${teamApi}`);

    // Assess
    expect(answer.status).toBe(200);
    expect(lenient.emulator.state.artifacts.filter((a) => a.imageName === 'team/api')).toEqual([]);
    await lenient.close();
  });
});
