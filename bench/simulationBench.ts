/**
 * Plan simulation benchmark (issue 16 part 2, SPEC §4.6; goal: 100,000
 * approved claims over 50,000 enrolments ≤ 10 s, and 10× the claims ≤ 10.5×
 * the time: linear in claims).
 *
 * On its own DynamoDB Local (IN MEMORY, as the tests run it: a million items
 * on disk take far longer to write than the run is worth) two plans are
 * written straight into the table with BatchWriteItem, not through the API:
 * for each, 50,000 enrolments over 1,000 units (shares 1–3, three in ten
 * renewing) and N approval facts of the store's exact shape
 * (./shared/store/claimApproval.ts), benefits computed in approval order
 * under the SPEC §6.2 rules by the same engine; the counters as a nightly
 * snapshot (one item per unit + the marker, as the report run writes them).
 * No enrolment item is written: the simulation never reads members.
 *
 * Each timed run is the whole capability (shared/simulation/simulate.ts):
 * the counters, every fact (parallel key ranges), both replays, the built-in
 * check (which must pass: the figures are real), the counters again. The
 * candidate is the SPEC rules at 60/70/80 %. Median of `runs` after one
 * warm-up, the two plans interleaved. DynamoDB calls and items read are
 * counted from the Query answers.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { bootstrapStore } from '../infra/local/bootstrap';
import { freePort, startDynamo } from '../infra/local/emulators';
import { fixedClock } from '../shared/clock';
import { buildDeps } from '../shared/deps';
import { computeBenefit } from '../shared/domain/benefit';
import type { BandedRules, Plan } from '../shared/domain/plan';
import { simulatePlan } from '../shared/simulation/simulate';
import { FACT_READS_IN_FLIGHT } from '../shared/store/approvalFacts';
import { makeDynamoClient } from '../shared/store/client';
import { writePlanSnapshot } from '../shared/store/counters';
import { itemOf, keys } from '../shared/store/keys';
import { examplePlan, SPEC_BENEFIT_RULES } from '../test/support/examplePlan';
import { findJvm, since, snapshot } from './cpu';
import { chunk, fmt, median, pool } from './stats';

export const SIMULATION_GOAL_MS = 10_000;
export const SIMULATION_RATIO_GOAL = 10.5;
const ENROLMENTS = 50_000;
const UNITS = 1_000;
/**
 * BatchWriteItem requests in flight while the data is written: DynamoDB Local spends ≈ 0.8 ms of CPU per item it
 * stores (measured here), so writing is bound by its CPU; enough requests in flight keep it busy on every core.
 */
const WRITE_CONCURRENCY = 32;

export interface SimulationTiming {
  claims: number;
  enrolments: number;
  writeSeconds: number;
  /** CPU of writing the data: this process and DynamoDB Local (not part of any timed run). */
  writeNodeCpuS: number;
  writeJvmCpuS: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  queries: number;
  itemsRead: number;
  /** CPU of one run (medians): this Node process (reads, unmarshalling, replays) and DynamoDB Local's JVM. */
  nodeCpuMs: number;
  jvmCpuMs: number;
  benefitsFen: number;
  candidateBenefitsFen: number;
}

export interface SimulationBenchResult {
  storage: 'memory';
  runs: number;
  /** Fixed key ranges, or null: sized by the capability (≈ 2,000 facts each). */
  segments: number | null;
  sizes: SimulationTiming[];
  /** Largest / smallest median. */
  ratio: number;
  /** Largest / smallest median CPU (Node + JVM): what the work costs, whatever else the machine runs. */
  cpuRatio: number;
  claimsRatio: number;
}

/** mulberry32: a small deterministic generator, so every run builds the same plans. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const idOf = (next: () => number) => Array.from({ length: 26 }, () => CROCKFORD[Math.floor(next() * 32)]).join('');

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

/** A self-paid amount: mostly under 20,000 元, one in twenty up to 100,000 元 (so caps bite now and then). */
const baseOf = (next: () => number) => (next() < 0.05 ? 2_000_000 + Math.floor(next() * 8_000_000) : Math.floor(next() * 2_000_000));

/**
 * Writes one plan's facts (`claims` spread evenly over the enrolments, in approval order) and its counters
 * as a snapshot; answers the approved total it wrote.
 */
