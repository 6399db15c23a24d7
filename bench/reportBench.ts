/**
 * Nightly report benchmark (issue 8, SPEC §5: cost grows with org nodes, not
 * members or claims). On its own DynamoDB Local + s3rver (temp dir), data
 * written straight into the table:
 *   A. 40 offices × 50 units (2,041 nodes), one plan, targets, 8 counter
 *      shards per unit, in two tables that differ only in their enrolment
 *      items (20,000 and 200,000, counters to match). Goal: ratio ≤ 1.1.
 *   B. 5,000 org nodes (100 offices, 4,899 units), two plans. Goal ≤ 30 s.
 * Each figure is the median of `runs` timed runs after one warm-up, A's two
 * tables interleaved; every run is the whole job (reads, build, CSV + HTML,
 * three S3 puts, the index item).
 * Items read per run are counted from the Query answers: the same for 20,000
 * and 200,000 members is the proof that enrolments are not read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bootstrapStore } from '../infra/local/bootstrap';
import { freePort, startDynamo, startS3 } from '../infra/local/emulators';
import { fixedClock } from '../shared/clock';
import { buildDeps, type Deps } from '../shared/deps';
import { COUNTER_SHARDS, openSubmittedOn } from '../shared/store/counters';
import { keys } from '../shared/store/keys';
import { generateReport } from '../shared/report/generate';
import { makeDynamoClient } from '../shared/store/client';
import { examplePlan } from '../test/support/examplePlan';
import { chunk, fmt, pool } from './stats';

export interface ReportTiming {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Items the report's Queries returned in one run. */
  itemsRead: number;
  queries: number;
}

export interface ReportBenchResult {
  storage: 'memory' | 'disk';
  runs: number;
  tree: { offices: number; units: number; nodes: number; counterItems: number };
  sizes: Array<{ enrolments: number; writeSeconds: number } & ReportTiming>;
  /** large / small median: the goal is ≤ 1.1 (cost flat in members). */
  ratio: number;
  large: { offices: number; units: number; nodes: number; plans: number; counterItems: number; writeSeconds: number } & ReportTiming;
}

export const REPORT_RATIO_GOAL = 1.1;
export const REPORT_5K_GOAL_MS = 30_000;
const DATE = '2026-06-30';
const WRITE_CONCURRENCY = 8;

/** BatchWriteItem, 25 at a time, unprocessed items retried. */
const writeAll = async (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) => {
  await pool(chunk(items, 25), WRITE_CONCURRENCY, async (batch) => {
    let pending: any[] | undefined = batch.map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending?.length; attempt++) {
      if (attempt > 10) throw new Error('BatchWriteItem kept returning unprocessed items');
      if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const r: { UnprocessedItems?: Record<string, any[]> } = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = r.UnprocessedItems?.[table];
    }
  });
};

interface Unit {
  id: string;
  path: string[];
}

/** Orgs, targets and plans as the repositories store them (written directly: the bench measures the report, not the API). */
const treeItems = (root: string, offices: number, unitsPerOffice: number, unitsTotal: number) => {
  const items: Record<string, unknown>[] = [];
  const units: Unit[] = [];
  const at = '2026-01-01T00:00:00.000Z';
  const org = (id: string, name: string, kind: string, parentId: string, path: string[], headcount: number | null) => {
    items.push({
      ...keys.org(id),
      entity: 'org',
      gsi1pk: keys.orgChildren(parentId),
      gsi1sk: keys.orgChildSort(id),
      gsi2pk: keys.orgTree,
      gsi2sk: keys.pathPrefix(path),
      id,
      name,
      kind,
      parentId,
      path,
      headcount,
      createdAt: at,
      updatedAt: at,
    });
    const target = kind === 'unit' ? Math.floor((headcount ?? 0) * 0.8) : unitsPerOffice * 150;
    items.push({
      ...keys.target(id, 2026),
      entity: 'target',
      gsi1pk: keys.targetsOfYear(2026),
      gsi1sk: id,
      orgId: id,
      year: 2026,
      enrolmentTarget: target,
      contributionTargetFen: null,
      setBy: 'bench',
      updatedAt: at,
    });
  };
  let made = 0;
  for (let o = 0; o < offices; o++) {
    const office = `off${String(o).padStart(3, '0')}`;
    org(office, `第${o + 1}办事处`, 'office', root, [root, office], null);
    for (let u = 0; u < unitsPerOffice && made < unitsTotal; u++, made++) {
      const id = `${office}-u${String(u).padStart(3, '0')}`;
      const path = [root, office, id];
      org(id, `第${o + 1}办事处第${u + 1}基层工会`, 'unit', office, path, 150 + (made % 7) * 20);
      units.push({ id, path });
    }
  }
  return { items, units };
};

