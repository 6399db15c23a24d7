/**
 * Seed benchmark (issue 16 part 3: "Seed: wall time on a fresh store").
 * Starts its own local stack as `npm start` runs it (DynamoDB Local on disk,
 * s3rver, the gateway) in a temp directory, runs the seed (infra/local/seedRun.ts)
 * once on the fresh store and once more (the idempotent re-run, which must add
 * nothing), and reports both wall times with the machine's load at the time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../infra/local/stack';
import { runSeed, type SeedSummary } from '../infra/local/seedRun';
import { shanghaiToday } from '../shared/domain/dates';
import type { Plan } from '../shared/domain/plan';
import { localKeySource } from '../shared/pii/localKeys';
import { makeVault } from '../shared/pii/vault';
import { makeDocClient, makeDynamoClient } from '../shared/store/client';
import { add, type CpuSnapshot, findJvm, since, snapshot, ZERO } from './cpu';
import { rawTransact } from './enrolment';
import { members, openPlanBody } from './fixtures';
import { buildRecords } from './records';
import { fmt } from './stats';

/** What the store alone charges: as many enrolment items as the seed writes, as raw 100-item TransactWriteItems, 4 in flight. */
export interface SeedFloor {
  rows: number;
  /** Wall, this process's and DynamoDB Local's CPU over the write (ms; JVM NaN when its process was not found). */
  cost: CpuSnapshot;
  /** DynamoDB Local's CPU per item (ms), slice by slice in order: how its start-up compilation shows. */
  perItemMs: number[];
}

const FLOOR_SLICE = 8 * 99;

/**
 * The baseline of the seed's figure, measured in the same run: a DynamoDB Local started the same way (fresh, on
 * disk or in memory, its JVM as cold as the seed's) given only the enrolment items the seed writes, prepared in
 * memory, as raw conditional TransactWriteItems (99 puts + 1 counter, 4 in flight: what the app's write path does).
 * No HTTP, no handlers, no reads, no claims or reports: the least any writer of these rows pays on this machine.
 */
