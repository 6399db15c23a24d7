import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  TransactWriteCommand,
  UpdateCommand,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { COUNTER_SHARDS, type CountedUnit, counterDay, readUnitPlanCounters, unitPlanCounterAdd } from '../shared/store/counters';
import { enrolmentRepo, ROWS_PER_TRANSACTION, type EnrolmentRecord } from '../shared/store/enrolments';
import { add, since, snapshot, ZERO, type CpuSnapshot } from './cpu';
import { enrolmentCounterDelta } from '../shared/domain/enrolment';
import { BENCH_FUNDING, type Member } from './fixtures';
import type { Client } from './http';
import { benchStore, rowItems } from './records';
import { chunk, pool } from './stats';

export type WriterName = 'api' | 'repo' | 'batch' | 'tx' | 'txread';

/** Every writer's result; `txread` only in a renewal run (it needs predecessors to look up). */
export type EnrolResults = Record<Exclude<WriterName, 'txread'>, WriterResult> & { txread?: WriterResult };

export interface WriterResult {
  name: WriterName;
  label: string;
  rows: number;
  calls: number;
  concurrency: number;
  cpu: CpuSnapshot;
  rowsPerSec: number;
  /** Wall time of each 5,000-row segment (for the API: each request). */
  segmentMs: number[];
}

/** One roster request through the gateway; every row must be accepted. Returns the number of HTTP calls. */
const viaApi = (http: Client, token: string, unitId: string, planId: string) => async (part: Member[]) => {
  const r = await http.json<{ accepted: number; rejected: unknown[] }>('POST', `/units/${unitId}/enrolments`, token, {
    planId,
    members: part,
    funding: BENCH_FUNDING,
  });
  if (r.accepted !== part.length || r.rejected.length !== 0) {
    throw new Error(`enrolment request accepted ${r.accepted}/${part.length}; first rejections: ${JSON.stringify(r.rejected.slice(0, 3))}`);
  }
  return 1;
};

/** The app's own write path (enrolmentRepo.enrolMany, default concurrency) on prepared records: no HTTP, no judging, no crypto. */
const viaRepo = (db: DynamoDBDocumentClient, tableName: string, unit: CountedUnit) => async (records: EnrolmentRecord[]) => {
  const r = await enrolmentRepo(benchStore(db, tableName)).enrolMany(unit, records);
  if (r.written.length !== records.length) throw new Error(`enrolMany wrote ${r.written.length}/${records.length}`);
  return Math.ceil(records.length / ROWS_PER_TRANSACTION);
};

/** (a) Unconditional BatchWriteItem, 25 items a call (no uniqueness guarantee), then one counter update. */
const rawBatch =
  (db: DynamoDBDocumentClient, tableName: string, concurrency: number, unit: CountedUnit) => async (records: EnrolmentRecord[]) => {
    let calls = 0;
    const items = records.flatMap((e) => Object.values(rowItems(e)));
    await pool(chunk(items, 25), concurrency, async (batch) => {
      let pending: Record<string, any>[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items');
        calls++;
        const r: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = r.UnprocessedItems?.[tableName];
        if (pending?.length) await new Promise((res) => setTimeout(res, 20 * 2 ** attempt));
      }
    });
    // The same counter move as the app's (payer split, shares new / renewing): a fair baseline.
    const delta = enrolmentCounterDelta(records, 1);
    await db.send(
      new UpdateCommand(unitPlanCounterAdd(tableName, unit, records[0]!.planId, counterDay(records[0]!.createdAt), 0, delta).Update!),
    );
    return calls + 1;
  };

/**
 * (b) What the app writes, without the app: 99 conditional puts + 1 counter per TransactWriteItems.
 * With `lookUp`, each chunk first reads what a renewal check reads for its rows (see rawLookUp).
 */