const planItem = (id: string, name: string) => ({
  ...keys.plan(id),
  entity: 'plan',
  gsi1pk: keys.planList,
  gsi1sk: keys.planListSort('2026-01-01', id),
  ...examplePlan(2026, { id, name }),
  predecessorPlanId: null,
  createdAt: '2025-11-01T00:00:00.000Z',
  createdBy: 'bench',
});

const COUNTER_DAY = '2026-03-10';

/** A unit's counters for `members` enrolments, spread over all 8 shards (the most a unit ever has) so the sums are exact. */
const counterItems = (unit: Unit, planId: string, members: number) => {
  const claims = Math.floor(members / 50);
  const totals: Record<string, number> = {
    enrolled: members,
    contributionsFen: members * 5000,
    claimsSubmitted: claims,
    claimsApproved: Math.floor(claims / 2),
    claimsPaid: Math.floor(claims / 4),
    claimsRejected: Math.floor(claims / 10),
    benefitsApprovedFen: Math.floor(claims / 2) * 300_000,
    benefitsPaidFen: Math.floor(claims / 4) * 300_000,
    paidDaysTotal: Math.floor(claims / 4) * 21,
    [openSubmittedOn('2026-05-20')]: claims > 0 ? 1 : 0,
    [openSubmittedOn('2026-06-25')]: claims > 1 ? 1 : 0,
  };
  return Array.from({ length: COUNTER_SHARDS }, (_, s) => {
    const share = Object.fromEntries(
      Object.entries(totals).map(([k, v]) => [k, Math.floor(v / COUNTER_SHARDS) + (s < v % COUNTER_SHARDS ? 1 : 0)]),
    );
    return {
      // All in one day's buckets (the enrolment window's busiest day): the report sums them like any other day.
      ...keys.unitPlanCounter(unit.id, planId, COUNTER_DAY, s),
      entity: 'counter',
      unitId: unit.id,
      planId,
      day: COUNTER_DAY,
      gsi2pk: keys.planCounterDays(planId),
      gsi2sk: keys.planCounterDaySort(COUNTER_DAY, unit.path, s),
      ...share,
    };
  });
};

/** Enrolment items of the store's shape (keys, unit index), with a sealed-blob-sized filler so items weigh what real ones do. */
const FILLER = 'x'.repeat(240);
const enrolmentItems = (units: Unit[], planId: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const unit = units[k % units.length]!;
    const id = `B${String(k).padStart(25, '0')}`;
    return {
      ...keys.enrolment(id),
      entity: 'enrolment',
      gsi1pk: keys.unitEnrolments(unit.id, id),
      gsi1sk: keys.unitEnrolmentSort(planId, id),
      enrolmentId: id,
      planId,
      unitId: unit.id,
      pii: { v: 1, blob: FILLER },
      shares: 1,
      contributionFen: 5000,
      enrolledDate: '2026-03-10',
      status: 'active',
    };
  });

/**
 * Timed report runs on several tables, interleaved (A B, then B A, …) so no
 * table gets a warmer JVM, with the Queries' answers counted per run.
 */
