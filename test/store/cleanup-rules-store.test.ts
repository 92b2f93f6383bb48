import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type LocalDynamo, startLocalDynamo } from '../../local/fakes/dynamodb';
import { type CleanupRulesStore, createDynamoCleanupRulesStore } from '../../src/store/cleanup-rules-store';

const table = 'cleanup-rules-test';

describe('createDynamoCleanupRulesStore', () => {
  let dynamo: LocalDynamo;
  let store: CleanupRulesStore;

  beforeAll(async () => {
    dynamo = await startLocalDynamo({ tables: [table] });
    const documents = DynamoDBDocumentClient.from(dynamo.client, { marshallOptions: { removeUndefinedValues: true } });
    store = createDynamoCleanupRulesStore({ client: documents, table });
  });

  afterAll(() => dynamo.close());

  it('reads the rules saved for a repository, the later save replacing the earlier', async () => {
    // Prepare
    await store.save({
      repoId: 'repo-a',
      repoName: 'alpha',
      rules: { keep: 3 },
      savedBy: 'U0ONE',
      savedAt: Date.UTC(2026, 0, 1),
    });
    await store.save({
      repoId: 'repo-a',
      repoName: 'alpha',
      rules: { keep: 10, untaggedOlderDays: 14, protect: ['latest', 'v*'] },
      savedBy: 'U0TWO',
      savedAt: Date.UTC(2026, 0, 2),
    });

    // Act
    const saved = await store.read('repo-a');
    const none = await store.read('repo-unknown');

    // Assess
    expect(saved).toEqual({
      repoId: 'repo-a',
      repoName: 'alpha',
      rules: { keep: 10, untaggedOlderDays: 14, protect: ['latest', 'v*'] },
      savedBy: 'U0TWO',
      savedAt: Date.UTC(2026, 0, 2),
    });
    expect(none).toBeUndefined();
  });

  it('lists every repository with saved rules once, most recently saved first', async () => {
    // Prepare
    await store.save({
      repoId: 'repo-b',
      repoName: 'beta',
      rules: { unpulledDays: 90 },
      savedBy: 'U0ONE',
      savedAt: Date.UTC(2026, 0, 5),
    });
    await store.save({
      repoId: 'repo-c',
      repoName: 'gamma',
      rules: { untaggedOlderDays: 7 },
      savedBy: 'U0ONE',
      savedAt: Date.UTC(2025, 11, 5),
    });

    // Act
    const listed = await store.listCleanupRules();

    // Assess
    expect(listed.map((saved) => [saved.repoName, saved.rules])).toEqual([
      ['beta', { unpulledDays: 90 }],
      ['alpha', { keep: 10, untaggedOlderDays: 14, protect: ['latest', 'v*'] }],
      ['gamma', { untaggedOlderDays: 7 }],
    ]);
  });
});