export const seedFloor = async (rows: number, storage: 'disk' | 'memory'): Promise<SeedFloor> => {
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-seed-floor-'));
  const table = 'huzhu-seed-floor';
  const stack = await startLocalStack({ port: 0, dataDir: dir, inMemory: storage === 'memory', tableName: table, bucketName: table });
  try {
    const vault = makeVault(localKeySource(join(dir, 'secrets.json')));
    const today = shanghaiToday(new Date());
    const plan = openPlanBody('seed-floor-plan') as unknown as Plan;
    const records = await buildRecords(vault, plan, 'seed-floor-unit', members(rows, 700_000), today);
    const ddb = makeDynamoClient({
      tableName: table,
      bucketName: table,
      rootOrgId: 'root',
      region: 'local',
      dynamoEndpoint: stack.dynamoEndpoint,
    });
    const write = rawTransact(makeDocClient(ddb), table, 4, { id: 'seed-floor-unit', path: ['root', 'seed-floor-unit'] });
    const jvm = findJvm(Number(new URL(stack.dynamoEndpoint).port));
    // In slices of 792 rows (8 transactions), to see the JVM's cost per item fall as it compiles.
    const perItemMs: number[] = [];
    let cost = ZERO;
    for (let from = 0; from < records.length; from += FLOOR_SLICE) {
      const slice = records.slice(from, from + FLOOR_SLICE);
      const before = snapshot(jvm);
      await write(slice);
      const c = since(before, jvm);
      cost = add(cost, c);
      perItemMs.push(c.jvmMs / slice.length);
    }
    ddb.destroy();
    return { rows, cost, perItemMs };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

export interface SeedBenchResult {
  storage: 'disk' | 'memory';
  firstMs: number;
  secondMs: number;
  members: number;
  enrolmentRows: number;
  claims: number;
  loadBefore: number;
  loadAfter: number;
  /** Wall and CPU of the first run (Node: this process, the seed and its handlers; JVM: DynamoDB Local). */
  firstCost: CpuSnapshot;
  /** The store's own floor for the seed's enrolment rows on an equally cold DynamoDB Local (measured first). */
  floor: SeedFloor;
  first: SeedSummary;
  second: SeedSummary;
}

export const seedBench = async (opts: { storage?: 'disk' | 'memory'; log?: (s: string) => void } = {}): Promise<SeedBenchResult> => {
  const storage = opts.storage ?? 'disk';
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-seed-bench-'));
  const loadBefore = loadavg()[0]!;
  const stack = await startLocalStack({
    port: 0,
    dataDir: dir,
    inMemory: storage === 'memory',
    tableName: 'huzhu-seed-bench',
    bucketName: 'huzhu-seed-bench',
  });
  let seeded: Omit<SeedBenchResult, 'floor' | 'loadAfter'>;
  try {
    log('seed on a fresh store…');
    const jvm = findJvm(Number(new URL(stack.dynamoEndpoint).port));
    const before = snapshot(jvm);
    const first = await runSeed({ log });
    const firstCost = since(before, jvm);
    log('seed again (adds nothing)…');
    const second = await runSeed();
    const addedAgain =
      Object.values(second.enrolled).reduce((s, e) => s + e.added, 0) + second.claimSteps + second.orgsCreated + second.plansCreated;
    if (addedAgain !== 0) throw new Error(`the second seed run added ${addedAgain} things`);
    seeded = {
      storage,
      firstMs: first.ms,
      firstCost,
      secondMs: second.ms,
      members: Math.max(...Object.values(first.enrolled).map((e) => e.total)),
      enrolmentRows: Object.values(first.enrolled).reduce((s, e) => s + e.total, 0),
      claims: Object.values(first.claims).reduce((s, n) => s + n, 0),
      loadBefore,
      first,
      second,
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  log(`baseline: ${seeded.enrolmentRows} enrolment rows as raw transactions on another fresh DynamoDB Local…`);
  const floor = await seedFloor(seeded.enrolmentRows, storage);
  return { ...seeded, floor, loadAfter: loadavg()[0]! };
};

const cpuCells = (c: CpuSnapshot) =>
  `${fmt(c.wallMs / 1000, 1)} s | ${fmt(c.nodeMs / 1000, 1)} s | ${Number.isNaN(c.jvmMs) ? 'n/a' : `${fmt(c.jvmMs / 1000, 1)} s`}`;

export const seedBenchMarkdown = (r: SeedBenchResult, when = new Date().toISOString(), machine = ''): string =>
  [
    '## 11. Seed: wall time on a fresh store (issue 16)',
    '',
    `\`npm run seed\`'s work (infra/local/seedRun.ts) against its own local stack (DynamoDB Local ${r.storage === 'disk' ? 'on disk, as `npm start` runs it' : 'in memory'}), run ${when}${machine ? ` on ${machine}` : ''}.`,
    `It makes 24 orgs, 4 plans, ${r.enrolmentRows.toLocaleString('en')} enrolments (${r.members.toLocaleString('en')} members in this year's inpatient plan), ${r.claims} claims with their receipts, a payment, ${r.first.reportDates.length} reports and the half-year evaluation; the second run only looks (it adds nothing).`,
    `**Baseline, same run:** another DynamoDB Local started the same way (fresh, ${r.storage === 'disk' ? 'on disk' : 'in memory'}, its JVM as cold as the seed's) given only the seed's ${r.floor.rows.toLocaleString('en')} enrolment items, prepared in memory, as raw conditional TransactWriteItems (99 puts + 1 counter, 4 in flight): no HTTP, no handlers, no reads, no claims, reports or evaluation — the least any writer of these rows pays here.`,
    `1-minute load average ${fmt(r.loadBefore, 1)} before and ${fmt(r.loadAfter, 1)} after, on 2 cores: read the absolute time against it.`,
    '',
    '| run | wall | Node CPU | DynamoDB Local CPU |',
    '| --- | ---: | ---: | ---: |',
    `| seed, first run (fresh store) | ${cpuCells(r.firstCost)} |`,
    `| seed, second run (idempotent, adds nothing) | ${fmt(r.secondMs / 1000, 1)} s | | |`,
    `| **baseline**: raw TransactWriteItems of the ${r.floor.rows.toLocaleString('en')} enrolment items only | ${cpuCells(r.floor.cost)} |`,
    '',
    `Seed first run / baseline = **${fmt(r.firstCost.wallMs / r.floor.cost.wallMs, 2)}×** the wall time of writing its enrolment rows alone.`,
    '',
    `The baseline's DynamoDB Local CPU per item, slice by slice (${FLOOR_SLICE} rows each, in order): ${r.floor.perItemMs.map((x) => `${fmt(x, 2)}`).join(', ')} ms — a fresh JVM still compiling pays several times what a warm one does.`,
  ].join('\n');
