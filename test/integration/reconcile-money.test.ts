import { DeleteCommand, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { makeHandler } from '../../functions/nightlyReport/handler';
import { runReconcile } from '../../shared/report/reconcileRun';
import { readUnitPlanCounters, unitPlanCounterAdd } from '../../shared/store/counters';
import { keys } from '../../shared/store/keys';
import { counterCorrections, reconcilePayments, reconcilePlan } from '../../shared/store/reconcile';
import { augustClock, julyClock, submittedOn } from '../support/claims';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * The reconciliation's money invariants (SPEC §5): each is shown by corrupting ONE item directly in
 * DynamoDB and seeing the drift named, then the item is put back. The plan is built through the API: a
 * paid claim (completed payment, disclosure), an approved one, a co-funded member moved between units.
 * Tests run in order and the clock only moves forward (the nightly job's run stores a snapshot of its date,
 * and nothing may be written into a day a snapshot already covers).
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const plan = examplePlan(2026, { id: 'recm-p2026' });
const O = 'recm-off';
const U1 = 'recm-u1';
const U2 = 'recm-u2';
const staff = as('office_staff', O, 'reviewer-recm');
const clerk = (unit: string) => as('unit_admin', unit, `clerk@${unit}`);
const ok = (r: { status: number; text: string }, status = 200) => expect(r.status, r.text).toBe(status);
let members: string[];
let paidClaim: string;
let approvedClaim: string;
let paymentId: string;

const submittedClaim = (unit: string, enrolmentId: string) => submittedOn(s, clerk(unit), enrolmentId);

const db = () => s.deps().db;
const table = () => s.config.tableName;
const reconcile = () => reconcilePlan(s.deps().store, s.rootId, plan.id, { recheckDelayMs: 0 });
const itemAt = async (key: { pk: string; sk: string }) =>
  (await db().send(new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }))).Item!;

/** Runs `check` with one item changed by `update` (an UpdateExpression), then puts the item back as it was. */
const withCorrupted = async (
  key: { pk: string; sk: string },
  update: { expression: string; names?: Record<string, string>; values?: Record<string, unknown> },
  check: () => Promise<void>,
) => {
  const before = await itemAt(key);
  await db().send(
    new UpdateCommand({
      TableName: table(),
      Key: key,
      UpdateExpression: update.expression,
      ...(update.names ? { ExpressionAttributeNames: update.names } : {}),
      ...(update.values ? { ExpressionAttributeValues: update.values } : {}),
    }),
  );
  try {
    await check();
  } finally {
    await db().send(new PutCommand({ TableName: table(), Item: before }));
  }
};

const counterMove = (unitId: string, delta: Record<string, number>, day = '2026-08-10') =>
  db().send(
    new TransactWriteCommand({
      TransactItems: [unitPlanCounterAdd(table(), { id: unitId, path: [s.rootId, O, unitId] }, plan.id, day, 6, delta)],
    }),
  );

beforeAll(async () => {
  s = await isolatedStore('recm');
  fed = as('federation_admin', s.rootId);
  ok(await s.call('createOrg', { body: { id: O, name: '办事处', kind: 'office', parentId: s.rootId }, claims: fed }), 201);
  for (const u of [U1, U2])
    ok(await s.call('createOrg', { body: { id: u, name: `${u}工会`, kind: 'unit', parentId: O, headcount: 40 }, claims: fed }), 201);
  ok(await s.call('createPlan', { body: plan, claims: fed }), 201);
  const r = await s.call('enrolMembers', { params: { unitId: U1 }, body: { planId: plan.id, members: people(4) }, claims: fed });
  ok(r);
  members = (r.body.enrolments as { enrolmentId: string }[]).map((e) => e.enrolmentId);
  paidClaim = await submittedClaim(U1, members[0]!);
  ok(await s.call('decideClaim', { params: { id: paidClaim }, body: { decision: 'approve' }, claims: staff, clock: julyClock }));
  const p = await s.call('createPayment', {
    body: { claimIds: [paidClaim], paidDate: '2026-08-05', reference: 'RECM-1' },
    claims: fed,
    clock: augustClock,
  });
  ok(p, 201);
  paymentId = p.body.paymentId;
  approvedClaim = await submittedClaim(U1, members[1]!);
  ok(await s.call('decideClaim', { params: { id: approvedClaim }, body: { decision: 'approve' }, claims: staff, clock: julyClock }));
}, 90_000);

