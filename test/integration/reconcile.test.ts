import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../infra/cors';
import type { Clock } from '../../shared/clock';
import { openSubmittedOn, readPlanCountersUnder, toUnitPlanCounters, unitPlanCounterAdd } from '../../shared/store/counters';
import { compare, reconcilePayments, reconcilePlan } from '../../shared/store/reconcile';
import { augustClock, julyClock, stay, submittedOn } from '../support/claims';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * Reconciliation (SPEC §5): counters recounted from the records. Everything
 * is written through the API (enrolments, a transfer, claims in every
 * counted state, a payment), so a clean plan must show no drift; then a
 * counter shard is corrupted directly and the drift must be named.
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const plan = examplePlan(2026, { id: 'rec-p2026' });
const O = 'rec-off';
const U1 = 'rec-u1';
const U2 = 'rec-u2';
const staff = as('office_staff', O, 'reviewer-1');
const clerk = (unit: string) => as('unit_admin', unit, `clerk@${unit}`);
let dir: string;

const ok = (r: { status: number; text: string }, status = 200) => expect(r.status, r.text).toBe(status);

const submittedClaim = (unit: string, enrolmentId: string) => submittedOn(s, clerk(unit), enrolmentId);
const decide = (id: string, body: Record<string, unknown>, clock: Clock = julyClock) =>
  s.call('decideClaim', { params: { id }, body, claims: staff, clock });

