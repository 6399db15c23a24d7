import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { makeDocClient } from '../../shared/store/client';
import { orgRepo } from '../../shared/store/orgs';
import { keySchemaOf, tableDefinition } from '../../shared/store/table';

/** Creates the table from the shared definition unless it exists. */
export const ensureTable = async (ddb: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> => {
  try {
    await ddb.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existed';
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  await ddb.send(new CreateTableCommand({ TableName: tableName, BillingMode: 'PAY_PER_REQUEST', ...keySchemaOf() }));
  // DynamoDB Local accepts the TTL setting but never expires items; code compares expiresAt itself.
  await ddb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableDefinition.ttlAttribute, Enabled: true },
    }),
  );
  return 'created';
};

/**
 * Table + root org: what a fresh local store needs before the API is useful. The name is the root's when it
 * is created; an existing root keeps its name (PATCH /orgs/{root} renames it).
 */
export const bootstrapStore = async (ddb: DynamoDBClient, tableName: string, rootOrgId: string, now: Date, rootOrgName?: string) => {
  const table = await ensureTable(ddb, tableName);
  // Creating the root needs no cursors; a codec that refuses is enough.
  const cursors = { encode: async () => null, decode: async () => undefined, seal: async () => '', open: async () => undefined };
  await orgRepo({ db: makeDocClient(ddb), tableName, cursors }).ensureRoot(rootOrgId, now.toISOString(), rootOrgName);
  return { table };
};
