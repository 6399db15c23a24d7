import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { getRecord, queryAll, type StoreContext } from './items';
import { keys, itemOf } from './keys';

export interface TargetRecord {
  orgId: string;
  year: number;
  enrolmentTarget: number;
  contributionTargetFen: number | null;
  setBy: string;
  updatedAt: string;
}

/** Item → target, fields in a stable order. */
const fromItem = (i: Record<string, unknown>): TargetRecord => ({
  orgId: i.orgId as string,
  year: i.year as number,
  enrolmentTarget: i.enrolmentTarget as number,
  contributionTargetFen: (i.contributionTargetFen as number | null) ?? null,
  setBy: i.setBy as string,
  updatedAt: i.updatedAt as string,
});

export const targetRepo = (ctx: StoreContext) => ({
  get: (orgId: string, year: number) => getRecord(ctx, keys.target(orgId, year), fromItem),
  /** Upsert: a target is replaced as a whole (PUT semantics). Indexed by year (gsi1) for the report. */
  async put(t: TargetRecord): Promise<void> {
    await ctx.db.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: itemOf(keys.target(t.orgId, t.year), { entity: 'target', gsi1pk: keys.targetsOfYear(t.year), gsi1sk: t.orgId, ...t }),
      }),
    );
  },
  /** Every org's target for a year (one paginated Query; grows with org nodes). */
  ofYear: async (year: number): Promise<TargetRecord[]> =>
    (await queryAll(ctx, { index: 'gsi1', partition: keys.targetsOfYear(year) })).map(fromItem),
});

export type TargetRepo = ReturnType<typeof targetRepo>;