const buildPlan = async (
  deps: ReturnType<typeof buildDeps>,
  plan: Plan,
  claims: number,
  seed: number,
  log: (s: string) => void,
): Promise<number> => {
  const next = rng(seed);
  const rules = plan.benefit as BandedRules;
  const perUnit = new Map<string, Record<string, number>>();
  const paths = new Map<string, string>();
  let approvedFen = 0;
  let written = 0;
  let pending: Record<string, unknown>[] = [];
  const flush = async () => {
    await writeAll(deps.db, deps.config.tableName, pending);
    written += pending.length;
    pending = [];
  };
  for (let e = 0; e < ENROLMENTS; e++) {
    const enrolmentId = idOf(next);
    const unitId = `su${seed}-${e % UNITS}`;
    paths.set(unitId, `root/so${seed}-${(e % UNITS) % 20}/${unitId}/`);
    const shares = 1 + Math.floor(next() * 3);
    const renewal = next() < 0.3;
    const u = perUnit.get(unitId) ?? {
      enrolled: 0,
      sharesNew: 0,
      sharesRenewal: 0,
      contributionsFen: 0,
      contributionsWorkerFen: 0,
      claimsApproved: 0,
      benefitsApprovedFen: 0,
    };
    u.enrolled! += 1;
    if (renewal) u.sharesRenewal! += shares;
    else u.sharesNew! += shares;
    const contribution = shares * (renewal ? plan.renewalContributionPerShareFen! : plan.contributionPerShareFen);
    u.contributionsFen! += contribution;
    u.contributionsWorkerFen! += contribution;
    // Claims spread evenly: enrolment e gets floor((e+1)·N/E) − floor(e·N/E).
    const n = Math.floor(((e + 1) * claims) / ENROLMENTS) - Math.floor((e * claims) / ENROLMENTS);
    let usedFen = 0;
    let deductibleUsedFen = 0;
    for (let seq = 1; seq <= n; seq++) {
      const b = computeBenefit({ rules, shares, baseFen: baseOf(next), usedFen, deductibleUsedFen });
      usedFen += b.benefitFen;
      deductibleUsedFen += b.deductibleConsumedFen;
      u.claimsApproved! += 1;
      u.benefitsApprovedFen! += b.benefitFen;
      approvedFen += b.benefitFen;
      pending.push(
        itemOf(keys.approvalFact(plan.id, enrolmentId, seq), {
          entity: 'approvalFact',
          planId: plan.id,
          enrolmentId,
          seq,
          claimId: `${idOf(next)}${enrolmentId}`,
          unitId,
          shares,
          baseFen: b.baseFen,
          deductibleAppliedFen: b.deductibleAppliedFen,
          deductibleConsumedFen: b.deductibleConsumedFen,
          benefitFen: b.benefitFen,
          approvedAt: '2026-07-20T04:00:00.000Z',
        }),
      );
    }
    perUnit.set(unitId, u);
    if (pending.length >= 20_000) {
      await flush();
      if (written % 100_000 < 20_000) log(`simulation bench: ${plan.id}: ${fmt(written, 0)} / ${fmt(claims, 0)} facts written`);
    }
  }
  await flush();
  await writePlanSnapshot(deps.store, plan.id, '2026-07-31', { sums: perUnit, paths }, '2026-08-01T00:00:00.000Z');
  return approvedFen;
};

/** The SPEC rules at 60 / 70 / 80 %. */
const CANDIDATE: BandedRules = {
  ...SPEC_BENEFIT_RULES,
  bands: SPEC_BENEFIT_RULES.bands.map((b) => ({ ...b, ratePermille: b.ratePermille + 100 })),
};

