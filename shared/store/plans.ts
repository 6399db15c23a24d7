import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Plan } from '../domain/plan';
import { getRecord, putNew, queryPage } from './items';
import { keys } from './keys';

export interface PlanRecord extends Plan {
  predecessorPlanId: string | null;
  createdAt: string;
  createdBy: string;
}

export const planRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  get: (id: string) => getRecord<PlanRecord>(db, tableName, keys.plan(id)),

  /** Plans are immutable: a second create with the same id is refused (AlreadyExists). */
  create: (p: PlanRecord) =>
    putNew(
      db,
      tableName,
      { ...keys.plan(p.id), gsi1pk: keys.planList, gsi1sk: keys.planListSort(p.coverageStart, p.id), entity: 'plan', ...p },
      { entity: 'plan', id: p.id },
    ),

  /** Newest coverage first. */
  list: (limit: number, cursor?: string) =>
    queryPage<PlanRecord>(db, tableName, { partition: keys.planList, limit, cursor, newestFirst: true }),
});

export type PlanRepo = ReturnType<typeof planRepo>;
