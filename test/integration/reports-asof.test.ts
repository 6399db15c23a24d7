import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Clock, fixedClock } from '../../shared/clock';
import { makeHandler } from '../../functions/nightlyReport/handler';
import { toProblem } from '../../shared/http/middleware/problems';
import { generateReport, readStoredReport } from '../../shared/report/generate';
import { COUNTER_SHARDS, unitPlanCounterAdd } from '../../shared/store/counters';
import { ReportLocked } from '../../shared/store/errors';
import { PDF, postForm, stay } from '../support/claims';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * SPEC §5 "figures recorded up to the end of D, whenever it runs": what happens after D (an enrolment at
 * 00:30 on D+1, claims approved and paid a week later) never reaches D's report; a report k days after the
 * last snapshot reads k days of buckets; a locked report is not re-run.
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const plan = examplePlan(2026, { id: 'asof-p2026' });
const O = 'asof-off';
const U1 = 'asof-u1';
const U2 = 'asof-u2';
const staff = as('office_staff', O, 'reviewer-asof');
const clerk = (unit: string) => as('unit_admin', unit, `clerk@${unit}`);
/** Noon in Shanghai of a date (04:00 UTC), and a given Shanghai wall-clock time. */
const noon = (date: string) => fixedClock(`${date}T04:00:00Z`);
const shanghai = (date: string, hhmm: string) => fixedClock(new Date(Date.parse(`${date}T${hhmm}:00+08:00`)).toISOString());
const ok = (r: { status: number; text: string }, status = 200) => expect(r.status, r.text).toBe(status);

const enrol = async (unitId: string, n: number, clock: Clock, from = 1970) => {
  const r = await s.call('enrolMembers', {
    params: { unitId },
    body: { planId: plan.id, members: people(n, from) },
    claims: fed,
    clock,
  });
  ok(r);
  expect(r.body.accepted, r.text).toBe(n);
  return (r.body.enrolments as { enrolmentId: string }[]).map((e) => e.enrolmentId);
};

const submittedClaim = async (unit: string, enrolmentId: string, clock: Clock) => {
  const filed = await s.call('createClaim', { body: stay(enrolmentId), claims: clerk(unit), clock });
  ok(filed, 201);
  const id = filed.body.claimId as string;
  for (const kind of ['invoice', 'discharge_summary']) {
    const d = await s.call('declareClaimDocument', {
      params: { id },
      body: { kind, fileName: `${kind}.pdf`, contentType: 'application/pdf', sizeBytes: PDF.length },
      claims: clerk(unit),
      clock,
    });
    ok(d, 201);
    expect((await postForm(d.body.upload, PDF, 'application/pdf')).status).toBe(204);
  }
  ok(await s.call('submitClaim', { params: { id }, claims: clerk(unit), clock }));
  return id;
};

/** The stored report.json of a date, without the two fields a re-run may change. */
const figures = async (date: string) => {
  const index = await s.deps().reports.getIndex(date, true);
  const { generatedAt: _g, asOf: _a, ...rest } = await readStoredReport(s.deps(), index!.files.json);
  return rest;
};
const unitNode = (report: Awaited<ReturnType<typeof figures>>, unitId: string) =>
  report.plans.find((p) => p.planId === plan.id)!.nodes.find((n) => n.orgId === unitId)!;

let members: string[];

beforeAll(async () => {
  s = await isolatedStore('asof');
  fed = as('federation_admin', s.rootId);
  ok(await s.call('createOrg', { body: { id: O, name: '办事处', kind: 'office', parentId: s.rootId }, claims: fed }), 201);
  for (const u of [U1, U2])
    ok(await s.call('createOrg', { body: { id: u, name: `${u}工会`, kind: 'unit', parentId: O, headcount: 40 }, claims: fed }), 201);
  ok(await s.call('createPlan', { body: plan, claims: fed }), 201);
  members = await enrol(U1, 4, noon('2026-03-10'));
}, 90_000);

