import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateKey, signToken, idTokenClaims } from '../infra/local/jwt';
import { startLocalStack, type LocalStack } from '../infra/local/stack';
import type { Plan } from '../shared/domain/plan';
import { shanghaiToday } from '../shared/domain/dates';
import { localKeySource } from '../shared/pii/localKeys';
import { makeVault } from '../shared/pii/vault';
import { makeDocClient, makeDynamoClient } from '../shared/store/client';
import { breakdown } from './breakdown';
import { findJvm, settleJvm } from './cpu';
import { enrolmentBench, type EnrolResults } from './enrolment';
import { repoRoot } from '../infra/cors';
import { BENCH_FUNDING, members, openPlanBody, renews } from './fixtures';
import { renderIssue15, replaceSection } from './issue15';
import { lookupCostBench, lookupCostMarkdown } from './lookupCostBench';
import { enrolmentRepo } from '../shared/store/enrolments';
import { makeClient } from './http';
import { benchGetOrg } from './latency';
import { machineInfo } from './machine';
import { runChild } from './memory';
import { benchStore, buildRecords } from './records';
import { renderReport } from './report';
import { withTimeout } from './stats';
import { buildDeps } from '../shared/deps';
import { type ApprovalBenchResult, approvalBench, renderApprovals } from './approvals';
import { importBench, renderImportSection } from './importBench';
import { lambdaCostBench, renderLambdaCost } from './lambdaCost';
import { reportBench, reportBenchMarkdown } from './reportBench';
import { evaluationBench, evaluationBenchMarkdown } from './evaluationBench';
import { simulationBench, simulationBenchMarkdown } from './simulationBench';
import { seedBench, seedBenchMarkdown } from './seedBench';

/** Every count and limit of the run, in one place. */
export const LIMITS = {
  totalMs: 60 * 60_000,
  phaseMs: 5 * 60_000,
  /** The Lambda-cost phase runs four functions × (3,000 warm calls + 15 cold starts) a side: it needs longer. */
  lambdaCostPhaseMs: 12 * 60_000,
  /** Writing 1.1 million approval facts into DynamoDB Local takes most of it. */
  simulationPhaseMs: 20 * 60_000,
  childMs: 3 * 60_000,
  latency: { concurrency: 16, warmup: 200, count: 2_000, rounds: 4 },
  /** concurrency: the app's enrolMany default (4 transactions in flight), used for the raw writers too. */
  enrol: { rows: 10_000, perRequest: 5_000, warmupRows: 2_000, concurrency: 4 },
  breakdownRows: 5_000,
  memoryRows: 5_000,
  /** Issue 7: 1,000 submitted claims over 100 members, approved 16 at a time. */
  approvals: { claims: 1_000, members: 100, concurrency: 16 },
  /** Issue 7: per-invocation cost of the bundled handlers. */
  lambdaCost: { warmup: 2_000, count: 1_000, coldRuns: 15 },
} as const;

