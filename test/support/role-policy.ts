/**
 * The subset of IAM the roles in serverless.yml use, evaluated against the AWS calls the e2e harness recorded: Allow
 * statements, Action lists with `*`, Resource ARNs (a table, `/index/<name>`, `/index/*`) and
 * `ForAllValues:StringLike` on `dynamodb:LeadingKeys` (docs/iam.md says how AWS evaluates it, and for Query on an index).
 * Resources are written symbolically: `arn:<LogicalId>` for `!GetAtt <LogicalId>.Arn`, plus what `!Sub` appends.
 */
import type { AwsCall, EntryName } from './e2e-harness';

/** The packaged CloudFormation template, as far as these checks read it. */
export type Template = {
  Conditions?: Record<string, unknown>;
  Resources: Record<string, { Type: string; Condition?: string; Properties: Record<string, unknown> }>;
};

/** One Allow statement of a role, with its resources written symbolically. */
export interface RoleStatement {
  actions: string[];
  resources: string[];
  condition?: Record<string, Record<string, string[]>>;
}

/** What AWS authorises for one call: the action, the resource and the partition key values it touches. */
export interface AccessRequest {
  action: string;
  resource: string;
  /** `dynamodb:LeadingKeys`: the partition key values of the items (for Query on an index, the index's own key). */
  leadingKeys?: string[];
}

/** The logical id of the Lambda function serverless.yml declares for `entry`, e.g. `HttpLambdaFunction`. */
export const functionIdOf = (entry: EntryName) => `${entry[0]!.toUpperCase()}${entry.slice(1)}LambdaFunction`;

/** Writes a CloudFormation resource expression symbolically; an `!If` (the secret's ARN) becomes `arn:Secret`. */
export function symbolicArn(expression: unknown): string {
  if (typeof expression === 'string') return expression;
  const value = expression as Record<string, unknown>;
  if (Array.isArray(value['Fn::GetAtt'])) {
    const [id, attribute] = value['Fn::GetAtt'] as string[];
    if (attribute === 'Arn') return `arn:${id}`;
  }
  if (typeof value['Fn::Sub'] === 'string') {
    return (value['Fn::Sub'] as string).replace(/\$\{(\w+)\.Arn\}/g, (_, id: string) => `arn:${id}`);
  }
  if (value['Fn::If']) return 'arn:Secret';
  throw new Error(`Cannot read the resource ${JSON.stringify(expression)}`);
}

/** The Allow statements of the role of function `functionId` in `template`. */
export function roleStatementsOf(template: Template, functionId: string): RoleStatement[] {
  const role = (template.Resources[functionId]?.Properties.Role as { 'Fn::GetAtt'?: string[] } | undefined)?.[
    'Fn::GetAtt'
  ]?.[0];
  const policies = role ? template.Resources[role]?.Properties.Policies : undefined;
  if (!Array.isArray(policies)) throw new Error(`${functionId} has no role of its own with inline policies`);
  return policies
    .flatMap((policy) => policy.PolicyDocument.Statement as Record<string, unknown>[])
    .map((statement) => {
      if (statement.Effect !== 'Allow') throw new Error(`Only Allow statements are evaluated: ${role}`);
      return {
        actions: [statement.Action as string | string[]].flat(),
        resources: [statement.Resource].flat().map(symbolicArn),
        ...(statement.Condition ? { condition: statement.Condition as RoleStatement['condition'] } : {}),
      };
    });
}

// IAM's wildcards: `*` any run of characters, `?` any one.
const likes = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  ).test(value);

function conditionHolds(condition: RoleStatement['condition'], request: AccessRequest): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, patterns] of Object.entries(keys)) {
      if (operator !== 'ForAllValues:StringLike' || key !== 'dynamodb:LeadingKeys') {
        throw new Error(`The evaluator does not know the condition ${operator} ${key}`);
      }
      // ForAllValues holds for an empty set: a request with no partition key (a Scan) passes it.
      const values = request.leadingKeys ?? [];
      if (!values.every((value) => [patterns].flat().some((pattern) => likes(pattern, value)))) return false;
    }
  }
  return true;
}

/** Whether one of `statements` allows `request`. */
export function allows(statements: RoleStatement[], request: AccessRequest): boolean {
  return statements.some(
    (statement) =>
      statement.actions.some((action) => likes(action, request.action)) &&
      statement.resources.some((resource) => likes(resource, request.resource)) &&
      conditionHolds(statement.condition, request),
  );
}

type Wire = Record<string, { S?: string } | undefined>;

/** The partition key attribute of the table (`pk`) or of the index `indexName`, as the template declares it. */
function partitionKeyOf(template: Template, indexName: string | undefined): string {
  const table = template.Resources.StateTable!.Properties;
  const schema = indexName
    ? (table.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).find(
        (index) => index.IndexName === indexName,
      )?.KeySchema
    : table.KeySchema;
  const hash = (schema as { AttributeName: string; KeyType: string }[] | undefined)?.find(
    (key) => key.KeyType === 'HASH',
  );
  if (!hash) throw new Error(`No index ${indexName} on the state table`);
  return hash.AttributeName;
}

/** The partition key value a Query's key condition names (`#pk = :pk`), resolved through its names and values. */
function queriedPartition(input: Record<string, unknown>, attribute: string): string {
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Wire;
  for (const part of String(input.KeyConditionExpression).split(/\s+AND\s+/i)) {
    const match = /^\s*\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?\s*$/.exec(part);
    if (match && (names[match[1]!] ?? match[1]) === attribute) return values[match[2]!]!.S!;
  }
  throw new Error(`No equality on ${attribute} in ${String(input.KeyConditionExpression)}`);
}

/** What AWS authorises for one recorded call; throws for an operation the evaluator does not know yet. */
export function accessOf(template: Template, call: AwsCall, workerName: string): AccessRequest {
  const { input } = call;
  if (call.client === 'LambdaClient' && call.operation === 'Invoke') {
    // The harness names its worker differently from the stack; any other function name is no function of ours.
    const resource = input.FunctionName === workerName ? 'arn:WorkerLambdaFunction' : String(input.FunctionName);
    return { action: 'lambda:InvokeFunction', resource };
  }
  if (call.client !== 'DynamoDBClient') throw new Error(`No access rule for ${call.client}.${call.operation}`);
  const action = `dynamodb:${call.operation}`;
  const table = 'arn:StateTable';
  const key = (item: unknown) => (item as Wire)[partitionKeyOf(template, undefined)]!.S!;
  switch (call.operation) {
    case 'GetItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return { action, resource: table, leadingKeys: [key(input.Key)] };
    case 'PutItem':
      return { action, resource: table, leadingKeys: [key(input.Item)] };
    case 'Query': {
      const index = input.IndexName as string | undefined;
      const partition = queriedPartition(input, partitionKeyOf(template, index));
      return { action, resource: index ? `${table}/index/${index}` : table, leadingKeys: [partition] };
    }
    case 'Scan':
      return { action, resource: input.IndexName ? `${table}/index/${input.IndexName}` : table };
    default:
      throw new Error(`The evaluator does not know dynamodb:${call.operation}; teach it before using it`);
  }
}