describe('a report counts what was recorded up to the end of its date (SPEC §5)', () => {
  it('an enrolment at 00:30 on D+1 is not in the report for D run at 01:00 on D+1', async () => {
    await enrol(U1, 2, shanghai('2026-03-11', '00:30'), 1985);
    const summary = await generateReport(s.deps(shanghai('2026-03-11', '01:00')), '2026-03-10');
    const d = await figures('2026-03-10');
    expect(unitNode(d, U1)).toMatchObject({ enrolled: 4, contributionsFen: 20_000, contributionsWorkerFen: 20_000 });
    // 01:00 is past the margin for writes in flight at midnight: D's snapshot is stored.
    expect(summary.snapshots).toBe(1);
    await generateReport(s.deps(shanghai('2026-03-11', '12:00')), '2026-03-11');
    expect(unitNode(await figures('2026-03-11'), U1).enrolled).toBe(6);
  });

  it('re-running a past date a week later, after claims were submitted, approved and paid, gives identical figures', async () => {
    const D = '2026-07-20';
    const approved = await submittedClaim(U1, members[0]!, noon(D));
    ok(await s.call('decideClaim', { params: { id: approved }, body: { decision: 'approve' }, claims: staff, clock: noon(D) }));
    await submittedClaim(U1, members[1]!, noon(D));
    // First run at 00:05 on D+1 (before the margin: no snapshot), then the nightly run at 02:00.
    expect((await generateReport(s.deps(shanghai('2026-07-21', '00:05')), D)).snapshots).toBe(0);
    const first = await figures(D);
    await generateReport(s.deps(shanghai('2026-07-21', '02:00')), D);
    expect(await figures(D)).toEqual(first);
    expect(unitNode(first, U1)).toMatchObject({ claimsSubmitted: 2, claimsApproved: 1, claimsPaid: 0 });

    // A week of changes: the approved claim paid, another claim submitted and approved, a member moved.
    const later = noon('2026-07-27');
    ok(
      await s.call('createPayment', {
        body: { claimIds: [approved], paidDate: '2026-07-27', reference: 'ASOF-1' },
        claims: fed,
        clock: later,
      }),
      201,
    );
    const third = await submittedClaim(U1, members[2]!, later);
    ok(await s.call('decideClaim', { params: { id: third }, body: { decision: 'approve' }, claims: staff, clock: later }));
    ok(await s.call('transferEnrolment', { params: { id: members[3]! }, body: { toUnitId: U2 }, claims: staff, clock: later }));

    await generateReport(s.deps(shanghai('2026-07-28', '02:00')), D);
    expect(await figures(D)).toEqual(first);
    // The changes are there for the later date.
    await generateReport(s.deps(shanghai('2026-07-28', '02:00')), '2026-07-27');
    expect(unitNode(await figures('2026-07-27'), U1)).toMatchObject({ claimsSubmitted: 3, claimsApproved: 2, claimsPaid: 1, enrolled: 5 });
  }, 60_000);

  it('a report k days after the last snapshot reads k days of buckets: calls alike, items bounded by nodes × shards × k', async () => {
    // Two shards of each unit moved on every day from 09-02 to 09-09.
    const move = (unitId: string, day: string, shard: number) =>
      s.deps().db.send(
        new TransactWriteCommand({
          TransactItems: [
            unitPlanCounterAdd(s.config.tableName, { id: unitId, path: [s.rootId, O, unitId] }, plan.id, day, shard, { claimsRejected: 1 }),
          ],
        }),
      );
    for (let d = 2; d <= 9; d++) for (const u of [U1, U2]) for (const shard of [0, 1]) await move(u, `2026-09-0${d}`, shard);
    await generateReport(s.deps(shanghai('2026-09-02', '02:00')), '2026-09-01'); // snapshot of 09-01
    const k7 = await generateReport(s.deps(shanghai('2026-09-09', '02:00')), '2026-09-08'); // from 09-01: 7 days
    const k1 = await generateReport(s.deps(shanghai('2026-09-10', '02:00')), '2026-09-09'); // from 09-08: 1 day
    const units = 2;
    const snapshotItems = units; // one per unit with anything counted
    expect(k1.counterReads).toEqual({ calls: 3, items: 1 + snapshotItems + units * 2 * 1 });
    expect(k7.counterReads).toEqual({ calls: 3, items: 1 + snapshotItems + units * 2 * 7 });
    const nodes = 4;
    expect(k7.counterReads.items).toBeLessThanOrEqual(1 + nodes + nodes * COUNTER_SHARDS * 7);
    expect(unitNode(await figures('2026-09-08'), U1).claimsRejected).toBe(14);
    expect(unitNode(await figures('2026-09-09'), U1).claimsRejected).toBe(16);
  }, 60_000);
});

describe('a locked report is not re-run (409 REPORT_LOCKED)', () => {
  it('lockReport through the store; the generator, the nightly job and the problem mapping all refuse', async () => {
    const date = '2026-03-10';
    const before = await s.deps().reports.getIndex(date, true);
    const locked = await s.deps().reports.lockReport(date, 'evaluation:half-year', '2026-07-01T02:00:00.000Z');
    expect(locked).toMatchObject({ date, locked: true, lockedBy: 'evaluation:half-year', generatedAt: before!.generatedAt });
    await expect(generateReport(s.deps(shanghai('2026-07-02', '02:00')), date)).rejects.toBeInstanceOf(ReportLocked);
    await expect(makeHandler(() => s.deps(shanghai('2026-07-02', '02:00')))({ date })).rejects.toThrow(/REPORT_LOCKED/);
    // A lock taken between the generator's check and its index write: the write refuses too.
    await expect(s.deps().reports.putIndex({ ...before!, generatedAt: 'x' })).rejects.toBeInstanceOf(ReportLocked);
    expect(await s.deps().reports.getIndex(date, true)).toMatchObject({ generatedAt: before!.generatedAt, locked: true });
    const p = toProblem(new ReportLocked(date));
    expect([p.status, p.toBody().code]).toEqual([409, 'REPORT_LOCKED']);
    // Locking again keeps the first lock; a date without a report cannot be locked.
    expect(await s.deps().reports.lockReport(date, 'someone-else', '2026-07-03T00:00:00.000Z')).toMatchObject({
      lockedBy: 'evaluation:half-year',
    });
    expect(await s.deps().reports.lockReport('2026-01-01', 'x', '2026-07-03T00:00:00.000Z')).toBeUndefined();
  });
});