const timeReports = async (all: Deps[], runs: number): Promise<ReportTiming[]> => {
  const count = { items: 0, queries: 0 };
  // One DynamoDB client under all of them: its middleware stack is shared, so one counter serves every table.
  const stack = all[0]!.db.middlewareStack;
  stack.add(
    (next, ctx) => async (args) => {
      const out = await next(args);
      if (ctx.commandName === 'QueryCommand') {
        count.queries++;
        count.items += (out.output as { Count?: number }).Count ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'reportBenchCount' },
  );
  try {
    for (const d of all) await generateReport(d, DATE); // warm-up
    const ms = all.map((): number[] => []);
    const reads = all.map(() => ({ items: 0, queries: 0 }));
    for (let i = 0; i < runs; i++) {
      const order = all.map((_, j) => j);
      if (i % 2 === 1) order.reverse();
      for (const j of order) {
        count.items = 0;
        count.queries = 0;
        ms[j]!.push((await generateReport(all[j]!, DATE)).ms);
        reads[j] = { ...count };
      }
    }
    return ms.map((m, j) => {
      m.sort((a, b) => a - b);
      return {
        medianMs: m[Math.floor(m.length / 2)]!,
        minMs: m[0]!,
        maxMs: m.at(-1)!,
        itemsRead: reads[j]!.items,
        queries: reads[j]!.queries,
      };
    });
  } finally {
    stack.remove('reportBenchCount');
  }
};

const seconds = async (f: () => Promise<void>) => {
  const t0 = performance.now();
  await f();
  return (performance.now() - t0) / 1000;
};

export const reportBench = async (
  opts: { storage?: 'memory' | 'disk'; runs?: number; log?: (s: string) => void } = {},
): Promise<ReportBenchResult> => {
  const storage = opts.storage ?? 'memory';
  const runs = opts.runs ?? 7;
  const log = opts.log ?? (() => {});
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-report-bench-'));
  const dynamo = await startDynamo({ port: await freePort(), ...(storage === 'disk' ? { dbPath: dir } : {}) });
  const bucket = 'huzhu-report-bench';
  const s3 = await startS3({ port: await freePort(), directory: join(dir, 's3'), bucket, corsOrigins: [] }).catch(async (e) => {
    await dynamo.stop();
    throw e;
  });
  const ddb = makeDynamoClient({
    tableName: 'x',
    bucketName: bucket,
    rootOrgId: 'root',
    region: 'us-east-1',
    dynamoEndpoint: dynamo.endpoint,
  });
  const depsFor = async (tableName: string) => {
    await bootstrapStore(ddb, tableName, 'root', new Date());
    return buildDeps({
      config: {
        tableName,
        bucketName: bucket,
        rootOrgId: 'root',
        region: 'us-east-1',
        dynamoEndpoint: dynamo.endpoint,
        s3Endpoint: s3.endpoint,
      },
      ddb,
      clock: fixedClock('2026-06-30T18:00:05Z'),
      secrets: async () => {
        throw new Error('the report needs no secret');
      },
    });
  };
  try {
    // ---- A: 2,000 units; the same tree, targets and counter items in two tables, with 20,000 and 200,000 enrolments ----
    const tree = treeItems('root', 40, 50, 2000);
    const planId = 'bench-p2026';
    const small = 20_000;
    const big = 200_000;
    const sized = async (table: string, n: number) => {
      const deps = await depsFor(table);
      log(`report bench: writing 40 offices, 2,000 units, targets, a plan and ${fmt(n, 0)} enrolments (${storage})…`);
      const writeSeconds = await seconds(async () => {
        await writeAll(deps.db, table, [...tree.items, planItem(planId, '2026年度住院医疗互助')]);
        await writeAll(
          deps.db,
          table,
          tree.units.flatMap((u) => counterItems(u, planId, n / tree.units.length)),
        );
        await writeAll(deps.db, table, enrolmentItems(tree.units, planId, 0, n));
      });
      return { deps, writeSeconds };
    };
    const a = await sized('huzhu-bench-report-20k', small);
    const b = await sized('huzhu-bench-report-200k', big);
    log(`report bench: timing ${runs} interleaved runs at ${fmt(small, 0)} and ${fmt(big, 0)} enrolments…`);
    const [atSmall, atBig] = (await timeReports([a.deps, b.deps], runs)) as [ReportTiming, ReportTiming];
    const writeSmall = a.writeSeconds;
    const writeBig = b.writeSeconds;

    // ---- B: 5,000 org nodes, two plans ----
    const wide = treeItems('root', 100, 49, 4899);
    const plans = ['bench-inpatient', 'bench-critical'];
    const c = await depsFor('huzhu-bench-report-5k');
    log('report bench: writing 5,000 org nodes with two plans’ counters…');
    const writeWide = await seconds(async () => {
      await writeAll(c.db, c.config.tableName, [...wide.items, planItem(plans[0]!, '住院医疗互助'), planItem(plans[1]!, '重大疾病互助')]);
      await writeAll(
        c.db,
        c.config.tableName,
        plans.flatMap((p) => wide.units.flatMap((u, i) => counterItems(u, p, 150 + (i % 40)))),
      );
    });
    log(`report bench: timing ${runs} runs at 5,000 nodes…`);
    const [atWide] = (await timeReports([c], runs)) as [ReportTiming];

    return {
      storage,
      runs,
      tree: { offices: 40, units: 2000, nodes: 2041, counterItems: 2000 * COUNTER_SHARDS },
      sizes: [
        { enrolments: small, writeSeconds: writeSmall, ...atSmall },
        { enrolments: big, writeSeconds: writeBig, ...atBig },
      ],
      ratio: atBig.medianMs / atSmall.medianMs,
      large: {
        offices: 100,
        units: 4899,
        nodes: 5000,
        plans: 2,
        counterItems: 2 * 4899 * COUNTER_SHARDS,
        writeSeconds: writeWide,
        ...atWide,
      },
    };
  } finally {
    ddb.destroy();
    await s3.stop().catch(() => undefined);
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The section bench/results.md gets. */
export const reportBenchMarkdown = (r: ReportBenchResult): string => {
  const ms = (x: number) => fmt(x, 0);
  const [s, b] = r.sizes as [ReportBenchResult['sizes'][0], ReportBenchResult['sizes'][0]];
  return [
    '## 7. Nightly report: cost in org nodes, not members (issue 8, SPEC §5)',
    '',
    `Its own DynamoDB Local (${r.storage === 'memory' ? 'in memory' : 'on disk'}) and s3rver; data written straight into the table (orgs, targets, plans, ${COUNTER_SHARDS} counter shards per unit and plan — the most a unit ever has — and enrolment items of the store's shape and size). ` +
      `The 20,000 and 200,000 cases are two tables with the same tree, targets and counter items, differing only in their enrolment items; their runs alternate. Each time is the median of ${r.runs} runs after a warm-up, of the whole job: Queries for the org tree, the targets, the plans and each plan's counters; the roll-up; CSV and HTML; three S3 puts and the index item. "Items read" counts what the Queries returned in one run. The counters sit in day buckets of one day before the date; the warm-up (the date is closed) stores the date's counter snapshot, so the timed runs read it — one item per unit and plan, as any re-run of a past date does; the nightly run reads the day before's snapshot plus one day of buckets (at most 8 per unit).`,
    '',
    `| data | org nodes | plans | enrolment items in the table | report median ms | min–max ms | Queries | items read |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...[s, b].map(
      (x) =>
        `| ${r.tree.offices} offices × 50 units | ${fmt(r.tree.nodes, 0)} | 1 | ${fmt(x.enrolments, 0)} | ${ms(x.medianMs)} | ${ms(x.minMs)}–${ms(x.maxMs)} | ${x.queries} | ${fmt(x.itemsRead, 0)} |`,
    ),
    `| ${r.large.offices} offices, ${fmt(r.large.units, 0)} units | ${fmt(r.large.nodes, 0)} | ${r.large.plans} | 0 | ${ms(r.large.medianMs)} | ${ms(r.large.minMs)}–${ms(r.large.maxMs)} | ${r.large.queries} | ${fmt(r.large.itemsRead, 0)} |`,
    '',
    `**${fmt(b.enrolments, 0)} / ${fmt(s.enrolments, 0)} enrolments: ratio ${fmt(r.ratio, 2)}** (goal ≤ ${REPORT_RATIO_GOAL}: ${r.ratio <= REPORT_RATIO_GOAL ? 'met' : '**not met**'}); ` +
      `items read ${s.itemsRead === b.itemsRead ? 'identical' : '**different**'} (${fmt(s.itemsRead, 0)} and ${fmt(b.itemsRead, 0)}): ten times the members, not one more item read. ` +
      `**${fmt(r.large.nodes, 0)} org nodes: ${fmt(r.large.medianMs / 1000, 2)} s** (goal ≤ ${REPORT_5K_GOAL_MS / 1000} s: ${r.large.medianMs <= REPORT_5K_GOAL_MS ? 'met' : '**not met**'}). ` +
      `Writing the data took ${fmt(s.writeSeconds, 1)} s, ${fmt(b.writeSeconds, 1)} s and ${fmt(r.large.writeSeconds, 1)} s (not part of any figure).`,
    '',
  ].join('\n');
};
