import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getRecord } from './items';
import { keys } from './keys';

export interface TargetRecord {
  orgId: string;
  year: number;
  enrolmentTarget: number;
  contributionTargetFen: number | null;
  setBy: string;
  updatedAt: string;
}

export const targetRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  get: (orgId: string, year: number) => getRecord<TargetRecord>(db, tableName, keys.target(orgId, year)),
  /** Upsert: a target is replaced as a whole (PUT semantics). */
  async put(t: TargetRecord): Promise<void> {
    await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.target(t.orgId, t.year), entity: 'target', ...t } }));
  },
});

export type TargetRepo = ReturnType<typeof targetRepo>;
