/**
 * Investigation tool (not part of `npm run bench`): `npx tsx bench/sweep.ts`.
 * On a fresh in-memory DynamoDB Local only, writes the same enrolment items in
 * several shapes and concurrencies to show what DynamoDB Local charges for
 * each, and what alternative write designs would gain. Bounded: 5,000 rows a variant.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, TransactWriteCommand, type BatchWriteCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ensureTable } from '../infra/local/bootstrap';
import { freePort, startDynamo } from '../infra/local/emulators';
import type { Plan } from '../shared/domain/plan';
import { shanghaiToday } from '../shared/domain/dates';
import { localKeySource } from '../shared/pii/localKeys';
import { makeVault } from '../shared/pii/vault';
import { makeDocClient, makeDynamoClient } from '../shared/store/client';
import { counterUpdate } from '../shared/store/counters';
import type { EnrolmentRecord } from '../shared/store/enrolments';
import { findJvm, since, snapshot } from './cpu';
import { members, openPlanBody } from './fixtures';
import { buildRecords, rowItems } from './records';
import { chunk, fmt, pool, withTimeout } from './stats';

const ROWS = 5_000;
const TABLE = 'huzhu-sweep';
type Item = Record<string, unknown>;
/** cond: conditional puts in the transaction; uncond: unconditional puts in it; plain: written by batch afterwards. */
type Shape = (r: EnrolmentRecord) => { cond: Item[]; uncond?: Item[]; plain: Item[] };

const appShape: Shape = (r) => ({ cond: Object.values(rowItems(r)), plain: [] });
/** One item a row: the enrolment lives under the person/plan key (the lock is the enrolment). */
const mergedShape: Shape = (r) => {
  const { person, enrolment } = rowItems(r);
  return { cond: [{ ...enrolment, pk: person.pk, sk: person.sk }], plain: [] };
};
/** Locks in transactions, enrolments by batch (no longer all-or-nothing per row). */
const splitShape: Shape = (r) => {
  const { person, enrolment } = rowItems(r);
  return { cond: [person], plain: [enrolment] };
};
/** The app's two items, but only the person lock carries a condition (the enrolment id is a fresh ULID). */
const lockOnlyShape: Shape = (r) => {
  const { person, enrolment } = rowItems(r);
  return { cond: [person], uncond: [enrolment], plain: [] };
};
const noGsiShape: Shape = (r) => {
  const { person, enrolment } = rowItems(r);
  const { gsi1pk: _a, gsi1sk: _b, ...rest } = enrolment;
  return { cond: [], plain: [person, rest] };
};

const batchWrite = async (db: DynamoDBDocumentClient, items: Item[], concurrency: number) =>
  pool(chunk(items, 25), concurrency, async (b) => {
    let pending: Record<string, any>[] | undefined = b.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 8) throw new Error('unprocessed items');
      const r: BatchWriteCommandOutput = await db.send(new BatchWriteCommand({ RequestItems: { [TABLE]: pending } }));
      pending = r.UnprocessedItems?.[TABLE];
    }
  });

const write = async (db: DynamoDBDocumentClient, records: EnrolmentRecord[], shape: Shape, rowsPerTx: number, concurrency: number, txOnly: boolean) => {
  const shaped = records.map(shape);
  if (txOnly) {
    await pool(chunk(shaped, rowsPerTx), concurrency, async (rows, i) => {
      const puts = rows.flatMap((r) => [
        ...r.cond.map((Item) => ({ Put: { TableName: TABLE, Item, ConditionExpression: 'attribute_not_exists(pk)' } })),
        ...(r.uncond ?? []).map((Item) => ({ Put: { TableName: TABLE, Item } })),
      ]);
      const first = records[0]!;
      await db.send(new TransactWriteCommand({ TransactItems: [...puts, counterUpdate(TABLE, first.unitId, first.planId, i, { enrolled: rows.length, contributionsFen: 0 })] }));
    });
  }
  const plain = shaped.flatMap((r) => (txOnly ? r.plain : [...r.cond, ...r.plain]));
  if (plain.length) await batchWrite(db, plain, concurrency);
};

const variants: Array<{ name: string; shape: Shape; rowsPerTx: number; concurrency: number; tx: boolean }> = [
  ...[1, 2, 4, 8].map((c) => ({ name: 'app: tx 49 rows (98 puts + counter)', shape: appShape, rowsPerTx: 49, concurrency: c, tx: true })),
  ...[4, 8].map((c) => ({ name: 'batch 25 items, no conditions', shape: appShape, rowsPerTx: 0, concurrency: c, tx: false })),
  ...[24, 12].map((n) => ({ name: `app shape, tx ${n} rows`, shape: appShape, rowsPerTx: n, concurrency: 4, tx: true })),
  { name: 'app shape, condition on the lock only, tx 49 rows', shape: lockOnlyShape, rowsPerTx: 49, concurrency: 4, tx: true },
  { name: 'batch 25 items, enrolment without GSI keys', shape: noGsiShape, rowsPerTx: 0, concurrency: 4, tx: false },
  ...[4, 8].map((c) => ({ name: 'merged: tx 99 rows (1 item a row + counter)', shape: mergedShape, rowsPerTx: 99, concurrency: c, tx: true })),
  { name: 'split: locks tx 99 rows, enrolments by batch', shape: splitShape, rowsPerTx: 99, concurrency: 4, tx: true },
];

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-sweep-'));
  const dynamo = await startDynamo({ port: await freePort() });
  const ddb = makeDynamoClient({ tableName: TABLE, bucketName: TABLE, rootOrgId: 'root', region: 'local', dynamoEndpoint: dynamo.endpoint });
  const db = makeDocClient(ddb);
  try {
    await ensureTable(ddb, TABLE);
    const jvm = findJvm(Number(new URL(dynamo.endpoint).port));
    const vault = makeVault(localKeySource(join(dir, 'secrets.json')));
    const today = shanghaiToday(new Date());
    const plan = openPlanBody('sweep') as unknown as Plan;
    const recs = (k: number, n: number = ROWS) => buildRecords(vault, { ...plan, id: `sweep-${k}` }, 'unit-sweep', members(n, k * 100_000), today);
    const idle = async (when: string) => {
      const before = snapshot(jvm);
      await new Promise((r) => setTimeout(r, 2000));
      const c = since(before, jvm);
      console.log(`JVM CPU while idle ${when}: ${fmt(c.jvmMs / (c.wallMs / 1000), 0)} ms/s`);
    };
    await idle('after start');
    await write(db, await recs(99), appShape, 49, 4, true);
    await write(db, await recs(98), appShape, 0, 4, false);
    await idle('after warm-up');
    console.log('| variant | in flight | rows/s | JVM CPU ms/row | Node CPU ms/row | cores busy |\n|---|---:|---:|---:|---:|---:|');
    for (const [i, v] of variants.entries()) {
      const records = await recs(i + 1);
      const before = snapshot(jvm);
      await withTimeout(write(db, records, v.shape, v.rowsPerTx, v.concurrency, v.tx), 120_000, v.name);
      const c = since(before, jvm);
      console.log(`| ${v.name} | ${v.concurrency} | ${fmt((ROWS / c.wallMs) * 1000, 0)} | ${fmt(c.jvmMs / ROWS, 2)} | ${fmt(c.nodeMs / ROWS, 2)} | ${fmt((c.jvmMs + c.nodeMs) / c.wallMs, 2)} |`);
    }
  } finally {
    ddb.destroy();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

await main();
process.exit(0);