export const rawTransact =
  (
    db: DynamoDBDocumentClient,
    tableName: string,
    concurrency: number,
    unit: CountedUnit,
    lookUp?: (rows: EnrolmentRecord[]) => Promise<number>,
  ) =>
  async (records: EnrolmentRecord[]) => {
    const chunks = chunk(records, ROWS_PER_TRANSACTION);
    let reads = 0;
    await pool(chunks, concurrency, async (rows, i) => {
      if (lookUp) reads += await lookUp(rows);
      const puts = rows.flatMap((e) =>
        Object.values(rowItems(e)).map((Item) => ({
          Put: { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' },
        })),
      );
      const delta = enrolmentCounterDelta(rows, 1);
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            ...puts,
            unitPlanCounterAdd(tableName, unit, rows[0]!.planId, counterDay(rows[0]!.createdAt), i % COUNTER_SHARDS, delta),
          ],
        }),
      );
    });
    return chunks.length + reads;
  };

/**
 * (c) The renewal check without the app: one BatchGetItem per chunk of the predecessor enrolment keys of its rows
 * (`predecessorOf` gives each row's), projected as the app's look-up is. Returns the calls made.
 */
export const rawLookUp =
  (db: DynamoDBDocumentClient, tableName: string, predecessorOf: (e: EnrolmentRecord) => string) =>
  async (rows: EnrolmentRecord[]): Promise<number> => {
    let calls = 0;
    let request: Record<string, any> | undefined = {
      [tableName]: {
        Keys: rows.map((e) => ({ pk: `ENR#${predecessorOf(e)}`, sk: 'ENR' })),
        ProjectionExpression: 'enrolmentId, unitId, #src, #status',
        ExpressionAttributeNames: { '#src': 'source', '#status': 'status' },
      },
    };
    while (request && Object.keys(request).length > 0) {
      calls++;
      const r: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: request }));
      request = r.UnprocessedKeys;
    }
    return calls;
  };

/**
 * The API run (sequential requests of `perRequest` rows), the app's write
 * path alone, and the two raw writers, each on its own plan and people,
 * measured in interleaved rounds (API → repo → tx → batch, then reversed) so that none of them gets a
 * warmer JVM or an emptier table than the others. Checks the API's counters.
 */
