import { BatchWriteCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { COUNTER_SHARDS, counterUpdate, readUnitPlanCounts } from '../shared/store/counters';
import { ROWS_PER_TRANSACTION, type EnrolmentRecord } from '../shared/store/enrolments';
import type { Member } from './fixtures';
import type { Client } from './http';
import { rowItems } from './records';
import { chunk, pool } from './stats';

export interface ApiEnrolResult {
  rows: number;
  wallMs: number;
  rowsPerSec: number;
  requestMs: number[];
}

/** POSTs the roster as sequential requests of `perRequest` rows; checks every row was accepted and the counters add up. */
export const enrolViaApi = async (opts: {
  http: Client;
  db: DynamoDBDocumentClient;
  tableName: string;
  token: string;
  unitId: string;
  planId: string;
  people: Member[];
  perRequest: number;
  contributionPerShareFen: number;
}): Promise<ApiEnrolResult> => {
  const requestMs: number[] = [];
  const t0 = performance.now();
  for (const part of chunk(opts.people, opts.perRequest)) {
    const s = performance.now();
    const r = await opts.http.json<{ accepted: number; rejected: unknown[] }>('POST', `/units/${opts.unitId}/enrolments`, opts.token, {
      planId: opts.planId,
      members: part,
    });
    requestMs.push(performance.now() - s);
    if (r.accepted !== part.length || r.rejected.length !== 0) {
      throw new Error(`enrolment request accepted ${r.accepted}/${part.length}; first rejections: ${JSON.stringify(r.rejected.slice(0, 3))}`);
    }
  }
  const wallMs = performance.now() - t0;

  const counts = await readUnitPlanCounts(opts.db, opts.tableName, opts.unitId, opts.planId);
  const expectedFen = opts.people.reduce((s, m) => s + m.shares * opts.contributionPerShareFen, 0);
  if (counts.enrolled !== opts.people.length || counts.contributionsFen !== expectedFen) {
    throw new Error(
      `COUNTERS WRONG after the API run: enrolled ${counts.enrolled} (expected ${opts.people.length}), ` +
        `contributionsFen ${counts.contributionsFen} (expected ${expectedFen})`,
    );
  }
  return { rows: opts.people.length, wallMs, rowsPerSec: (opts.people.length / wallMs) * 1000, requestMs };
};

export interface RawResult {
  method: string;
  rows: number;
  items: number;
  requests: number;
  concurrency: number;
  wallMs: number;
  rowsPerSec: number;
}

/** (a) Unconditional BatchWriteItem, 25 items a call (no uniqueness guarantee), plus one counter update. */
export const rawBatchWrite = async (db: DynamoDBDocumentClient, tableName: string, records: EnrolmentRecord[], concurrency: number): Promise<RawResult> => {
  const items = records.flatMap((e) => {
    const r = rowItems(e);
    return [r.person, r.enrolment];
  });
  const batches = chunk(items, 25);
  let requests = 0;
  const t0 = performance.now();
  await pool(batches, concurrency, async (batch) => {
    let pending: Record<string, any>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
      requests++;
      const r = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = r.UnprocessedItems?.[tableName];
      if (pending?.length) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
    }
  });
  const first = records[0]!;
  const c = counterUpdate(tableName, first.unitId, first.planId, 0, {
    enrolled: records.length,
    contributionsFen: records.reduce((s, e) => s + e.contributionFen, 0),
  }).Update;
  await db.send(new UpdateCommand(c));
  requests++;
  const wallMs = performance.now() - t0;
  return { method: 'BatchWriteItem ×25 items', rows: records.length, items: items.length + 1, requests, concurrency, wallMs, rowsPerSec: (records.length / wallMs) * 1000 };
};

/** (b) The app's write shape without the app: 49 rows ×2 conditional puts + 1 counter per TransactWriteItems. */
export const rawTransactWrite = async (db: DynamoDBDocumentClient, tableName: string, records: EnrolmentRecord[], concurrency: number): Promise<RawResult> => {
  const chunks = chunk(records, ROWS_PER_TRANSACTION);
  const t0 = performance.now();
  await pool(chunks, concurrency, async (rows, i) => {
    const TransactItems = [
      ...rows.flatMap((e) => {
        const r = rowItems(e);
        return [
          { Put: { TableName: tableName, Item: r.person, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: tableName, Item: r.enrolment, ConditionExpression: 'attribute_not_exists(pk)' } },
        ];
      }),
      counterUpdate(tableName, rows[0]!.unitId, rows[0]!.planId, i % COUNTER_SHARDS, {
        enrolled: rows.length,
        contributionsFen: rows.reduce((s, e) => s + e.contributionFen, 0),
      }),
    ];
    await db.send(new TransactWriteCommand({ TransactItems }));
  });
  const wallMs = performance.now() - t0;
  return {
    method: `TransactWriteItems ×${ROWS_PER_TRANSACTION * 2 + 1} items`,
    rows: records.length,
    items: records.length * 2 + chunks.length,
    requests: chunks.length,
    concurrency,
    wallMs,
    rowsPerSec: (records.length / wallMs) * 1000,
  };
};
