import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootstrapStore } from '../../infra/local/bootstrap';
import { ENV } from '../../shared/config';
import { runSeed, type SeedSummary } from '../../infra/local/seedRun';
import { planIds, SEED_CLAIMS, UNITS, unitMembers, previousMembers, criticalMembers, womenMembers } from '../../infra/local/seedData';
import { buildDeps, type Deps } from '../../shared/deps';
import { parseResidentId } from '../../shared/domain/idNumber';
import { runReconcile } from '../../shared/report/reconcileRun';
import { readPlanCountersAsOf } from '../../shared/store/counters';

/** `npm run seed`'s work (infra/local/seedRun.ts) against DynamoDB Local + s3rver, twice. */
let root: string;
let deps: Deps;
let first: SeedSummary;
// A fixed "now" in December: the demo year is that year, its half-year evaluation long paid.
const now = new Date('2026-12-07T02:00:00Z');
const ids = planIds(2026);

/** Every item of the table, by entity. */
const census = async () => {
  const counts: Record<string, number> = {};
  let start: Record<string, any> | undefined;
  do {
    const r = await deps.ddb.send(
      new ScanCommand({ TableName: deps.config.tableName, ExclusiveStartKey: start, ProjectionExpression: 'entity' }),
    );
    for (const i of r.Items ?? []) {
      const e = i.entity?.S ?? '?';
      counts[e] = (counts[e] ?? 0) + 1;
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return counts;
};

const counters = async () => {
  const out: Record<string, unknown> = {};
  for (const planId of Object.values(ids)) {
    const c = await readPlanCountersAsOf(deps.store, planId, '9999-12-31');
    out[planId] = c;
  }
  return out;
};

beforeAll(async () => {
  // A table and a root of their own on the emulators test/support started (the seed reads and counts the
  // whole tree): the handlers, the seed and the checks below all read this process's environment.
  const suffix = ulid().toLowerCase().slice(-10);
  process.env[ENV.tableName] = `huzhu-seed-${suffix}`;
  process.env[ENV.rootOrgId] = root = `seed-root-${suffix}`;
  deps = buildDeps();
  await bootstrapStore(deps.ddb, deps.config.tableName, root, new Date());
  first = await runSeed({ now });
}, 900_000);

describe('npm run seed', () => {
  it('makes the demo federation: orgs with a Chinese root, plans, members, claims in every state, a payment, reports, an evaluation', async () => {
    expect(first.year).toBe(2026);
    expect(first.orgsCreated).toBe(24);
    expect(first.plansCreated).toBe(4);
    const rootOrg = await deps.orgs.get(root);
    expect(rootOrg?.name).toBe('滨江市总工会');
    // Renamed no earlier than it was created (bootstrap, at the real time), whatever the demo's clock says.
    expect(rootOrg!.updatedAt >= rootOrg!.createdAt).toBe(true);
    expect((await deps.orgs.subtree([root])).filter((o) => o.kind === 'unit')).toHaveLength(20);

    // Members: every unit's roster, last year's 60 % renewing; all ID numbers valid, ages 18–60.
    const members = UNITS.map((u, i) => unitMembers(i, u, 2026));
    const total = members.reduce((s, m) => s + m.length, 0);
    expect(total).toBeGreaterThan(2500);
    expect(first.enrolled[ids.inpatient]).toEqual({ added: total, total });
    expect(first.enrolled[ids.inpatientPrevious]?.total).toBe(members.reduce((s, m) => s + previousMembers(m).length, 0));
    expect(first.enrolled[ids.critical]?.total).toBe(members.reduce((s, m) => s + criticalMembers(m).length, 0));
    expect(first.enrolled[ids.women]?.total).toBe(members.reduce((s, m) => s + womenMembers(m).length, 0));
    for (const p of members.flat()) {
      const r = parseResidentId(p.idNumber, '2026-01-01');
      expect(r.ok).toBe(true);
      if (r.ok) expect(Number(r.value.birthDate.slice(0, 4))).toBeGreaterThanOrEqual(2026 - 60);
      if (r.ok) expect(Number(r.value.birthDate.slice(0, 4))).toBeLessThanOrEqual(2026 - 18 - 1);
    }

    // Claims in every state, as seedData says.
    const want = (s: string) => SEED_CLAIMS.filter((c) => c.state === s).length;
    for (const s of ['draft', 'submitted', 'returned', 'approved', 'paid', 'rejected', 'withdrawn'] as const) {
      expect(first.claims[s], s).toBe(want(s));
      expect(first.claims[s], s).toBeGreaterThan(0);
    }
    // The payment completed and its claims are disclosed.
    expect(first.paymentCreated).toBe(true);
    const payment = await deps.payments.get(first.paymentId!);
    expect(payment?.status).toBe('completed');
    const disclosed = await deps.disclosures.list(ids.inpatient, 100);
    expect(disclosed.items).toHaveLength(SEED_CLAIMS.filter((c) => c.state === 'paid' && c.plan === 'inpatient').length);
    // Reports of 30 June and the last three days; the half-year evaluation paid.
    expect(first.reportsCreated).toEqual(['2026-06-30', '2026-12-04', '2026-12-05', '2026-12-06']);
    const june = await deps.reports.getIndex('2026-06-30', true);
    expect(june?.lockedBy).toBeDefined();
    const evaluation = await deps.evaluations.get(first.evaluationId!);
    expect(evaluation?.status).toBe('paid');
    expect(evaluation?.totalRewardFen).toBeGreaterThan(0);
    // The office whose sign-in the seed prints has a claim waiting in its review queue (a demo of reviewing).
    const office = first.signIn.find((x) => x.role === 'office_staff')!;
    const officeOrg = await deps.orgs.get(office.org);
    const waiting = await deps.claims.list({ path: officeOrg!.path, status: 'submitted', limit: 10 });
    expect(waiting.items.length).toBeGreaterThan(0);
    // Everything reconciles.
    const rec = await runReconcile(deps, { by: 'test', recheckDelayMs: 0 });
    expect(rec.drifts).toBe(0);
  });

  it('adds nothing when run a second time (items, counters, reconcile)', { timeout: 900_000 }, async () => {
    const before = await census();
    const countersBefore = await counters();
    const second = await runSeed({ now });
    expect(second.orgsCreated).toBe(0);
    expect(second.plansCreated).toBe(0);
    expect(second.claimSteps).toBe(0);
    expect(second.paymentCreated).toBe(false);
    expect(second.reportsCreated).toEqual([]);
    expect(second.evaluationSteps).toBe(0);
    for (const e of Object.values(second.enrolled)) expect(e.added).toBe(0);
    expect(second.claims).toEqual(first.claims);
    expect(second.paymentId).toBe(first.paymentId);
    expect(second.evaluationId).toBe(first.evaluationId);
    expect(await census()).toEqual(before);
    expect(await counters()).toEqual(countersBefore);
    const rec = await runReconcile(deps, { by: 'test', recheckDelayMs: 0 });
    expect(rec.drifts).toBe(0);
  });
});
