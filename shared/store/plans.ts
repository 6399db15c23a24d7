import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Plan } from '../domain/plan';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionalCheckFailed } from './errors';
import { keys, stripKeys } from './keys';
import type { Page } from './orgs';

export interface PlanRecord extends Omit<Plan, 'predecessorPlanId'> {
  predecessorPlanId: string | null;
  createdAt: string;
  createdBy: string;
}

export class PlanAlreadyExists extends Error {
  override name = 'PlanAlreadyExists';
}

const fromItem = (item: Record<string, unknown>) => stripKeys(item) as unknown as PlanRecord;

export const planRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(id: string): Promise<PlanRecord | undefined> {
    const r = await db.send(new GetCommand({ TableName: tableName, Key: keys.plan(id) }));
    return r.Item ? fromItem(r.Item) : undefined;
  },

  /** Plans are immutable: a second create with the same id is refused (PlanAlreadyExists). */
  async create(p: PlanRecord): Promise<void> {
    try {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.plan(p.id), gsi1pk: keys.planList, gsi1sk: keys.planListSort(p.coverageStart, p.id), entity: 'plan', ...p },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (e) {
      if (isConditionalCheckFailed(e)) throw new PlanAlreadyExists(p.id);
      throw e;
    }
  },

  /** Newest coverage first. */
  async list(limit: number, cursor?: string): Promise<Page<PlanRecord>> {
    const r = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.planList },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { attribute: 'gsi1pk', value: keys.planList }),
      }),
    );
    return { items: (r.Items ?? []).map(fromItem), nextCursor: encodeCursor(r.LastEvaluatedKey) };
  },
});

export type PlanRepo = ReturnType<typeof planRepo>;
