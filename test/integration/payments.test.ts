import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { decodeTime } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { diffDays } from '../../shared/domain/dates';
import { putObject } from '../../shared/objects/inspect';
import { objectKeys } from '../../shared/objects/keys';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { augustClock, clerkOf, decide, enrol, julyClock, PDF, stay, submitted } from '../support/claims';
import { dyingStore, faultyStore, throttled } from '../support/faults';
import { createPlan, createTree, fed, people } from '../support/fixtures';
import { as, invoke } from '../support/invoke';
import { s3Of } from '../../shared/objects/client';
import { paymentChunking } from '../../shared/store/payments';

/**
 * POST /payments (all or nothing over many transactions, with its rollback and
 * recovery), GET /payments/{id} and the public disclosure, against DynamoDB Local.
 */
const store = buildDeps();
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** A well-formed claim id (a ULID and an enrolment id) that names nothing. */
const UNKNOWN_CLAIM = '01ARZ3NDEKTSV4RRFFQ69G5FAV00000000000000000000000000';
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const counters = async (unit: string, planId: string) => toUnitPlanCounters(await readUnitPlanCounters(store.store, unit, planId));
/** Every person this file enrols, to prove none of them is stored or answered in clear. */
const everyone: { idNumber: string; name: string }[] = [];
const NAMES = ['张三', '欧阳娜娜', '李小龙', '司马相如'];

let plan: Awaited<ReturnType<typeof createPlan>>;
beforeAll(async () => {
  plan = await createPlan();
});

/**
 * n approved claims (one member each) spread over the units, through the API:
 * file, declare both receipts, put the bytes in S3, submit, approve.
 */