describe('reconcile: the money', () => {
  it('a plan written through the API has no drift', async () => {
    expect(await reconcile()).toMatchObject({ drifts: [], inFlight: [], enrolments: 4, claims: 2 });
    expect(await reconcilePayments(s.deps().store)).toEqual({ payments: 1, drifts: [], inFlight: [] });
  });

  it("an enrolment's usedFen or deductibleUsedFen that its approved claims do not add up to", async () => {
    const e = members[1]!;
    const { usedFen, deductibleUsedFen } = await itemAt(keys.enrolment(e));
    expect(usedFen).toBeGreaterThan(0);
    await withCorrupted(keys.enrolment(e), { expression: 'SET usedFen = :v', values: { ':v': usedFen + 100 } }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'approvalFact', id: e, field: 'sumBenefitFen', expected: usedFen + 100, actual: usedFen },
        { entity: 'enrolment', id: e, field: 'usedFen', expected: usedFen, actual: usedFen + 100 },
      ]);
    });
    await withCorrupted(keys.enrolment(e), { expression: 'SET deductibleUsedFen = :v', values: { ':v': 0 } }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'approvalFact', id: e, field: 'sumDeductibleConsumedFen', expected: 0, actual: deductibleUsedFen },
        { entity: 'enrolment', id: e, field: 'deductibleUsedFen', expected: deductibleUsedFen, actual: 0 },
      ]);
    });
    expect(deductibleUsedFen).toBeGreaterThan(0);
  });

  it('an approval fact (PLANFACTS#) that disagrees with its claim', async () => {
    const e = members[1]!;
    const fact = keys.approvalFact(plan.id, e, 1);
    const { benefitFen } = await itemAt(fact);
    await withCorrupted(fact, { expression: 'SET benefitFen = :v', values: { ':v': benefitFen - 1 } }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'approvalFact', id: e, field: 'sumBenefitFen', expected: benefitFen, actual: benefitFen - 1 },
        { entity: 'approvalFact', id: `${e}#1`, field: 'benefitFen', expected: benefitFen, actual: benefitFen - 1 },
      ]);
    });
  });

  it("a completed payment's total against its claims, and each claim paid under it", async () => {
    const { totalFen } = await itemAt(keys.payment(paymentId));
    await withCorrupted(keys.payment(paymentId), { expression: 'SET totalFen = :v', values: { ':v': totalFen + 1 } }, async () => {
      expect((await reconcilePayments(s.deps().store)).drifts).toEqual([
        { entity: 'payment', id: paymentId, field: 'totalFen', expected: totalFen, actual: totalFen + 1 },
      ]);
    });
    await withCorrupted(keys.claim(paidClaim), { expression: 'SET paymentId = :v', values: { ':v': 'NO-SUCH-PAYMENT' } }, async () => {
      expect((await reconcilePayments(s.deps().store)).drifts).toEqual([
        { entity: 'claim', id: paidClaim, field: 'paidUnder', expected: paymentId, actual: 'paid NO-SUCH-PAYMENT' },
      ]);
      expect((await reconcile()).drifts).toEqual([
        { entity: 'claim', id: paidClaim, field: 'paymentStatus', expected: 'completed', actual: null },
      ]);
    });
  });

  it('disclosures match paid claims exactly: benefit, paid date, one each', async () => {
    // The public reference is random: the claim records the one its disclosure was published under.
    const ref = String((await itemAt(keys.claim(paidClaim))).claimRef);
    const key = keys.disclosure(plan.id, '2026-08-05', ref);
    const { benefitFen } = await itemAt(key);
    await withCorrupted(key, { expression: 'SET benefitFen = :v', values: { ':v': benefitFen + 7 } }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'disclosure', id: paidClaim, field: 'benefitFen', expected: benefitFen, actual: benefitFen + 7 },
      ]);
    });
    await withCorrupted(key, { expression: 'SET paidDate = :v', values: { ':v': '2026-08-04' } }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'disclosure', id: paidClaim, field: 'paidDate', expected: '2026-08-05', actual: '2026-08-04' },
      ]);
    });
    /** Runs `check` with one extra item in the table. */
    const withExtra = async (item: Record<string, unknown>, check: () => Promise<void>) => {
      await db().send(new PutCommand({ TableName: table(), Item: item }));
      try {
        await check();
      } finally {
        await db().send(new DeleteCommand({ TableName: table(), Key: { pk: item.pk, sk: item.sk } }));
      }
    };
    const original = await itemAt(key);
    // A second disclosure of the same paid claim.
    await withExtra(
      { ...original, sk: '2026-08-06#SECONDREF0000000000', claimRef: 'SECONDREF0000000000', paidDate: '2026-08-06' },
      async () => {
        expect((await reconcile()).drifts).toEqual([{ entity: 'disclosure', id: paidClaim, field: 'count', expected: 1, actual: 2 }]);
      },
    );
    // A disclosure of a claim that is only approved.
    const stray = keys.disclosure(plan.id, '2026-08-05', 'STRAYREF00000000000');
    await withExtra({ ...original, sk: stray.sk, claimRef: 'STRAYREF00000000000', claimId: approvedClaim }, async () => {
      expect((await reconcile()).drifts).toEqual([
        { entity: 'disclosure', id: approvedClaim, field: 'claimStatus', expected: 'paid', actual: 'approved' },
      ]);
    });
    // The paid claim's disclosure missing.
    await db().send(new DeleteCommand({ TableName: table(), Key: key }));
    try {
      expect((await reconcile()).drifts).toEqual([{ entity: 'disclosure', id: paidClaim, field: 'count', expected: 1, actual: 0 }]);
    } finally {
      await db().send(new PutCommand({ TableName: table(), Item: original }));
    }
  });

  it('claims of a payment that is not final are in flight: listed, not judged', async () => {
    await withCorrupted(
      keys.payment(paymentId),
      { expression: 'SET #s = :v', names: { '#s': 'status' }, values: { ':v': 'pending' } },
      async () => {
        expect(await reconcilePayments(s.deps().store)).toEqual({ payments: 1, drifts: [], inFlight: [paidClaim] });
        expect(await reconcile()).toMatchObject({ drifts: [], inFlight: [paidClaim] });
      },
    );
  });

  it('a drift that a write in flight explains is gone on the re-check, and is not reported', async () => {
    // The "record" lands between the two passes: here the counter is put right during the pause.
    await counterMove(U2, { enrolled: 1 });
    const run = reconcilePlan(s.deps().store, s.rootId, plan.id, { recheckDelayMs: 1500 });
    await new Promise((r) => setTimeout(r, 500));
    await counterMove(U2, { enrolled: -1 });
    expect((await run).drifts).toEqual([]);
  });
});