beforeAll(async () => {
  s = await isolatedStore('rec');
  fed = as('federation_admin', s.rootId);
  ok(await s.call('createOrg', { body: { id: O, name: '办事处', kind: 'office', parentId: s.rootId }, claims: fed }), 201);
  for (const u of [U1, U2])
    ok(await s.call('createOrg', { body: { id: u, name: `${u}工会`, kind: 'unit', parentId: O, headcount: 40 }, claims: fed }), 201);
  ok(await s.call('createPlan', { body: plan, claims: fed }), 201);
  const enrol = async (unitId: string, n: number, shares = 1) => {
    const r = await s.call('enrolMembers', {
      params: { unitId },
      body: { planId: plan.id, members: people(n).map((m) => ({ ...m, shares })) },
      claims: fed,
    });
    ok(r);
    return (r.body.enrolments as { enrolmentId: string }[]).map((e) => e.enrolmentId);
  };
  const e1 = await enrol(U1, 5);
  await enrol(U2, 2, 2);
  // A transfer moves enrolled and contributions between the units' counters.
  ok(await s.call('transferEnrolment', { params: { id: e1[4]! }, body: { toUnitId: U2 }, claims: staff }));

  const paid = await submittedClaim(U1, e1[0]!);
  ok(await decide(paid, { decision: 'approve' }));
  ok(
    await s.call('createPayment', {
      body: { claimIds: [paid], paidDate: '2026-08-05', reference: 'REC-1' },
      claims: fed,
      clock: augustClock,
    }),
    201,
  );
  const approved = await submittedClaim(U1, e1[1]!);
  ok(await decide(approved, { decision: 'approve' }));
  ok(await decide(await submittedClaim(U1, e1[2]!), { decision: 'reject', reason: '不属于住院' }));
  await submittedClaim(U1, e1[3]!); // stays open
  ok(await decide(await submittedClaim(U2, e1[4]!), { decision: 'return', reason: '缺费用清单' }));
  // A draft counts nowhere.
  ok(
    await s.call('createClaim', {
      body: stay(e1[4]!, { admissionDate: '2026-07-12', dischargeDate: '2026-07-14' }),
      claims: clerk(U2),
      clock: julyClock,
    }),
    201,
  );
}, 90_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('reconcilePlan', () => {
  it('recounts a clean plan from its records and finds no drift', async () => {
    const r = await reconcilePlan(s.deps().store, s.rootId, plan.id, { recheckDelayMs: 0 });
    expect(r).toMatchObject({ planId: plan.id, units: 2, enrolments: 7, claims: 6, drifts: [], inFlight: [] });
    expect(await reconcilePayments(s.deps().store)).toEqual({ payments: 1, drifts: [], inFlight: [] });
    // The counters it agreed with are the ones the flow should have produced.
    const recorded = await readPlanCountersUnder(s.deps().store, plan.id, [s.rootId]);
    const u1 = toUnitPlanCounters(recorded.get(U1)!);
    expect(u1).toMatchObject({
      enrolled: 4,
      contributionsFen: 20_000,
      contributionsWorkerFen: 20_000,
      claimsSubmitted: 4,
      claimsApproved: 2,
      claimsPaid: 1,
      claimsRejected: 1,
    });
    expect(u1.openSubmitted).toEqual({ '2026-07-20': 1 });
    expect(u1.benefitsPaidFen).toBeGreaterThan(0);
    expect(u1.paidDaysTotal).toBe(16); // submitted 07-20, paid 08-05
    expect(toUnitPlanCounters(recorded.get(U2)!)).toMatchObject({
      enrolled: 3,
      contributionsFen: 25_000,
      contributionsWorkerFen: 25_000,
      claimsSubmitted: 1,
      openSubmitted: {},
    });
  });

  it('names every drift injected into a counter shard', async () => {
    const deps = s.deps();
    await deps.db.send(
      new TransactWriteCommand({
        TransactItems: [
          unitPlanCounterAdd(s.config.tableName, { id: U2, path: [s.rootId, O, U2] }, plan.id, '2026-08-10', 5, {
            enrolled: 1,
            [openSubmittedOn('2026-07-01')]: 2,
          }),
        ],
      }),
    );
    const r = await reconcilePlan(deps.store, s.rootId, plan.id, { recheckDelayMs: 0 });
    expect(r.drifts).toEqual([
      { entity: 'counter', id: U2, field: 'enrolled', expected: 3, actual: 4 },
      { entity: 'counter', id: U2, field: 'openSubmitted@2026-07-01', expected: 0, actual: 2 },
    ]);
  });

  it('compare: a side without a field reads 0 there; units on either side only are compared too', () => {
    const drifts = compare(
      new Map([['u1', { enrolled: 2 }]]),
      new Map<string, Record<string, number>>([
        ['u1', { enrolled: 2, claimsPaid: 0 }],
        ['u9', { contributionsFen: 5 }],
      ]),
    );
    expect(drifts).toEqual([{ unitId: 'u9', field: 'contributionsFen', counted: 0, recorded: 5 }]);
  });
});

/** The local command-line tools, pointed at this test's emulators through a running.json of their own. */
const cli = (script: string, args: string[], localDir: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('infra', 'local', script), ...args], {
      cwd: repoRoot,
      env: { ...process.env, HUZHU_LOCAL_DIR: localDir, LOG_LEVEL: 'SILENT' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

describe('npm run report / npm run reconcile', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'huzhu-cli-'));
    const running = {
      url: 'http://localhost:0',
      dynamoEndpoint: s.config.dynamoEndpoint,
      s3Endpoint: s.config.s3Endpoint,
      tableName: s.config.tableName,
      bucketName: s.config.bucketName,
      rootOrgId: s.rootId,
      pid: process.pid,
    };
    writeFileSync(join(dir, 'running.json'), JSON.stringify(running));
  });

  it('report: one summary line on stdout, the index written', async () => {
    const r = await cli('report.ts', ['--date', '2026-06-30', '--org', O], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(
      new RegExp(
        `^report 2026-06-30: 1 plan, 4 nodes, 3 files in \\d+\\.\\d s → s3://${s.config.bucketName}/reports/2026-06-30/${s.rootId}/; cut for ${O} → `,
      ),
    );
    expect((await s.deps().reports.getIndex('2026-06-30', true))?.nodes).toBe(4);
    expect((await s.deps().reports.getCut('2026-06-30', O))?.files.csv).toBe(`reports/2026-06-30/${O}/report.csv`);
  }, 60_000);

  it('reconcile: prints the drifts and exits 1; an unknown plan exits 2', async () => {
    const r = await cli('reconcile.ts', ['--plan', plan.id], dir);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain(`drift ${plan.id} counter ${U2} enrolled: expected 3, actual 4`);
    expect(r.stdout).toMatch(/reconcile rec-p2026: 2 units, 7 enrolments, 6 claims recounted; 2 drifts/);
    expect(r.stdout).toContain('payments: 1 checked; no drift');
    const unknown = await cli('reconcile.ts', ['--plan', 'no-such-plan'], dir);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([2, 'huzhu reconcile: plan no-such-plan not found']);
  }, 60_000);

  it('reconcile --repair: corrects the counters, says so, exits 0; the next run finds nothing', async () => {
    const r = await cli('reconcile.ts', ['--plan', plan.id, '--repair'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`repaired ${plan.id} counter ${U2}: enrolled 4→3, openSubmitted@2026-07-01 2→0`);
    const again = await cli('reconcile.ts', [], dir);
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/reconcile rec-p2026: 2 units, 7 enrolments, 6 claims recounted; no drift/);
  }, 60_000);

  it('report: a locked date is refused with REPORT_LOCKED, exit 1', async () => {
    expect(await s.deps().reports.lockReport('2026-06-30', 'evaluation:test', '2026-07-01T00:00:00.000Z')).toBeDefined();
    const r = await cli('report.ts', ['--date', '2026-06-30'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^huzhu report: REPORT_LOCKED: the report of 2026-06-30 is locked/);
  }, 60_000);

  it('without a running stack: exit 1 and one line saying so', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'huzhu-cli-none-'));
    try {
      const r = await cli('report.ts', ['--date', '2026-06-30'], empty);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toBe('huzhu report: the local stack is not running (start it with `npm start`)');
      const bad = await cli('report.ts', ['--date', '2026-02-30'], empty);
      expect(bad.code).toBe(2);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 60_000);
});
