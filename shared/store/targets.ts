import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys, stripKeys } from './keys';

export interface TargetRecord {
  orgId: string;
  year: number;
  enrolmentTarget: number;
  contributionTargetFen: number | null;
  setBy: string;
  updatedAt: string;
}

export const targetRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(orgId: string, year: number): Promise<TargetRecord | undefined> {
    const r = await db.send(new GetCommand({ TableName: tableName, Key: keys.target(orgId, year) }));
    return r.Item ? (stripKeys(r.Item) as unknown as TargetRecord) : undefined;
  },
  /** Upsert: a target is replaced as a whole (PUT semantics). */
  async put(t: TargetRecord): Promise<void> {
    await db.send(new PutCommand({ TableName: tableName, Item: { ...keys.target(t.orgId, t.year), entity: 'target', ...t } }));
  },
});

export type TargetRepo = ReturnType<typeof targetRepo>;