const approvedClaims = async (units: string[], n: number, office: string) => {
  const crowd = people(n).map((p, i) => ({ ...p, name: NAMES[i % NAMES.length]! }));
  everyone.push(...crowd);
  const byUnit = units.map((u, k) => ({ u, members: crowd.filter((_, i) => i % units.length === k) }));
  const enrolled = (
    await Promise.all(
      byUnit.map(async ({ u, members }) => (await enrol(u, plan.id, members)).map((id, i) => ({ u, id, name: members[i]!.name }))),
    )
  ).flat();
  const limit = pLimit(16);
  const reviewer = as('office_staff', office, `reviewer@${office}`);
  return Promise.all(
    enrolled.map(({ u, id: enrolmentId, name }) =>
      limit(async () => {
        const clerk = clerkOf(u);
        const claimId = (await invoke('createClaim', { body: stay(enrolmentId), claims: clerk, deps: { clock: julyClock } })).body
          .claimId as string;
        for (const kind of ['invoice', 'discharge_summary']) {
          const d = await invoke('declareClaimDocument', {
            params: { id: claimId },
            body: { kind, fileName: 'f.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
            claims: clerk,
          });
          await putObject(
            s3Of(store),
            store.config.bucketName,
            objectKeys.claimDocument(claimId, d.body.documentId),
            PDF,
            'application/pdf',
          );
        }
        expect((await invoke('submitClaim', { params: { id: claimId }, claims: clerk, deps: { clock: julyClock } })).status).toBe(200);
        const a = await invoke('decideClaim', {
          params: { id: claimId },
          body: { decision: 'approve' },
          claims: reviewer,
          deps: { clock: julyClock },
        });
        expect(a.status, a.text).toBe(200);
        return { claimId, unit: u, name, benefitFen: a.body.approvedBenefitFen as number };
      }),
    ),
  );
};

const pay = (claimIds: string[], over: { deps?: Record<string, unknown>; paidDate?: string; claims?: Record<string, string> } = {}) =>
  invoke('createPayment', {
    body: { claimIds, paidDate: over.paidDate ?? '2026-08-05', reference: 'ICBC-2026-0805-01' },
    claims: over.claims ?? fed,
    deps: { clock: augustClock, ...(over.deps ?? {}) },
  });

const claimsOf = async (ids: string[]) =>
  Promise.all(ids.map(async (id) => (await invoke('getClaim', { params: { id }, claims: fed })).body));
const allDisclosures = async (planId: string) => {
  const out: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const r = await invoke('listDisclosures', { params: { planId }, query: { limit: 25, ...(cursor ? { cursor } : {}) } });
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return out;
};
const snapshot = async (units: string[]) => Promise.all(units.map((u) => counters(u, plan.id)));
/** The stored disclosure items of the plan for these claims (the item keeps the claim id internally; the API never shows it). */
const disclosureItems = async (planId: string, claimIds: string[]) => {
  const r = await store.db.send(
    new QueryCommand({
      TableName: store.config.tableName,
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': `DISCLOSURE#${planId}` },
      ConsistentRead: true,
    }),
  );
  return (r.Items ?? []).filter((i) => claimIds.includes(i.claimId as string));
};
/** Claims as stored (reservations included), straight from the table. */
const stored = async (ids: string[]) => [...(await store.claims.getMany(ids)).values()];

/** Fails the join transactions of a payment (those holding the payment's condition check) after the first `okJoins`, and optionally every later write. */
const failingPayments = (okJoins: number, alsoRollback: boolean) => {
  const faulty = faultyStore(() => undefined);
  let joins = 0;
  let broken = false;
  faulty.deps.ddb!.middlewareStack.add(
    (next, context) => async (args) => {
      const input = JSON.stringify((args as { input: unknown }).input);
      if (context.commandName === 'TransactWriteItemsCommand' && input.includes('ConditionCheck')) {
        if (++joins > okJoins) {
          broken = true;
          throw throttled();
        }
      } else if (alsoRollback && broken && (context.commandName === 'TransactWriteItemsCommand' || input.includes('PAYMENT#'))) {
        throw throttled();
      }
      return next(args);
    },
    { step: 'initialize', name: 'failPayments', priority: 'high' },
  );
  return faulty;
};

describe('POST /payments', () => {
  it('refuses the whole batch, naming every offender, when any claim is not approved; nothing is paid', async () => {
    const t = await createTree(1);
    const [ok] = await approvedClaims(t.units, 1, t.office);
    const unit = t.units[0]!;
    const [m1, m2] = people(2);
    everyone.push({ ...m1!, name: '王五' }, { ...m2!, name: '王五' });
    const [e1, e2] = await enrol(unit, plan.id, [
      { ...m1!, name: '王五' },
      { ...m2!, name: '王五' },
    ]);
    const draft = (await invoke('createClaim', { body: stay(e1!), claims: clerkOf(unit), deps: { clock: julyClock } })).body.claimId;
    const withdrawn = (await invoke('createClaim', { body: stay(e2!), claims: clerkOf(unit), deps: { clock: julyClock } })).body.claimId;
    await invoke('withdrawClaim', { params: { id: withdrawn }, claims: clerkOf(unit) });
    const before = await snapshot(t.units);

    const r = await pay([ok!.claimId, draft, withdrawn]);
    expect(code(r)).toBe('409 INVALID_STATE');
    expect(r.body.errors).toEqual([
      { path: 'body.claimIds.1', message: '现在是“草稿”，还没有批准' },
      { path: 'body.claimIds.2', message: '现在是“已撤回”，还没有批准' },
    ]);
    expect(r.body.claims).toEqual([
      { claimId: draft, status: 'draft' },
      { claimId: withdrawn, status: 'withdrawn' },
    ]);
    expect((await claimsOf([ok!.claimId]))[0].status).toBe('approved');
    expect(await snapshot(t.units)).toEqual(before);

    const unknown = await pay([ok!.claimId, UNKNOWN_CLAIM]);
    expect(code(unknown)).toBe('404 NOT_FOUND');
    expect(unknown.body.errors).toEqual([{ path: 'body.claimIds.1', message: '没有这笔申请' }]);
    const future = await pay([ok!.claimId], { paidDate: '2026-08-06' });
    expect(code(future)).toBe('422 DATES_INVALID');
    const early = await pay([ok!.claimId], { paidDate: '2026-07-19' });
    expect(code(early)).toBe('422 DATES_INVALID');
    expect(early.body.errors).toEqual([{ path: 'body.claimIds.0', message: '这笔申请在 2026-07-20 才批准' }]);

    for (const body of [
      { claimIds: [], paidDate: '2026-08-05', reference: 'x' },
      { claimIds: [ok!.claimId, ok!.claimId], paidDate: '2026-08-05', reference: 'x' },
      { claimIds: Array.from({ length: 501 }, () => UNKNOWN_CLAIM), paidDate: '2026-08-05', reference: 'x' },
      { claimIds: ['nope'], paidDate: '2026-08-05', reference: 'x' },
      { claimIds: [ok!.claimId], paidDate: '2026-8-5', reference: 'x' },
      { claimIds: [ok!.claimId], paidDate: '2026-08-05' },
    ]) {
      expect(code(await invoke('createPayment', { body, claims: fed, deps: { clock: augustClock } }))).toBe('400 VALIDATION_FAILED');
    }
    expect((await invoke('createPayment', { body: { claimIds: [ok!.claimId], paidDate: '2026-08-05', reference: 'x' } })).status).toBe(401);
    expect(code(await pay([ok!.claimId], { claims: as('office_staff', t.office) }))).toBe('403 FORBIDDEN');
    expect(code(await pay([ok!.claimId], { claims: clerkOf(unit) }))).toBe('403 FORBIDDEN');
    expect(await snapshot(t.units)).toEqual(before);
  }, 30_000);

  it('pays 60 claims over several transactions: claims, counters, disclosures and the batch all agree', async () => {
    const t = await createTree(2);
    const batch = await approvedClaims(t.units, 60, t.office);
    const ids = batch.map((b) => b.claimId);
    const counting = faultyStore(() => undefined);
    const r = await pay(ids, { deps: counting.deps });
    expect(r.status, r.text).toBe(201);
    expect(counting.calls.TransactWriteItemsCommand).toBeGreaterThanOrEqual(2);
    const total = batch.reduce((s, b) => s + b.benefitFen, 0);
    expect(r.headers.location).toBe(`/payments/${r.body.paymentId}`);
    expect(r.body).toEqual({
      paymentId: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      claimIds: ids,
      totalFen: total,
      paidDate: '2026-08-05',
      reference: 'ICBC-2026-0805-01',
      status: 'completed',
      createdBy: fed.sub,
      createdAt: '2026-08-05T04:00:00.000Z',
      completedAt: '2026-08-05T04:00:00.000Z',
    });
    expect((await invoke('getPayment', { params: { id: r.body.paymentId }, claims: fed })).body).toEqual(r.body);

    const claims = await claimsOf(ids);
    for (const c of claims) {
      expect(c).toMatchObject({ status: 'paid', paymentId: r.body.paymentId, paidDate: '2026-08-05' });
      expect(c.history.at(-1)).toMatchObject({ from: 'approved', to: 'paid', actor: fed.sub, role: 'federation_admin' });
    }
    for (const [k, u] of t.units.entries()) {
      const mine = batch.filter((b) => b.unit === u);
      expect(await counters(u, plan.id), `unit ${k}`).toMatchObject({
        claimsApproved: mine.length,
        claimsPaid: mine.length,
        benefitsPaidFen: mine.reduce((s, b) => s + b.benefitFen, 0),
        paidDaysTotal: mine.length * diffDays('2026-07-20', '2026-08-05'),
      });
    }
    // One disclosure per claim, under an opaque random reference (see the disclosure tests below).
    const items = await disclosureItems(plan.id, ids);
    expect(items).toHaveLength(60);
    const refOf = new Map(items.map((i) => [i.claimId as string, i.claimRef as string]));
    const published = (await allDisclosures(plan.id)).filter((d) => [...refOf.values()].includes(d.claimRef as string));
    expect(published).toHaveLength(60);
    const unitName = new Map([
      [t.units[0], 'Unit 0'],
      [t.units[1], 'Unit 1'],
    ]);
    for (const b of batch) {
      expect(published.find((d) => d.claimRef === refOf.get(b.claimId))).toEqual({
        claimRef: refOf.get(b.claimId),
        memberName: { 张三: '张*', 欧阳娜娜: '欧阳**', 李小龙: '李**', 司马相如: '司马**' }[b.name],
        unitName: unitName.get(b.unit),
        admissionMonth: '2026-07',
        benefitFen: b.benefitFen,
        paidDate: '2026-08-05',
      });
    }

    // Paid claims cannot be paid again.
    const twice = await pay(ids.slice(0, 3));
    expect(code(twice)).toBe('409 INVALID_STATE');
    expect(twice.body.errors[0].message).toBe(`已在付款批次 ${r.body.paymentId} 中，现在是“已支付”`);
  }, 60_000);

  it('a fault in the 2nd reservation rolls the 1st back: 503 with Retry-After, every claim approved and free again, nothing counted or disclosed', async () => {
    const t = await createTree(2);
    const batch = await approvedClaims(t.units, 12, t.office);
    const ids = batch.map((b) => b.claimId);
    const before = await snapshot(t.units);
    const disclosed = (await allDisclosures(plan.id)).length;

    paymentChunking.maxItems = 8;
    try {
      const faulty = failingPayments(1, false);
      const r = await pay(ids, { deps: faulty.deps });
      expect(code(r)).toBe('503 SERVICE_UNAVAILABLE');
      expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // The 1st reservation landed and was released: no claim holds the payment, none was ever shown paid.
      for (const c of await stored(ids)) {
        expect(c.status).toBe('approved');
        expect(c).not.toHaveProperty('reservation');
        expect(c).not.toHaveProperty('paymentId');
        expect(c.history.at(-1)).toMatchObject({ from: 'submitted', to: 'approved' });
      }
      expect(await snapshot(t.units)).toEqual(before);
      expect((await allDisclosures(plan.id)).length).toBe(disclosed);
      expect(await disclosureItems(plan.id, ids)).toEqual([]);
      // With DynamoDB back, the same batch pays.
      const again = await pay(ids);
      expect(again.status, again.text).toBe(201);
    } finally {
      paymentChunking.maxItems = 100;
    }
    const after = await snapshot(t.units);
    expect(after.reduce((n, c) => n + c.claimsPaid, 0) - before.reduce((n, c) => n + c.claimsPaid, 0)).toBe(12);
  }, 60_000);

  it('a fault during the rollback leaves the payment pending, its claims shown unpaid; the next payment of them rolls it back and pays', async () => {
    const t = await createTree(2);
    const batch = await approvedClaims(t.units, 12, t.office);
    const ids = batch.map((b) => b.claimId);
    const before = await snapshot(t.units);
    const disclosed = (await allDisclosures(plan.id)).length;

    paymentChunking.maxItems = 8;
    try {
      const faulty = failingPayments(1, true);
      const r = await pay(ids, { deps: faulty.deps });
      expect(code(r)).toBe('503 SERVICE_UNAVAILABLE');
      const stuckId = r.body.paymentId as string;
      // Some claims are held by the stuck payment, but no reader sees any of them paid.
      const held = (await stored(ids)).filter((c) => c.reservation?.paymentId === stuckId);
      expect(held.length).toBeGreaterThan(0);
      expect(held.length).toBeLessThan(12);
      for (const c of await claimsOf(ids)) {
        expect(c.status).toBe('approved');
        expect(c).not.toHaveProperty('paymentId');
      }
      expect(await snapshot(t.units)).toEqual(before);

      // Right away, the payment may still be running somewhere: 409 PAYMENT_IN_PROGRESS, retry after its lease.
      const soon = await pay(ids);
      expect(code(soon)).toBe('409 PAYMENT_IN_PROGRESS');
      expect(soon.body.paymentId).toBe(stuckId);
      expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);

      // After the lease: the stuck payment is rolled back first, then the batch is paid, exactly once.
      const later = fixedClock('2026-08-05T04:10:00Z');
      const r2 = await pay(ids, { deps: { clock: later } });
      expect(r2.status, r2.text).toBe(201);
      expect((await invoke('getPayment', { params: { id: stuckId }, claims: fed })).body.status).toBe('cancelled');
      for (const c of await claimsOf(ids)) expect(c).toMatchObject({ status: 'paid', paymentId: r2.body.paymentId });
    } finally {
      paymentChunking.maxItems = 100;
    }
    const after = await snapshot(t.units);
    after.forEach((c, k) => {
      const mine = batch.filter((b) => b.unit === t.units[k]);
      expect(c.claimsPaid - before[k]!.claimsPaid).toBe(mine.length);
      expect(c.benefitsPaidFen - before[k]!.benefitsPaidFen).toBe(mine.reduce((s, b) => s + b.benefitFen, 0));
      expect(c.paidDaysTotal - before[k]!.paidDaysTotal).toBe(mine.length * 16);
    });
    expect(await disclosureItems(plan.id, ids)).toHaveLength(12);
    expect((await allDisclosures(plan.id)).length).toBe(disclosed + 12);
  }, 60_000);
});

