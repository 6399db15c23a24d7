import { PutCommand } from '@aws-sdk/lib-dynamodb';
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
    /** Replaces the date's index (a re-run replaces the report). */
    putIndex: (r: ReportIndexRecord) =>
      put(itemOf(keys.reportIndex(r.date), { entity: 'reportIndex', gsi1pk: keys.reportList, gsi1sk: r.date, ...r })),

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
