import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';

/**
 * Exact counters per unit and plan (SPEC §5: the nightly report reads only
 * these). Every change to what they count updates them in the same
 * transaction. They are sharded: a writer picks a shard, a reader sums all.
 */
export const COUNTER_SHARDS = 8;

export interface UnitPlanCounts {
  enrolled: number;
  contributionsFen: number;
}

/** The ADD clause a transaction item uses to move a unit's counters. */
export const counterUpdate = (tableName: string, unitId: string, planId: string, shard: number, delta: UnitPlanCounts) => ({
  Update: {
    TableName: tableName,
    Key: keys.unitPlanCounter(unitId, planId, shard % COUNTER_SHARDS),
    UpdateExpression: 'SET entity = :e, unitId = :u, planId = :p ADD enrolled :n, contributionsFen :c',
    ExpressionAttributeValues: { ':e': 'counter', ':u': unitId, ':p': planId, ':n': delta.enrolled, ':c': delta.contributionsFen },
  },
});

export const readUnitPlanCounts = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  unitId: string,
  planId: string,
): Promise<UnitPlanCounts> => {
  const r = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': keys.org(unitId).pk, ':sk': keys.unitPlanCounterPrefix(planId) },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).reduce<UnitPlanCounts>(
    (acc, i) => ({
      enrolled: acc.enrolled + Number(i.enrolled ?? 0),
      contributionsFen: acc.contributionsFen + Number(i.contributionsFen ?? 0),
    }),
    { enrolled: 0, contributionsFen: 0 },
  );
};
