import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { makeHandler } from '../../functions/nightlyReport/handler';
import type { Deps } from '../../shared/deps';
import { settleStuckPayments } from '../../shared/payments/settle';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { paymentChunking } from '../../shared/store/payments';
import { augustClock, julyClock, submittedOn } from '../support/claims';
import { examplePlan } from '../support/examplePlan';
import { dyingStore as dyingAt, faultyStore } from '../support/faults';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * A payment batch is never observed half paid (SPEC §4.4), wherever its
 * function dies. On a table of its own (so the settle step meets only these
 * payments), a batch of 4 claims in 2 units is paid through small chunks
 * (2 reservations, 4 roll-forwards: 9 writes in all), and the function is
 * killed at every write — before it is sent, and after it landed with the
 * answer lost — with every later write failing too. Then, while it is stuck,
 * no read shows part of the batch paid; and once the clock is past the lease
 * and the settle step has run (twice at once), every claim is unpaid or paid
 * with its batch completed, and the counters and disclosures match exactly.
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const plan = examplePlan(2026, { id: 'payf-p2026' });
const O = 'payf-off';
const UNITS = ['payf-u1', 'payf-u2'];
const staff = as('office_staff', O, 'reviewer-1');
const clerk = (unit: string) => as('unit_admin', unit, `clerk@${unit}`);
const afterLease = fixedClock('2026-08-05T05:00:00Z');
const ok = (r: { status: number; text: string }, status = 200) => expect(r.status, r.text).toBe(status);

/** n approved claims, one member each, alternating units, through the API. */
const approvedClaims = async (n: number) => {
  const members = people(n, 1960);
  const enrolled: { unit: string; enrolmentId: string }[] = [];
  for (const [k, unit] of UNITS.entries()) {
    const mine = members.filter((_, i) => i % UNITS.length === k);
    const r = await s.call('enrolMembers', { params: { unitId: unit }, body: { planId: plan.id, members: mine }, claims: fed });
    ok(r);
    enrolled.push(...(r.body.enrolments as { enrolmentId: string }[]).map((e) => ({ unit, enrolmentId: e.enrolmentId })));
  }
  const limit = pLimit(8);
  return Promise.all(
    enrolled.map(({ unit, enrolmentId }) =>
      limit(async () => {
        const id = await submittedOn(s, clerk(unit), enrolmentId);
        const a = await s.call('decideClaim', { params: { id }, body: { decision: 'approve' }, claims: staff, clock: julyClock });
        ok(a);
        return { claimId: id, unit, benefitFen: a.body.approvedBenefitFen as number };
      }),
    ),
  );
};
type Claim = Awaited<ReturnType<typeof approvedClaims>>[number];

const pay = (claimIds: string[], over: { deps?: Partial<Deps>; headers?: Record<string, string>; claims?: Record<string, string> } = {}) =>
  s.call('createPayment', {
    body: { claimIds, paidDate: '2026-08-05', reference: 'PAYF-1' },
    claims: over.claims ?? fed,
    clock: augustClock,
    ...(over.headers ? { headers: over.headers } : {}),
    ...(over.deps ? { deps: over.deps } : {}),
  });

const counters = async () =>
  Promise.all(UNITS.map(async (u) => toUnitPlanCounters(await readUnitPlanCounters(s.deps().store, u, plan.id))));