describe('co-funding: enrolment and transfer move every summed counter (SPEC §4.3, §5)', () => {
  it('a co-funded member moved to another unit leaves both units clean', async () => {
    const r = await s.call('enrolMembers', {
      params: { unitId: U1 },
      body: { planId: plan.id, members: people(1, 1990).map((m) => ({ ...m, shares: 2 })) },
      claims: fed,
    });
    ok(r);
    const id = r.body.enrolments[0].enrolmentId as string;
    // What a co-funded roster records (the co-funding writer): the split on the enrolment, the counters moved to match.
    const funding = { administrationFen: 3000, unionFen: 2000, workerFen: 5000 };
    await db().send(
      new UpdateCommand({
        TableName: table(),
        Key: keys.enrolment(id),
        UpdateExpression: 'SET funding = :f',
        ExpressionAttributeValues: { ':f': funding },
      }),
    );
    await counterMove(U1, { contributionsAdministrationFen: 3000, contributionsUnionFen: 2000, contributionsWorkerFen: -5000 });
    expect((await reconcile()).drifts).toEqual([]);

    ok(await s.call('transferEnrolment', { params: { id }, body: { toUnitId: U2 }, claims: staff }));
    expect((await reconcile()).drifts).toEqual([]);
    expect(await readUnitPlanCounters(s.deps().store, U2, plan.id)).toMatchObject({
      enrolled: 1,
      contributionsFen: 10_000,
      contributionsAdministrationFen: 3000,
      contributionsUnionFen: 2000,
      contributionsWorkerFen: 5000,
    });
  });

  it('a roster co-funded through the API reconciles clean; a drift in the shares counters is named', async () => {
    const r = await s.call('enrolMembers', {
      params: { unitId: U2 },
      body: { planId: plan.id, members: people(2, 1991), funding: { administrationPerShareFen: 1000, unionPerShareFen: 500 } },
      claims: fed,
    });
    ok(r);
    expect(r.body.accepted).toBe(2);
    expect((await reconcile()).drifts).toEqual([]);
    await counterMove(U2, { sharesRenewal: 1 });
    expect((await reconcile()).drifts).toEqual([expect.objectContaining({ id: U2, field: 'sharesRenewal' })]);
    await counterMove(U2, { sharesRenewal: -1 });
    expect((await reconcile()).drifts).toEqual([]);
  });
});