export const enrolmentBench = async (opts: {
  http: Client;
  db: DynamoDBDocumentClient;
  tableName: string;
  token: string;
  unitId: string;
  /** The unit's path from the root (counter items carry it for subtree reads). */
  unitPath: string[];
  planId: string;
  contributionPerShareFen: number;
  people: Member[];
  batchRecords: EnrolmentRecord[];
  txRecords: EnrolmentRecord[];
  repoRecords: EnrolmentRecord[];
  /** Issue 15: rows for raw look-up + transactions, with each row's predecessor enrolment id (some exist). */
  txReadRecords?: { records: EnrolmentRecord[]; predecessorOf: (e: EnrolmentRecord) => string };
  perRequest: number;
  concurrency: number;
  jvmPid: number | undefined;
  /** Issue 15: which of `people` renew (enrolled in the plan's predecessor beforehand), and at what price a share. */
  renewing?: { renews: (i: number) => boolean; renewalContributionPerShareFen: number };
}): Promise<EnrolResults> => {
  const c = opts.concurrency;
  const unit = { id: opts.unitId, path: opts.unitPath };
  const writers = {
    api: {
      label: `API (judge, HMAC, seal, ${ROWS_PER_TRANSACTION}-row transactions)`,
      data: opts.people,
      write: viaApi(opts.http, opts.token, opts.unitId, opts.planId),
    },
    repo: {
      label: 'app write path only (enrolMany on prepared rows)',
      data: opts.repoRecords,
      write: viaRepo(opts.db, opts.tableName, unit),
    },
    tx: {
      label: `raw TransactWriteItems ×${ROWS_PER_TRANSACTION + 1} items`,
      data: opts.txRecords,
      write: rawTransact(opts.db, opts.tableName, c, unit),
    },
    batch: { label: 'raw BatchWriteItem ×25 items', data: opts.batchRecords, write: rawBatch(opts.db, opts.tableName, c, unit) },
    ...(opts.txReadRecords
      ? {
          txread: {
            label: `raw BatchGetItem of the predecessor keys + TransactWriteItems ×${ROWS_PER_TRANSACTION + 1} items`,
            data: opts.txReadRecords.records,
            write: rawTransact(opts.db, opts.tableName, c, unit, rawLookUp(opts.db, opts.tableName, opts.txReadRecords.predecessorOf)),
          },
        }
      : {}),
  };
  const out = Object.fromEntries(
    Object.entries(writers).map(([n, w]) => [
      n,
      { name: n as WriterName, label: w.label, rows: 0, calls: 0, concurrency: c, cpu: ZERO, rowsPerSec: 0, segmentMs: [] as number[] },
    ]),
  ) as EnrolResults;
  const rounds = Math.ceil(opts.people.length / opts.perRequest);
  for (let round = 0; round < rounds; round++) {
    const forward: WriterName[] = ['api', 'repo', 'tx', ...(opts.txReadRecords ? (['txread'] as const) : []), 'batch'];
    const order = round % 2 === 0 ? forward : [...forward].reverse();
    for (const name of order) {
      const w = (writers as Record<string, { data: unknown; write: unknown }>)[name]!;
      const part = (w.data as unknown[]).slice(round * opts.perRequest, (round + 1) * opts.perRequest);
      const before = snapshot(opts.jvmPid);
      const calls = await (w.write as (p: unknown[]) => Promise<number>)(part);
      const cost = since(before, opts.jvmPid);
      const o = out[name]!;
      Object.assign(o, { rows: o.rows + part.length, calls: o.calls + calls, cpu: add(o.cpu, cost) });
      o.segmentMs.push(cost.wallMs);
      console.log(`  round ${round + 1} ${name}: ${part.length} rows in ${(cost.wallMs / 1000).toFixed(2)} s`);
    }
  }
  for (const o of Object.values(out)) o.rowsPerSec = (o.rows / o.cpu.wallMs) * 1000;

  const counts = await readUnitPlanCounters(benchStore(opts.db, opts.tableName), opts.unitId, opts.planId);
  const renewal = (i: number) => opts.renewing?.renews(i) ?? false;
  const perShare = (i: number) => (renewal(i) ? opts.renewing!.renewalContributionPerShareFen : opts.contributionPerShareFen);
  const expectedFen = opts.people.reduce((s, m, i) => s + m.shares * perShare(i), 0);
  const shares = opts.people.reduce((s, m) => s + m.shares, 0);
  const renewingShares = opts.people.reduce((s, m, i) => s + (renewal(i) ? m.shares : 0), 0);
  const expectedAdministrationFen = shares * BENCH_FUNDING.administrationPerShareFen;
  const expectedWorkerFen = expectedFen - shares * (BENCH_FUNDING.administrationPerShareFen + BENCH_FUNDING.unionPerShareFen);
  if (
    counts.enrolled !== opts.people.length ||
    counts.contributionsFen !== expectedFen ||
    counts.contributionsAdministrationFen !== expectedAdministrationFen ||
    counts.contributionsWorkerFen !== expectedWorkerFen ||
    counts.sharesNew !== shares - renewingShares ||
    counts.sharesRenewal !== renewingShares
  ) {
    throw new Error(
      `COUNTERS WRONG after the API run: enrolled ${counts.enrolled} (expected ${opts.people.length}), ` +
        `contributionsFen ${counts.contributionsFen} (expected ${expectedFen}), ` +
        `contributionsAdministrationFen ${counts.contributionsAdministrationFen} (expected ${expectedAdministrationFen}), ` +
        `contributionsWorkerFen ${counts.contributionsWorkerFen} (expected ${expectedWorkerFen}), ` +
        `sharesNew ${counts.sharesNew} (expected ${shares - renewingShares}), sharesRenewal ${counts.sharesRenewal} (expected ${renewingShares})`,
    );
  }
  return out;
};