describe('POST /payments with an Idempotency-Key (the payment keeps its own)', () => {
  const withKey = (
    key: string,
    ids: string[],
    over: { deps?: Record<string, unknown>; claims?: Record<string, string>; reference?: string } = {},
  ) =>
    invoke('createPayment', {
      body: { claimIds: ids, paidDate: '2026-08-05', reference: over.reference ?? 'ICBC-2026-0805-01' },
      headers: { 'idempotency-key': key },
      claims: over.claims ?? fed,
      deps: { clock: augustClock, ...(over.deps ?? {}) },
    });
  const paidTotal = async (units: string[]) => (await snapshot(units)).reduce((n, c) => n + c.claimsPaid, 0);

  it('a retry after the function died past the commit answers the same 201 (rolling the batch forward), and again the same', async () => {
    const t = await createTree(2);
    const batch = await approvedClaims(t.units, 12, t.office);
    const ids = batch.map((b) => b.claimId);
    const before = await paidTotal(t.units);
    const key = `died-after-commit-${ids[0]}`;
    paymentChunking.maxItems = 8;
    try {
      // The key's record and the payment (1), two reservations (2, 3), the commit (4, lands; its answer is lost), then death.
      const died = await withKey(key, ids, { deps: dyingStore(4, true).deps });
      expect(died.status).toBeGreaterThanOrEqual(500);
      const first = await withKey(key, ids);
      expect(first.status, first.text).toBe(201);
      expect(first.body).toMatchObject({ status: 'completed', claimIds: ids });
      const again = await withKey(key, ids);
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      expect(again.headers.location).toBe(first.headers.location);
      expect((await invoke('getPayment', { params: { id: first.body.paymentId }, claims: fed })).body).toEqual(first.body);
    } finally {
      paymentChunking.maxItems = 100;
    }
    expect((await paidTotal(t.units)) - before).toBe(12);
    expect(await disclosureItems(plan.id, ids)).toHaveLength(12);
  }, 60_000);

  it('a retry after the function died before the commit waits for the lease, then pays once; its own retry answers the same', async () => {
    const t = await createTree(1);
    const batch = await approvedClaims(t.units, 10, t.office);
    const ids = batch.map((b) => b.claimId);
    const before = await paidTotal(t.units);
    const key = `died-before-commit-${ids[0]}`;
    paymentChunking.maxItems = 8;
    const later = { clock: fixedClock('2026-08-05T04:10:00Z') };
    try {
      await withKey(key, ids, { deps: dyingStore(3, false).deps });
      const soon = await withKey(key, ids);
      expect(code(soon)).toBe('409 PAYMENT_IN_PROGRESS');
      expect(Number(soon.headers['retry-after'])).toBeGreaterThan(0);
      // After the lease the dead attempt is rolled back and the retry runs again (nothing had been paid).
      const first = await withKey(key, ids, { deps: later });
      expect(first.status, first.text).toBe(201);
      const again = await withKey(key, ids, { deps: later });
      expect(again.status).toBe(201);
      expect(again.text).toBe(first.text);
      for (const c of await claimsOf(ids)) expect(c).toMatchObject({ status: 'paid', paymentId: first.body.paymentId });
    } finally {
      paymentChunking.maxItems = 100;
    }
    expect((await paidTotal(t.units)) - before).toBe(10);
  }, 60_000);

  it('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED; another caller’s same key is another key', async () => {
    const t = await createTree(1);
    const batch = await approvedClaims(t.units, 3, t.office);
    const ids = batch.map((b) => b.claimId);
    const before = await paidTotal(t.units);
    const key = `shared-key-${ids[0]}`;
    const first = await withKey(key, ids.slice(0, 2));
    expect(first.status, first.text).toBe(201);
    expect(code(await withKey(key, ids.slice(0, 2), { reference: 'ANOTHER-REF' }))).toBe('422 IDEMPOTENCY_KEY_REUSED');
    expect(code(await withKey(key, [ids[2]!]))).toBe('422 IDEMPOTENCY_KEY_REUSED');
    const replay = await withKey(key, ids.slice(0, 2));
    expect(replay.text).toBe(first.text);
    // Another federation admin sending the same key makes a payment of their own.
    const other = await withKey(key, [ids[2]!], { claims: as('federation_admin', 'root', 'another-admin') });
    expect(other.status, other.text).toBe(201);
    expect(other.body.paymentId).not.toBe(first.body.paymentId);
    expect(other.body.claimIds).toEqual([ids[2]]);
    expect((await paidTotal(t.units)) - before).toBe(3);
  }, 60_000);
});