const disclosureItems = async (claimIds: string[]) => {
  const r = await s.deps().db.send(
    new QueryCommand({
      TableName: s.config.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `DISCLOSURE#${plan.id}` },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).filter((i) => claimIds.includes(i.claimId as string));
};
const publicDisclosures = async () => {
  const r = await s.call('listDisclosures', { params: { planId: plan.id }, query: { limit: 500 } });
  ok(r);
  return r.body.items as { claimRef: string }[];
};
const listed = async (status: string) => {
  const r = await s.call('listClaims', { query: { orgId: O, status, limit: 500 }, claims: fed });
  ok(r);
  return (r.body.items as { claimId: string }[]).map((c) => c.claimId);
};
const views = (ids: string[]) => Promise.all(ids.map(async (id) => (await s.call('getClaim', { params: { id }, claims: fed })).body));

/** All of the batch or none of it: how many of `ids` are in `seen` must be 0 or all. */
const allOrNone = (what: string, ids: string[], seen: string[]) => {
  const n = ids.filter((id) => seen.includes(id)).length;
  expect([0, ids.length], `${what}: ${n} of ${ids.length} shown`).toContain(n);
  return n === ids.length;
};

beforeAll(async () => {
  s = await isolatedStore('payf');
  fed = as('federation_admin', s.rootId);
  ok(await s.call('createOrg', { body: { id: O, name: '办事处', kind: 'office', parentId: s.rootId }, claims: fed }), 201);
  for (const u of UNITS)
    ok(await s.call('createOrg', { body: { id: u, name: `${u}工会`, kind: 'unit', parentId: O, headcount: 400 }, claims: fed }), 201);
  ok(await s.call('createPlan', { body: plan, claims: fed }), 201);
  // 4 items a transaction: reservations of 3 claims, roll-forwards of 1 claim (its claim, disclosure and counter).
  paymentChunking.maxItems = 4;
}, 60_000);

afterAll(() => {
  paymentChunking.maxItems = 100;
});

describe('a payment killed between any two of its writes', () => {
  it('is never seen half paid, and the settle step finishes or undoes it exactly', async () => {
    // A clean run first: how many writes a batch of 4 takes.
    const clean = await approvedClaims(4);
    const counting = dyingAt(Number.POSITIVE_INFINITY, false);
    ok(
      await pay(
        clean.map((c) => c.claimId),
        { deps: counting.deps },
      ),
      201,
    );
    const total = counting.writes();
    expect(total).toBe(9); // create, 2 reservations, the commit, 4 roll-forwards, settled

    const scenarios = Array.from({ length: total }, (_, i) => [i + 1, false] as const).flatMap(([n]) => [
      [n, false] as const,
      [n, true] as const,
    ]);
    const pool = await approvedClaims(4 * scenarios.length);
    const outcomes: string[] = [];
    for (const [k, [n, landed]] of scenarios.entries()) {
      const batch: Claim[] = pool.slice(4 * k, 4 * k + 4);
      const ids = batch.map((b) => b.claimId);
      const what = `died at write ${n}${landed ? ' (landed)' : ''}`;
      const before = await counters();
      const die = dyingAt(n, landed);
      await pay(ids, { deps: die.deps });

      // Stuck (within the lease): no read shows part of the batch paid.
      const during = await views(ids);
      const shownPaid = during.filter((c) => c.status === 'paid').length;
      expect([0, 4], `${what}: claims shown paid`).toContain(shownPaid);
      for (const c of during) expect(c.status, what).toBe(shownPaid ? 'paid' : 'approved');
      allOrNone(`${what}: paid list`, ids, await listed('paid'));
      const inApproved = allOrNone(`${what}: approved list`, ids, await listed('approved'));
      if (shownPaid) expect(inApproved, what).toBe(false);
      // Every claim's reference, from the claim (paid) or its reservation (not rolled forward yet).
      const refs = [...(await s.deps().claims.getMany(ids)).values()]
        .map((c) => c.claimRef ?? c.reservation?.disclosure.claimRef)
        .filter((x): x is string => x !== undefined);
      allOrNone(
        `${what}: public disclosures`,
        refs,
        (await publicDisclosures()).map((d) => d.claimRef),
      );
      const open = (await s.deps().payments.listOpen()).map((p) => p.paymentId);

      // The settle step, twice at once (as the nightly job and a GET might), after the lease.
      const settled = await Promise.all([
        settleStuckPayments(s.deps(afterLease), afterLease.now()),
        settleStuckPayments(s.deps(afterLease), afterLease.now()),
      ]);
      for (const x of settled) expect(x.failed, what).toEqual([]);
      expect(await s.deps().payments.listOpen(), `${what}: nothing left open`).toEqual([]);

      const after = [...(await s.deps().claims.getMany(ids)).values()];
      const paid = after.filter((c) => c.status === 'paid');
      expect([0, 4], `${what}: paid after settling`).toContain(paid.length);
      // Readers showed it paid exactly when it had committed (a committed batch is only ever rolled forward).
      expect(shownPaid, `${what}: shown paid while stuck`).toBe(paid.length);
      const payments = await Promise.all(open.map((id) => s.deps().payments.get(id, true)));
      if (paid.length === 4) {
        const p = (await s.deps().payments.get(paid[0]!.paymentId!, true))!;
        expect(p, what).toMatchObject({ status: 'completed', settledAt: expect.any(String) });
        for (const c of after) expect(c, what).toMatchObject({ status: 'paid', paymentId: p.paymentId, paidDate: '2026-08-05' });
        // What readers showed while it was stuck is exactly what the roll-forward wrote.
        // (Documents aside: their download links are signed anew on every read.)
        const bare = (cs: Record<string, unknown>[]) => cs.map(({ documents: _links, ...c }) => c);
        if (shownPaid) expect(bare(await views(ids)), what).toEqual(bare(during));
        outcomes.push(`${what}: rolled forward`);
      } else {
        for (const c of after) {
          expect(c.status, what).toBe('approved');
          expect(c, what).not.toHaveProperty('reservation');
          expect(c, what).not.toHaveProperty('paymentId');
        }
        expect(shownPaid, `${what}: shown paid, then rolled back`).toBe(0);
        for (const p of payments) expect(p, what).toMatchObject({ status: 'cancelled', settledAt: expect.any(String) });
        outcomes.push(`${what}: rolled back${payments.length ? '' : ' (no payment written)'}`);
      }
      // Counters moved by exactly the paid claims, disclosures one per paid claim.
      const now = await counters();
      UNITS.forEach((u, i) => {
        const mine = batch.filter((b) => b.unit === u && paid.length === 4);
        expect(now[i]!.claimsPaid - before[i]!.claimsPaid, `${what}: claimsPaid ${u}`).toBe(mine.length);
        expect(now[i]!.benefitsPaidFen - before[i]!.benefitsPaidFen, `${what}: benefitsPaidFen ${u}`).toBe(
          mine.reduce((t, b) => t + b.benefitFen, 0),
        );
        expect(now[i]!.paidDaysTotal - before[i]!.paidDaysTotal, `${what}: paidDaysTotal ${u}`).toBe(mine.length * 16);
      });
      const items = await disclosureItems(ids);
      expect(items, what).toHaveLength(paid.length);
      for (const i of items) {
        expect(i.benefitFen).toBe(batch.find((b) => b.claimId === i.claimId)!.benefitFen);
        expect(i.paidDate).toBe('2026-08-05');
      }
      const published = (await publicDisclosures()).map((d) => d.claimRef);
      for (const i of items) expect(published, what).toContain(i.claimRef);
    }
    // Both ends are reached: deaths before the commit roll back, deaths after it roll forward.
    expect(outcomes.filter((o) => o.endsWith('rolled forward')).length).toBeGreaterThanOrEqual(11);
    expect(outcomes).toContain('died at write 1: rolled back (no payment written)');
    expect(outcomes).toContain('died at write 1 (landed): rolled back');
    expect(outcomes).toContain('died at write 4: rolled back');
    expect(outcomes).toContain('died at write 4 (landed): rolled forward');
  }, 300_000);

  it('the nightly job settles stuck batches before its report, and an orphan payment with no claims is cancelled', async () => {
    const batch = await approvedClaims(4);
    const ids = batch.map((b) => b.claimId);
    const before = await counters();
    // Dies after the commit and the first roll-forward: committed, one claim of four rolled forward.
    const die = dyingAt(6, false);
    expect((await pay(ids, { deps: die.deps })).status).toBe(201);
    // And one that died right after putting its record: pending, no claim reserved.
    const orphanDeath = dyingAt(2, false);
    const other = await approvedClaims(2);
    await pay(
      other.map((c) => c.claimId),
      { deps: orphanDeath.deps },
    );
    const open = await s.deps().payments.listOpen();
    expect(open.map((p) => p.status).sort()).toEqual(['completed', 'pending']);
    expect((await counters()).map((c) => c.claimsPaid)).not.toEqual(before.map((c) => c.claimsPaid + 2));

    const summary = await makeHandler(() => s.deps(afterLease))({ date: '2026-08-05' });
    expect(summary.date).toBe('2026-08-05');
    expect(await s.deps().payments.listOpen()).toEqual([]);
    const orphan = open.find((p) => p.status === 'pending')!;
    expect(await s.deps().payments.get(orphan.paymentId, true)).toMatchObject({ status: 'cancelled', settledAt: expect.any(String) });
    for (const c of (await s.deps().claims.getMany(other.map((o) => o.claimId))).values()) expect(c).not.toHaveProperty('reservation');
    const now = await counters();
    for (const [i, u] of UNITS.entries())
      expect(now[i]!.claimsPaid - before[i]!.claimsPaid, u).toBe(batch.filter((b) => b.unit === u).length);
    expect(await disclosureItems(ids)).toHaveLength(4);
  }, 120_000);

  it('a write whose answer is lost is retried and recognised as done, whichever write it is: 201, everything counted once', async () => {
    const lost = () => Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
    for (const withKey of [false, true]) {
      for (let n = 1; n <= 9; n++) {
        const batch = await approvedClaims(4);
        const ids = batch.map((b) => b.claimId);
        const before = await counters();
        // The n-th write lands, its answer is lost (a transient error): the store's retry sends it again.
        const faulty = faultyStore(() => undefined);
        let writes = 0;
        faulty.deps.ddb!.middlewareStack.add(
          (next, context) => async (args) => {
            if (!['TransactWriteItemsCommand', 'UpdateItemCommand', 'PutItemCommand'].includes(context.commandName ?? ''))
              return next(args);
            const out = await next(args);
            if (++writes === n) throw lost();
            return out;
          },
          { step: 'initialize', name: 'loseAnswer', priority: 'high' },
        );
        const what = `answer of write ${n} lost${withKey ? ' (with a key)' : ''}`;
        const r = await pay(ids, {
          deps: { ddb: faulty.deps.ddb!, db: faulty.deps.db! },
          ...(withKey ? { headers: { 'idempotency-key': `lost-${n}-${ids[0]}` } } : {}),
        });
        expect(r.status, `${what}: ${r.text}`).toBe(201);
        const p = (await s.deps().payments.get(r.body.paymentId, true))!;
        expect(p, what).toMatchObject({ status: 'completed', settledAt: expect.any(String) });
        for (const c of (await s.deps().claims.getMany(ids)).values())
          expect(c, what).toMatchObject({ status: 'paid', paymentId: p.paymentId });
        const now = await counters();
        for (const [i, u] of UNITS.entries()) {
          const mine = batch.filter((b) => b.unit === u);
          expect(now[i]!.claimsPaid - before[i]!.claimsPaid, `${what}: claimsPaid`).toBe(mine.length);
          expect(now[i]!.benefitsPaidFen - before[i]!.benefitsPaidFen, `${what}: benefitsPaidFen`).toBe(
            mine.reduce((t, b) => t + b.benefitFen, 0),
          );
        }
        expect(await disclosureItems(ids), what).toHaveLength(4);
      }
    }
    expect(await s.deps().payments.listOpen()).toEqual([]);
  }, 300_000);

  it('GET /payments/{id} and the next payment of its claims settle a stuck batch themselves', async () => {
    const getPayment = (id: string, clock = augustClock) => s.call('getPayment', { params: { id }, claims: fed, clock });
    const openIds = async () => (await s.deps().payments.listOpen()).map((p) => p.paymentId);

    // Died before the commit: pending while its lease runs, cancelled and released by the first GET after it.
    const a = await approvedClaims(4);
    await pay(
      a.map((c) => c.claimId),
      { deps: dyingAt(3, false).deps },
    );
    const [pendingId] = await openIds();
    expect((await getPayment(pendingId!)).body.status).toBe('pending');
    const cancelled = await getPayment(pendingId!, afterLease);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: afterLease.now().toISOString() });
    for (const c of (await s.deps().claims.getMany(a.map((x) => x.claimId))).values()) expect(c).not.toHaveProperty('reservation');

    // Died after the commit: the GET (even within the lease) rolls it forward.
    const b = await approvedClaims(4);
    await pay(
      b.map((c) => c.claimId),
      { deps: dyingAt(5, false).deps },
    );
    const [completedId] = await openIds();
    const got = await getPayment(completedId!);
    expect(got.body.status).toBe('completed');
    expect(await openIds()).toEqual([]);
    for (const c of (await s.deps().claims.getMany(b.map((x) => x.claimId))).values()) expect(c.status).toBe('paid');

    // Died after the commit again: the next payment naming one of its claims rolls it forward, then refuses (already paid).
    const c = await approvedClaims(4);
    await pay(
      c.map((x) => x.claimId),
      { deps: dyingAt(6, false).deps },
    );
    const [stuckId] = await openIds();
    const next = await pay([c[3]!.claimId]);
    expect(`${next.status} ${next.body.code}`).toBe('409 INVALID_STATE');
    expect(next.body.errors).toEqual([{ path: 'body.claimIds.0', message: `已在付款批次 ${stuckId} 中，现在是“已支付”` }]);
    expect(await openIds()).toEqual([]);
    expect(await disclosureItems(c.map((x) => x.claimId))).toHaveLength(4);
  }, 120_000);
});
