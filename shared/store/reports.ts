import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed, ReportLocked } from './errors';
import { getRecord, queryPage, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';

/**
 * Where the nightly reports are (SPEC §5). The report itself lives in S3;
 * the table holds one small index item per date (what GET /reports lists)
 * and one marker per org cut already written, so a cut is rendered once per
 * generated report and reused until that date is re-run.
 */
export interface ReportFiles {
  json: string;
  csv: string;
  html: string;
}

export interface ReportIndexRecord {
  date: string;
  generatedAt: string;
  asOf: string;
  /** The org the stored report is rooted at (the configured root). */
  rootOrgId: string;
  planIds: string[];
  nodes: number;
  /** S3 keys of the whole-tree files. */
  files: ReportFiles;
  /** Set by lockReport once an evaluation is computed from the report (SPEC §5 REPORT_LOCKED). */
  locked?: boolean;
  lockedBy?: string;
  lockedAt?: string;
}

export interface ReportCutRecord {
  date: string;
  orgId: string;
  /** generatedAt of the report the cut was made from: a re-run makes the cut stale. */
  generatedAt: string;
  files: ReportFiles;
}

const decodeIndex = inOrder<ReportIndexRecord>(['date', 'generatedAt', 'asOf', 'rootOrgId', 'planIds', 'nodes', 'files']);
const decodeCut = inOrder<ReportCutRecord>(['date', 'orgId', 'generatedAt', 'files']);
const listItem = inOrder<Pick<ReportIndexRecord, 'date' | 'generatedAt' | 'asOf'>>(['date', 'generatedAt', 'asOf']);

export const reportRepo = (ctx: StoreContext) => {
  const put = (item: Record<string, unknown>) => ctx.db.send(new PutCommand({ TableName: ctx.tableName, Item: item }));
  return {
    /** Replaces the date's index (a re-run replaces the report), unless the report is locked: then ReportLocked. */
    putIndex: async (r: ReportIndexRecord) => {
      try {
        await ctx.db.send(
          new PutCommand({
            TableName: ctx.tableName,
            Item: itemOf(keys.reportIndex(r.date), { entity: 'reportIndex', gsi1pk: keys.reportList, gsi1sk: r.date, ...r }),
            ConditionExpression: 'attribute_not_exists(#locked)',
            ExpressionAttributeNames: { '#locked': 'locked' },
          }),
        );
      } catch (e) {
        if (isConditionalCheckFailed(e)) throw new ReportLocked(r.date, { cause: e });
        throw e;
      }
    },

    /**
     * Locks the date's report: from now on a re-run (nightly job, CLI, on demand) is refused with
     * ReportLocked (409 REPORT_LOCKED). What an evaluation calls once it is computed from the report.
     * Idempotent (the first lock's who/when are kept); undefined when the date has no report.
     */
    lockReport: async (date: string, by: string, at: string): Promise<ReportIndexRecord | undefined> => {
      try {
        const r = await ctx.db.send(
          new UpdateCommand({
            TableName: ctx.tableName,
            Key: keys.reportIndex(date),
            UpdateExpression: 'SET #locked = :t, lockedBy = if_not_exists(lockedBy, :by), lockedAt = if_not_exists(lockedAt, :at)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#locked': 'locked' },
            ExpressionAttributeValues: { ':t': true, ':by': by, ':at': at },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return decodeIndex(r.Attributes!);
      } catch (e) {
        if (isConditionalCheckFailed(e)) return undefined;
        throw e;
      }
    },

    getIndex: (date: string, consistent = false) => getRecord(ctx, keys.reportIndex(date), decodeIndex, consistent),

    /** Report dates, newest first: only the fields a list shows (the file keys stay server-side). */
    list: async (limit: number, cursor?: string) => {
      const page = await queryPage(ctx, { index: 'gsi1', partition: keys.reportList, limit, cursor, newestFirst: true }, decodeIndex);
      return {
        items: page.items.map((i) => listItem({ date: i.date, generatedAt: i.generatedAt, asOf: i.asOf })),
        nextCursor: page.nextCursor,
      };
    },

    getCut: (date: string, orgId: string) => getRecord(ctx, keys.reportCut(date, orgId), decodeCut, true),

    putCut: (r: ReportCutRecord) => put(itemOf(keys.reportCut(r.date, r.orgId), { entity: 'reportCut', ...r })),
  };
};

export type ReportRepo = ReturnType<typeof reportRepo>;