export const simulationBench = async (
  opts: { claims?: number[]; runs?: number; segments?: number; log?: (s: string) => void } = {},
): Promise<SimulationBenchResult> => {
  const sizes = opts.claims ?? [100_000, 1_000_000];
  const runs = opts.runs ?? 5;
  const segments = opts.segments;
  const log = opts.log ?? (() => {});
  const port = await freePort();
  const dynamo = await startDynamo({ port });
  const jvm = findJvm(port);
  try {
    const config = {
      tableName: 'huzhu-simulation-bench',
      bucketName: 'unused',
      rootOrgId: 'root',
      region: 'us-east-1',
      dynamoEndpoint: dynamo.endpoint,
    };
    const ddb = makeDynamoClient(config);
    await bootstrapStore(ddb, config.tableName, 'root', new Date());
    const deps = buildDeps({ config, ddb, clock: fixedClock('2026-08-02T04:00:00Z') });
    const plans = sizes.map((claims, i) => ({
      claims,
      plan: examplePlan(2026, { id: `sim-bench-${i}`, renewalContributionPerShareFen: 4000 }),
      writeSeconds: 0,
      writeCpu: { nodeMs: 0, jvmMs: 0 },
      approvedFen: 0,
      times: [] as number[],
      nodeCpu: [] as number[],
      jvmCpu: [] as number[],
      reads: { calls: 0, items: 0 },
      candidateFen: 0,
    }));
    for (const [i, p] of plans.entries()) {
      log(`simulation bench: writing ${fmt(p.claims, 0)} approval facts over ${fmt(ENROLMENTS, 0)} enrolments (memory)…`);
      const t0 = performance.now();
      const c0 = snapshot(jvm);
      p.approvedFen = await buildPlan(deps, p.plan, p.claims, i + 1, log);
      p.writeCpu = since(c0, jvm);
      p.writeSeconds = (performance.now() - t0) / 1000;
      log(
        `simulation bench: written in ${fmt(p.writeSeconds)} s (CPU: Node ${fmt(p.writeCpu.nodeMs / 1000)} s, DynamoDB Local ${fmt(p.writeCpu.jvmMs / 1000)} s)`,
      );
    }
    const once = async (p: (typeof plans)[number], timed: boolean) => {
      const counted = { calls: 0, items: 0 };
      const c0 = snapshot(jvm);
      const t0 = performance.now();
      const r = await simulatePlan(
        deps.store,
        p.plan,
        { contributionPerShareFen: 6000, renewalContributionPerShareFen: 5000, benefit: CANDIDATE },
        { ...(segments ? { segments } : {}), counted },
      );
      const ms = performance.now() - t0;
      const cpu = since(c0, jvm);
      if (timed) {
        p.nodeCpu.push(cpu.nodeMs);
        p.jvmCpu.push(cpu.jvmMs);
      }
      if (r.claims !== p.claims || r.actual.benefitsFen !== p.approvedFen)
        throw new Error('simulation bench: the replay does not match what was written');
      if (timed) p.times.push(ms);
      p.reads = counted;
      p.candidateFen = r.candidate.benefitsFen;
      return ms;
    };
    for (const p of plans) await once(p, false);
    for (let run = 0; run < runs; run++) {
      for (const p of plans) log(`simulation bench: ${fmt(p.claims, 0)} claims, run ${run + 1}/${runs}: ${fmt(await once(p, true), 0)} ms`);
    }
    const timings = plans.map((p): SimulationTiming => {
      const t = [...p.times].sort((a, b) => a - b);
      return {
        claims: p.claims,
        enrolments: ENROLMENTS,
        writeSeconds: p.writeSeconds,
        writeNodeCpuS: p.writeCpu.nodeMs / 1000,
        writeJvmCpuS: p.writeCpu.jvmMs / 1000,
        medianMs: t[Math.floor(t.length / 2)]!,
        minMs: t[0]!,
        maxMs: t.at(-1)!,
        queries: p.reads.calls,
        itemsRead: p.reads.items,
        nodeCpuMs: median(p.nodeCpu),
        jvmCpuMs: median(p.jvmCpu),
        benefitsFen: p.approvedFen,
        candidateBenefitsFen: p.candidateFen,
      };
    });
    const first = timings[0]!;
    const last = timings.at(-1)!;
    return {
      storage: 'memory',
      runs,
      segments: segments ?? null,
      sizes: timings,
      ratio: last.medianMs / first.medianMs,
      cpuRatio: (last.nodeCpuMs + last.jvmCpuMs) / (first.nodeCpuMs + first.jvmCpuMs),
      claimsRatio: last.claims / first.claims,
    };
  } finally {
    await dynamo.stop();
  }
};

export const simulationBenchMarkdown = (r: SimulationBenchResult): string =>
  [
    `## 9. Plan simulation (issue 16; goal: 100,000 claims ≤ ${SIMULATION_GOAL_MS / 1000} s, ${fmt(r.claimsRatio, 0)}× the claims ≤ ${SIMULATION_RATIO_GOAL}×)`,
    '',
    `The capability (shared/simulation/simulate.ts) on its own DynamoDB Local (in memory), data written straight into the table with BatchWriteItem (${WRITE_CONCURRENCY} requests in flight): ${fmt(ENROLMENTS, 0)} enrolments over ${fmt(UNITS, 0)} units, approval facts of the store's shape (benefits computed in approval order under the SPEC §6.2 rules), counters as a nightly snapshot; no enrolment items (members are never read). Each run: counters, every fact (${r.segments === null ? 'key ranges of ≈ 2,000 facts' : `${r.segments} key ranges`}, ${FACT_READS_IN_FLIGHT} in flight, only the sort key and the figures projected), the plan's and a candidate's replay, the built-in check (passing), counters again. Median of ${r.runs} runs after a warm-up.`,
    '',
    '| claims | enrolments | written in (CPU Node + JVM) | median | min | max | Node CPU | JVM CPU | queries | items read |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...r.sizes.map(
      (s) =>
        `| ${fmt(s.claims, 0)} | ${fmt(s.enrolments, 0)} | ${fmt(s.writeSeconds, 0)} s (${fmt(s.writeNodeCpuS, 0)} + ${fmt(s.writeJvmCpuS, 0)} s) | ${fmt(s.medianMs, 0)} ms | ${fmt(s.minMs, 0)} ms | ${fmt(s.maxMs, 0)} ms | ${fmt(s.nodeCpuMs, 0)} ms | ${fmt(s.jvmCpuMs, 0)} ms | ${fmt(s.queries, 0)} | ${fmt(s.itemsRead, 0)} |`,
    ),
    '',
    `Ratio of medians: **${fmt(r.ratio, 2)}×** (CPU, Node + JVM: **${fmt(r.cpuRatio, 2)}×**) for ${fmt(r.claimsRatio, 0)}× the claims (goal ≤ ${SIMULATION_RATIO_GOAL}×). Items read = facts + 2 × (${fmt(UNITS, 0)} unit snapshots): they grow with claims, not members.`,
  ].join('\n');