const TABLE = 'huzhu-bench';
const log = (s: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`);

/**
 * One run on one local stack. `full`: every section; `memory`: only the
 * enrolment and approval comparisons (used for the second storage mode);
 * `issue15`: only what issue 15 added (enrolment with co-funding and renewals,
 * lump-sum approvals, banded approvals as the reference), on disk.
 */
type RunMode = 'full' | 'memory' | 'issue15';
const run = async (stack: LocalStack, dataDir: string, mode: RunMode) => {
  const full = mode === 'full';
  // The partial run is made on a shared, loaded machine: each phase may take several times its usual length.
  const phaseLimit = mode === 'issue15' ? LIMITS.phaseMs * 3 : LIMITS.phaseMs;
  const phase = <T>(name: string, f: () => Promise<T>, limitMs: number = phaseLimit) => {
    log(`${name}…`);
    return withTimeout(f(), limitMs, name);
  };
  const key = await loadOrCreateKey(join(dataDir, 'jwt-key.json'));
  const token = await signToken(key, { sub: 'bench@root', role: 'federation_admin', org: 'root' });
  const http = makeClient(stack.url, LIMITS.latency.concurrency);
  const ddb = makeDynamoClient({
    tableName: TABLE,
    bucketName: TABLE,
    rootOrgId: 'root',
    region: 'local',
    dynamoEndpoint: stack.dynamoEndpoint,
  });
  const db = makeDocClient(ddb);
  try {
    const run = Date.now().toString(36);
    const office = `bench-off-${run}`;
    const units = [`bench-unit-a-${run}`, `bench-unit-b-${run}`];
    await http.json('POST', '/orgs', token, { id: office, name: 'Bench office', kind: 'office', parentId: 'root' }, 201);
    for (const id of units)
      await http.json('POST', '/orgs', token, { id, name: id, kind: 'unit', parentId: office, headcount: 20_000 }, 201);
    // Issue 15: the measured plan renews a predecessor, in which 3 in 10 of the measured people were enrolled.
    const prevBody = openPlanBody(`bench-prev-${run}`);
    await http.json('POST', '/plans', token, prevBody, 201);
    const planBody = { ...openPlanBody(`bench-plan-${run}`), predecessorPlanId: prevBody.id };
    const warmPlan = openPlanBody(`bench-warm-${run}`);
    await http.json('POST', '/plans', token, planBody, 201);
    await http.json('POST', '/plans', token, warmPlan, 201);
    const plan = planBody as unknown as Plan;
    const today = shanghaiToday(new Date());

    const jvmPid = findJvm(Number(new URL(stack.dynamoEndpoint).port));
    if (jvmPid === undefined) log('DynamoDB Local JVM not found under this process: JVM CPU will read n/a');

    const { rows, perRequest, warmupRows, concurrency } = LIMITS.enrol;
    const vault = makeVault(localKeySource(join(dataDir, 'secrets.json')));
    const records = (planId: string, from: number, n: number, renewing: (i: number) => boolean = () => false) =>
      buildRecords(vault, { ...plan, id: planId }, units[0]!, members(n, from), today, BENCH_FUNDING, renewing);
    // The renewing people's enrolments in the predecessor, written before anything is measured.
    const measured = members(rows, 0);
    const prevRecords = await buildRecords(
      vault,
      prevBody as unknown as Plan,
      units[0]!,
      measured.filter((_, i) => renews(i)),
      today,
      BENCH_FUNDING,
    );
    await enrolmentRepo(benchStore(db, TABLE)).enrolMany({ id: units[0]!, path: ['root', office, units[0]!] }, prevRecords);
    const common = {
      http,
      db,
      tableName: TABLE,
      token,
      unitId: units[0]!,
      unitPath: ['root', office, units[0]!],
      contributionPerShareFen: plan.contributionPerShareFen,
      concurrency,
      jvmPid,
    };
    await phase(`0. warm-up: ${warmupRows} rows each via API, transactions, batches (other plans)`, async () =>
      enrolmentBench({
        ...common,
        planId: warmPlan.id,
        people: members(warmupRows, 900_000),
        batchRecords: await records(`bench-wb-${run}`, 910_000, warmupRows),
        txRecords: await records(`bench-wt-${run}`, 920_000, warmupRows),
        repoRecords: await records(`bench-wr-${run}`, 930_000, warmupRows),
        perRequest: warmupRows,
      }),
    );
    const jvmIdleMsPerSec = await phase('0. waiting for DynamoDB Local to settle', () => settleJvm(jvmPid));
    log(`   DynamoDB Local idle CPU: ${Math.round(jvmIdleMsPerSec)} ms/s`);

    const latency = !full
      ? undefined
      : await phase('1. GET /orgs/{id} vs GetItem', () =>
          benchGetOrg({ http, ddb, tableName: TABLE, orgId: units[0]!, token, jvmPid, ...LIMITS.latency }),
        );

    const batchRecords = await records(`bench-rawb-${run}`, 100_000, rows, renews);
    const txRecords = await records(`bench-rawt-${run}`, 200_000, rows, renews);
    const repoRecords = await records(`bench-repo-${run}`, 500_000, rows, renews);
    // Raw look-up + transactions: other people, 3 in 10 of them enrolled in the predecessor too, so their look-ups hit.
    const txReadPeople = members(rows, 600_000);
    const txReadRecords = await records(`bench-rawtr-${run}`, 600_000, rows, renews);
    await enrolmentRepo(benchStore(db, TABLE)).enrolMany(
      { id: units[0]!, path: ['root', office, units[0]!] },
      await buildRecords(
        vault,
        prevBody as unknown as Plan,
        units[0]!,
        txReadPeople.filter((_, i) => renews(i)),
        today,
        BENCH_FUNDING,
      ),
    );
    const predecessorIds = await Promise.all(txReadPeople.map((m) => vault.enrolmentId(m.idNumber, prevBody.id)));
    const predecessorOf = new Map(txReadRecords.map((e, i) => [e.enrolmentId, predecessorIds[i]!]));
    const enrol = await phase(`2. enrol ${rows} rows (co-funded, 3 in 10 renewing): API vs raw, interleaved`, () =>
      enrolmentBench({
        ...common,
        planId: plan.id,
        people: measured,
        batchRecords,
        txRecords,
        repoRecords,
        txReadRecords: { records: txReadRecords, predecessorOf: (e) => predecessorOf.get(e.enrolmentId)! },
        perRequest,
        renewing: { renews, renewalContributionPerShareFen: planBody.renewalContributionPerShareFen },
      }),
    );

    const appDeps = buildDeps();
    const reviewer = (path: string[]) => idTokenClaims({ sub: 'bench-reviewer', role: 'office_staff', org: path[1]! });
    const approvals = await phase(`4. approve ${LIMITS.approvals.claims} claims vs raw transactions`, async () =>
      approvalBench({
        deps: appDeps,
        decide: (await import('../functions/decideClaim/handler')).handler,
        officeClaims: reviewer,
        ...LIMITS.approvals,
        jvmPid,
        log,
      }),
    );

    const lumpSumApprovals =
      mode === 'memory'
        ? undefined
        : await phase(`4c. approve ${LIMITS.approvals.claims} lump-sum claims vs raw transactions`, async () =>
            approvalBench({
              deps: appDeps,
              decide: (await import('../functions/decideClaim/handler')).handler,
              officeClaims: reviewer,
              ...LIMITS.approvals,
              jvmPid,
              log,
              kind: 'lump_sum',
            }),
          );

    if (!full) return { jvmIdleMsPerSec, enrol, approvals, lumpSumApprovals };
    const stages = await phase('2c. breakdown of one 5,000-row request', () =>
      breakdown({
        db,
        tableName: TABLE,
        vault,
        plan: { ...plan, id: `bench-brk-${run}` },
        unitId: units[0]!,
        unitPath: ['root', office, units[0]!],
        today,
        people: members(LIMITS.breakdownRows, 300_000),
        jvmPid,
      }),
    );

    log('3. memory: baseline child (imports the handler only)…');
    const baseline = await runChild(['baseline'], LIMITS.childMs);
    log(`3. memory: child enrolling ${LIMITS.memoryRows} rows…`);
    const once = await runChild(['enrol', plan.id, units[1]!, '400000', String(LIMITS.memoryRows)], LIMITS.childMs);
    if (once.status !== 200 || once.accepted !== LIMITS.memoryRows) {
      throw new Error(`memory child did not enrol ${LIMITS.memoryRows} rows: ${JSON.stringify(once)}`);
    }
    const lambdaCost = await phase(
      '5. what a Lambda invocation costs: bundled handlers vs bare SDK',
      () => lambdaCostBench({ deps: appDeps, ...LIMITS.lambdaCost, log }),
      LIMITS.lambdaCostPhaseMs,
    );
    const imports = await phase('6. roster import: 50,000 rows through S3', () => importBench({ tableName: TABLE, dataDir }));
    return { jvmIdleMsPerSec, latency, enrol, stages, baseline, once, approvals, lumpSumApprovals, lambdaCost, imports };
  } finally {
    http.close();
    ddb.destroy();
  }
};

/** Starts a stack in a temp dir, runs, always stops and cleans up. */
const onStack = async <T>(inMemory: boolean, work: (stack: LocalStack, dataDir: string) => Promise<T>): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'huzhu-bench-'));
  let stack: LocalStack | undefined;
  try {
    log(`starting the local stack (DynamoDB Local ${inMemory ? 'in memory' : 'on disk'}) in ${dataDir}`);
    stack = await startLocalStack({ port: 0, dataDir, inMemory, tableName: TABLE, bucketName: TABLE });
    return await work(stack, dataDir);
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const ENROL_LINE = 'BENCH_ENROL ';

/**
 * The in-memory enrolment comparison, in a child process: handler modules
 * cache their clients per process, so a second stack needs a fresh one.
 */
type InMemoryResult = { enrol: EnrolResults; approvals: ApprovalBenchResult };
const inMemoryEnrolment = (): Promise<InMemoryResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'run.ts'), '--in-memory-enrolment'], {
      cwd: repoRoot,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), LIMITS.phaseMs * 2);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(ENROL_LINE));
      if (!line) return reject(new Error(`in-memory enrolment child exited (${code ?? signal}) without a result`));
      resolve(JSON.parse(line.slice(ENROL_LINE.length)) as InMemoryResult);
    });
  });

/**
 * Two storage modes, because DynamoDB Local's relative costs flip between
 * them: on disk (how `npm start` runs it) batches are slow and transactions
 * the fast path; in memory (how the tests run it) batches are faster.
 */
export const main = async () => {
  if (process.argv.includes('--in-memory-enrolment')) {
    const memory = await onStack(true, (stack, dir) => run(stack, dir, 'memory'));
    console.log(`${ENROL_LINE}${JSON.stringify({ enrol: memory.enrol, approvals: memory.approvals })}`);
    return;
  }
  const machine = machineInfo();
  if (process.argv.includes('--issue15')) {
    const r = await withTimeout(
      onStack(false, (stack, dir) => run(stack, dir, 'issue15')),
      LIMITS.phaseMs * 12,
      'issue 15 sections',
    );
    const section = renderIssue15({ machine, limits: LIMITS, enrol: r.enrol, approvals: r.approvals, lumpSum: r.lumpSumApprovals! });
    const file = join(import.meta.dirname, 'results.md');
    writeFileSync(file, replaceSection(readFileSync(file, 'utf8'), section));
    console.log(`\n${section}`);
    log('wrote the issue 15 section of bench/results.md');
    return;
  }
  let watchdog: NodeJS.Timeout | undefined;
  try {
    const all = new Promise<string>((resolve, reject) => {
      watchdog = setTimeout(() => reject(new Error(`the whole run exceeded ${LIMITS.totalMs / 60_000} min`)), LIMITS.totalMs);
      (async () => {
        const disk = await onStack(false, (stack, dir) => run(stack, dir, 'full'));
        const memory = await inMemoryEnrolment();
        log('7. nightly report on generated data (its own in-memory DynamoDB Local)…');
        const report = await withTimeout(reportBench({ storage: 'memory', runs: 15, log }), LIMITS.phaseMs * 2, 'report bench');
        log('8. evaluation of 5,000 org nodes (its own in-memory DynamoDB Local)…');
        const evaluation = await withTimeout(evaluationBench({ runs: 5, log }), LIMITS.phaseMs, 'evaluation bench');
        log('9. plan simulation: 100,000 and 1,000,000 claims (its own in-memory DynamoDB Local)…');
        const simulation = await withTimeout(simulationBench({ runs: 5, log }), LIMITS.simulationPhaseMs, 'simulation bench');
        log('10. npm run seed on a fresh store (its own local stack, DynamoDB Local on disk)…');
        const seed = await withTimeout(seedBench({ storage: 'disk', log }), LIMITS.phaseMs * 2, 'seed bench');
        log('12. the renewal look-up per key against a written row (its own DynamoDB Local on disk)…');
        const lookupCost = await withTimeout(lookupCostBench({ storage: 'disk', log }), LIMITS.phaseMs * 2, 'look-up cost bench');
        if (!disk.latency || !disk.stages || !disk.lambdaCost || !disk.imports || !disk.lumpSumApprovals)
          throw new Error('full run returned a section short');
        return [
          renderReport({ machine, limits: LIMITS, ...disk, latency: disk.latency, stages: disk.stages, enrolInMemory: memory.enrol }),
          '## 4. Claim approvals: the decision handler vs raw transactions (issue 7)',
          '',
          '### 4a. DynamoDB Local on disk (as `npm start` runs it)',
          '',
          renderApprovals(disk.approvals, 'on disk'),
          '',
          '### 4b. DynamoDB Local in memory (as the tests run it)',
          '',
          renderApprovals(memory.approvals, 'in memory'),
          '',
          '### 4c. Lump-sum approvals, DynamoDB Local on disk (issue 15)',
          '',
          renderApprovals(disk.lumpSumApprovals, 'on disk'),
          '',
          '## 5. What a Lambda invocation costs (issue 7)',
          '',
          renderLambdaCost(disk.lambdaCost, 'on disk', LIMITS.lambdaCost),
          '',
          renderImportSection(disk.imports, '## 6. Roster import: 50,000 rows through S3 (issue 9; DynamoDB Local on disk)'),
          '',
          reportBenchMarkdown(report),
          '',
          evaluationBenchMarkdown(evaluation),
          '',
          simulationBenchMarkdown(simulation),
          '',
          seedBenchMarkdown(seed, machine.date, `${machine.cpuModel}, ${machine.cores} cores`),
          '',
          lookupCostMarkdown(lookupCost, machine),
          '',
        ].join('\n');
      })().then(resolve, reject);
    });
    const md = await all;
    // Sections other runs write are kept as they were: the soak's (npm run soak, bench/soak.ts) and the
    // console's first-page figures (test/e2e/console.test.ts, with its heading).
    const previous = existsSync(join(import.meta.dirname, 'results.md'))
      ? readFileSync(join(import.meta.dirname, 'results.md'), 'utf8')
      : '';
    const kept = [
      /<!-- soak:start -->[\s\S]*<!-- soak:end -->/.exec(previous)?.[0],
      /## Console \(工作台\) first page[\s\S]*<!-- \/console-metrics -->/.exec(previous)?.[0],
    ].filter((x) => x !== undefined);
    writeFileSync(join(import.meta.dirname, 'results.md'), `${[md.trimEnd(), ...kept].join('\n\n')}\n`);
    console.log(`\n${md}`);
    log('wrote bench/results.md');
  } finally {
    clearTimeout(watchdog);
  }
};