describe('disclosure references (SPEC §4.4: opaque, random, linking nothing)', () => {
  const common = (a: string, b: string, n = 6) => {
    for (let i = 0; i + n <= a.length; i++) if (b.includes(a.slice(i, i + n))) return a.slice(i, i + n);
    return undefined;
  };

  it('a claimRef encodes no filing time and links to no claim id nor to the same member’s other claim; cursors name no claim', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const [member] = people(1);
    everyone.push({ ...member!, name: '欧阳娜娜' });
    const [enrolmentId] = await enrol(unit, plan.id, [{ ...member!, name: '欧阳娜娜' }]);
    const reviewer = as('office_staff', t.office, `reviewer@${t.office}`);
    const ids: string[] = [];
    for (const dates of [
      { admissionDate: '2026-07-01', dischargeDate: '2026-07-05' },
      { admissionDate: '2026-07-08', dischargeDate: '2026-07-10' },
    ]) {
      const id = await submitted(unit, enrolmentId!, dates);
      expect((await decide(id, { decision: 'approve' }, reviewer)).status).toBe(200);
      ids.push(id);
    }
    const r = await pay(ids);
    expect(r.status, r.text).toBe(201);
    const refs = (await disclosureItems(plan.id, ids)).map((i) => i.claimRef as string);
    expect(refs).toHaveLength(2);
    const filed = julyClock.now().getTime();
    for (const ref of refs) {
      // Not a ULID (whose first 10 characters are its millisecond), nor anything whose time part is near the filing.
      let time: number | undefined;
      try {
        time = decodeTime(ref);
      } catch {
        time = undefined;
      }
      // (Claim ids take their time from the system clock, the rules from the injected one: neither day may show.)
      for (const day of [filed, Date.now()])
        expect(time === undefined || Math.abs(time - day) > 86_400_000, `${ref} decodes to the filing day`).toBe(true);
      for (const id of [...ids, enrolmentId!]) expect(common(ref, id), `${ref} shares with ${id}`).toBeUndefined();
    }
    expect(common(refs[0]!, refs[1]!), 'the two references share a run').toBeUndefined();

    // The public list and its cursor (the last key, signed) name no claim.
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await invoke('listDisclosures', { params: { planId: plan.id }, query: { limit: 2, ...(cursor ? { cursor } : {}) } });
      cursor = page.body.nextCursor ?? undefined;
      const text = `${page.text}${cursor ? Buffer.from(cursor.split('.')[0]!, 'base64url').toString('utf8') : ''}`;
      for (const id of ids) {
        expect(text).not.toContain(id);
        expect(text).not.toContain(id.slice(0, 26));
      }
      pages++;
    } while (cursor && pages < 50);
    expect(pages).toBeGreaterThan(1);
  }, 60_000);
});

