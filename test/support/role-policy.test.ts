import type { AwsCall } from './e2e-harness';
import { accessOf, allows, type RoleStatement, type Template } from './role-policy';

const template: Template = {
  Resources: {
    StateTable: {
      Type: 'AWS::DynamoDB::Table',
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'byTime',
            KeySchema: [
              { AttributeName: 'byTimePk', KeyType: 'HASH' },
              { AttributeName: 'byTimeSk', KeyType: 'RANGE' },
            ],
          },
        ],
      },
    },
  },
};
const onKeys = (actions: string[], resources: string[], keys: string[]): RoleStatement => ({
  actions,
  resources,
  condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } },
});
const call = (operation: string, input: Record<string, unknown>): AwsCall => ({
  entry: 'http',
  client: 'DynamoDBClient',
  operation,
  input,
});
const byTimeQuery = call('Query', {
  IndexName: 'byTime',
  KeyConditionExpression: '#pk = :pk AND #sk >= :since',
  ExpressionAttributeNames: { '#pk': 'byTimePk', '#sk': 'byTimeSk' },
  ExpressionAttributeValues: { ':pk': { S: 'op#2026-11' }, ':since': { S: '2026-11-01' } },
});

describe('role policy evaluation', () => {
  it('allows an item whose partition key matches a pattern and refuses one that matches none', () => {
    // Prepare
    const role = [onKeys(['dynamodb:GetItem'], ['arn:StateTable'], ['setting#freeze', 'watch#*'])];

    // Act
    const [freeze, watch, cleanup] = ['setting#freeze', 'watch#pass', 'setting#cleanup#repo-1'].map((pk) =>
      allows(role, accessOf(template, call('GetItem', { Key: { pk: { S: pk }, sk: { S: 'x' } } }), 'worker')),
    );

    // Assess
    expect([freeze, watch, cleanup]).toEqual([true, true, false]);
  });

  it('refuses an action the statement does not list when the key matches', () => {
    // Act
    const access = accessOf(template, call('PutItem', { Item: { pk: { S: 'setting#freeze' } } }), 'worker');

    // Assess
    expect(allows([onKeys(['dynamodb:GetItem'], ['arn:StateTable'], ['setting#*'])], access)).toBe(false);
  });

  it('checks a Query on an index against the index ARN and the index partition key value', () => {
    // Act
    const access = accessOf(template, byTimeQuery, 'worker');

    // Assess
    expect(access).toEqual({
      action: 'dynamodb:Query',
      resource: 'arn:StateTable/index/byTime',
      leadingKeys: ['op#2026-11'],
    });
    expect(allows([onKeys(['dynamodb:Query'], ['arn:StateTable'], ['*'])], access)).toBe(false);
    expect(allows([onKeys(['dynamodb:Query'], ['arn:StateTable/index/*'], ['op#*'])], access)).toBe(true);
    expect(allows([onKeys(['dynamodb:Query'], ['arn:StateTable/index/byTime'], ['audit#*'])], access)).toBe(false);
  });

  it('lets a Scan through a LeadingKeys condition, as ForAllValues holds for no values', () => {
    // Act
    const access = accessOf(template, call('Scan', {}), 'worker');

    // Assess
    expect(allows([onKeys(['dynamodb:*'], ['arn:StateTable'], ['watch#*'])], access)).toBe(true);
  });

  it('throws on a condition or an operation it does not know instead of guessing', () => {
    // Prepare
    const role: RoleStatement[] = [
      { actions: ['dynamodb:GetItem'], resources: ['*'], condition: { StringEquals: { 'aws:SourceVpc': ['v'] } } },
    ];

    // Act
    const access = accessOf(template, call('GetItem', { Key: { pk: { S: 'op#1' } } }), 'worker');

    // Assess
    expect(() => allows(role, access)).toThrow('does not know the condition');
    expect(() => accessOf(template, call('TransactWriteItems', {}), 'worker')).toThrow('does not know');
  });
});