describe('reconcile --repair: counters only, each correction audited', () => {
  it('moves a drifting counter back to the records with an audit event, and never touches usedFen', async () => {
    const e = members[1]!;
    const { usedFen } = await itemAt(keys.enrolment(e));
    await counterMove(U1, { enrolled: 2, 'openSubmitted@2026-07-01': 1 });
    await withCorrupted(keys.enrolment(e), { expression: 'SET usedFen = :v', values: { ':v': usedFen + 100 } }, async () => {
      const at = '2026-08-11T03:00:00.000Z';
      const run = await runReconcile(s.deps(fixedClock(at)), { planIds: [plan.id], repair: true, by: 'ops@test', recheckDelayMs: 0 });
      const fixed = [
        { field: 'enrolled', from: 6, to: 4 },
        { field: 'openSubmitted@2026-07-01', from: 1, to: 0 },
      ];
      expect(run.corrections).toEqual([{ at, by: 'ops@test', planId: plan.id, unitId: U1, day: '2026-08-11', changes: fixed }]);
      expect(await counterCorrections(s.deps().store)).toContainEqual({
        at,
        by: 'ops@test',
        planId: plan.id,
        unitId: U1,
        day: '2026-08-11',
        changes: fixed,
      });
      expect((await readUnitPlanCounters(s.deps().store, U1, plan.id)).enrolled).toBe(4);
      // The money drift is still there, untouched: a person decides about it.
      expect((await itemAt(keys.enrolment(e))).usedFen).toBe(usedFen + 100);
      expect((await reconcile()).drifts).toEqual([
        { entity: 'approvalFact', id: e, field: 'sumBenefitFen', expected: usedFen + 100, actual: usedFen },
        { entity: 'enrolment', id: e, field: 'usedFen', expected: usedFen, actual: usedFen + 100 },
      ]);
    });
  });

  it('the nightly job repairs counters before it reports', async () => {
    await counterMove(U2, { claimsPaid: 3 });
    await makeHandler(() => s.deps(fixedClock('2026-08-12T18:00:00Z')))({ date: '2026-08-12' });
    expect((await counterCorrections(s.deps().store)).filter((c) => c.by === 'nightly-job')).toEqual([
      expect.objectContaining({ unitId: U2, changes: [{ field: 'claimsPaid', from: 3, to: 0 }] }),
    ]);
    expect((await reconcile()).drifts).toEqual([]);
  }, 30_000);
});