describe('GET /payments/{id} and GET /public/plans/{planId}/disclosures', () => {
  it('payments are the federation’s; disclosures are public, newest first, masked, nothing else personal', async () => {
    expect(code(await invoke('getPayment', { params: { id: UNKNOWN }, claims: fed }))).toBe('404 NOT_FOUND');
    expect(code(await invoke('getPayment', { params: { id: 'x' }, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect((await invoke('getPayment', { params: { id: UNKNOWN } })).status).toBe(401);
    const t = await createTree(1);
    expect(code(await invoke('getPayment', { params: { id: UNKNOWN }, claims: as('office_staff', t.office) }))).toBe('403 FORBIDDEN');

    const fresh = await createPlan();
    const empty = await invoke('listDisclosures', { params: { planId: fresh.id }, query: {} });
    expect(empty.body).toEqual({ items: [], nextCursor: null });
    expect(code(await invoke('listDisclosures', { params: { planId: 'no-such-plan' } }))).toBe('404 NOT_FOUND');
    expect(code(await invoke('listDisclosures', { params: { planId: plan.id }, query: { limit: 0 } }))).toBe('400 VALIDATION_FAILED');

    const page = await invoke('listDisclosures', { params: { planId: plan.id }, query: { limit: 5 } });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(5);
    for (const d of page.body.items) {
      expect(Object.keys(d)).toEqual(['claimRef', 'memberName', 'unitName', 'admissionMonth', 'benefitFen', 'paidDate']);
      expect(d.memberName).toMatch(/^(张\*|欧阳\*\*|李\*\*|司马\*\*)$/);
    }
    const dates = (await allDisclosures(plan.id)).map((d) => d.paidDate as string);
    expect([...dates].sort().reverse()).toEqual(dates);
    const forged = `${page.body.nextCursor.slice(0, -4)}AAAA`;
    expect(code(await invoke('listDisclosures', { params: { planId: plan.id }, query: { cursor: forged } }))).toBe('400 VALIDATION_FAILED');
    expect(code(await invoke('listDisclosures', { params: { planId: fresh.id }, query: { cursor: page.body.nextCursor } }))).toBe(
      '400 VALIDATION_FAILED',
    );
    const text = JSON.stringify(await allDisclosures(plan.id));
    for (const p of everyone) {
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.idNumber.slice(6, 14));
      expect(text).not.toContain(p.name);
    }
  });
});

afterAll(async () => {
  // Privacy (SPEC §3): after all of the above, no full ID number, birth date or name is stored in clear anywhere in the
  // table — only inside sealed blobs (`pii`) and, masked, in disclosures.
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await store.db.send(new ScanCommand({ TableName: store.config.tableName, ExclusiveStartKey: start }));
    items.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  const clear = JSON.stringify(items.map(({ pii: _sealed, ...rest }) => rest));
  expect(everyone.length).toBeGreaterThan(90);
  for (const p of everyone) {
    expect(clear.includes(p.idNumber), 'an ID number in clear').toBe(false);
    expect(clear.includes(p.name), 'a name in clear').toBe(false);
  }
});
