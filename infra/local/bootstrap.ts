import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { makeDocClient } from '../../shared/store/client';
import { orgRepo } from '../../shared/store/orgs';
import { tableDefinition } from '../../shared/store/table';

/** Creates the table from the shared definition unless it exists. */
export const ensureTable = async (ddb: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> => {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existed';
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const t = tableDefinition;
  const attrs = new Set<string>([t.partitionKey, t.sortKey]);
  for (const g of t.globalSecondaryIndexes) attrs.add(g.partitionKey).add(g.sortKey);
  await ddb.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' })),
      KeySchema: [
        { AttributeName: t.partitionKey, KeyType: 'HASH' },
        { AttributeName: t.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: t.globalSecondaryIndexes.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  // DynamoDB Local accepts the TTL setting but never expires items; code compares expiresAt itself.
  await ddb.send(
    new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true } }),
  );
  return 'created';
};

/** Table + root org: what a fresh local store needs before the API is useful. */
export const bootstrapStore = async (ddb: DynamoDBClient, tableName: string, rootOrgId: string, now: Date) => {
  const table = await ensureTable(ddb, tableName);
  await orgRepo(makeDocClient(ddb), tableName).ensureRoot(rootOrgId, now.toISOString());
  return { table };
};
