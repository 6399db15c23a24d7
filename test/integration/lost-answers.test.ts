import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { getRecord, queryAll } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { augustClock, clerkOf, decide, enrolOne, file, julyClock, stay, submitted } from '../support/claims';
import { faultyStore, lossyStore, timedOut } from '../support/faults';
import { createPlan, createTree, fed, listAll, marchClock, people } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * SPEC §3: "a DynamoDB write retried after a lost answer (timeout, reset
 * connection) is recognised as the same write, not judged as a conflicting
 * one". Each test lets the first TransactWriteItems commit in DynamoDB Local
 * and then loses its answer (TimeoutError) above the SDK, so withRetries
 * sends the write again as a new command — with the same ClientRequestToken
 * (shared/store/writeToken.ts), and DynamoDB answers it as done. (The SDK's
 * own retries resend one serialized request whose token the SDK filled in:
 * those were never the problem.)
 */
const local = buildDeps();
const counters = async (unit: string, planId: string) => toUnitPlanCounters(await readUnitPlanCounters(local.store, unit, planId));
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const firstTransaction = (cmd: string, n: number) => (cmd === 'TransactWriteItemsCommand' && n === 1 ? timedOut() : undefined);

let plan: Awaited<ReturnType<typeof createPlan>>;
beforeAll(async () => {
  plan = await createPlan();
});

describe('a write whose answer was lost is recognised as the same write', () => {
  it('filing: 201, one claim; a retry without a key is judged normally', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const lossy = lossyStore(firstTransaction);
    const r = await invoke('createClaim', { body: stay(enrolmentId), claims: clerkOf(unit), deps: { ...lossy.deps, clock: julyClock } });
    expect(r.status, r.text).toBe(201);
    expect(lossy.tokens.length).toBeGreaterThan(1); // it was sent again…
    expect(new Set(lossy.tokens).size).toBe(1); // …as the same write
    const person = await getRecord(local.store, keys.enrolment(enrolmentId), (i) => String(i.personKey), true);
    const facts = await getRecord(local.store, keys.personStays(person!), (i) => i.facts as Record<string, unknown>, true);
    expect(Object.keys(facts ?? {})).toEqual([r.body.claimId]);
    expect((await counters(unit, plan.id)).claimsSubmitted).toBe(0);
    // The client, not knowing, files again without a key: its own claim is the duplicate.
    const again = await file(stay(enrolmentId), clerkOf(unit));
    expect(code(again)).toBe('422 DUPLICATE_STAY');
    expect(again.body.duplicateOf).toBe(r.body.claimId);
  });

  it('document declaration (a single conditional update, no token): 201, and the claim holds the document once', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const clerk = clerkOf(unit);
    const id = (await file(stay(await enrolOne(unit, plan.id)), clerk)).body.claimId as string;
    const lossy = lossyStore((cmd, n) => (cmd === 'UpdateItemCommand' && n === 1 ? timedOut() : undefined));
    const r = await invoke('declareClaimDocument', {
      params: { id },
      body: { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 1000 },
      claims: clerk,
      deps: { ...lossy.deps, clock: julyClock },
    });
    expect(r.status, r.text).toBe(201);
    expect(lossy.calls.UpdateItemCommand).toBe(2);
    const claim = await invoke('getClaim', { params: { id }, claims: clerk });
    expect(claim.body.documents.map((d: { documentId: string }) => d.documentId)).toEqual([r.body.documentId]);
  });

  it('document removal (a single conditional update): 200 with the document gone, not 404 for its own removal', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const clerk = clerkOf(unit);
    const id = (await file(stay(await enrolOne(unit, plan.id)), clerk)).body.claimId as string;
    const declared = await invoke('declareClaimDocument', {
      params: { id },
      body: { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 1000 },
      claims: clerk,
    });
    const documentId = declared.body.documentId as string;
    const lossy = lossyStore((cmd, n) => (cmd === 'UpdateItemCommand' && n === 1 ? timedOut() : undefined));
    const r = await invoke('removeClaimDocument', { params: { id, documentId }, claims: clerk, deps: lossy.deps });
    expect(r.status, r.text).toBe(200);
    expect(lossy.calls.UpdateItemCommand).toBe(2);
    expect(r.body.documents).toEqual([]);
    expect((await invoke('getClaim', { params: { id }, claims: clerk })).body.documents).toEqual([]);
  });

  it('identity reveal: a record put whose answer was lost, resent by the SDK, is its own record (200, recorded once)', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    // Under the SDK's retries this time: a PutItem has no token, the SDK resends the same request.
    const store = faultyStore(() => undefined);
    let lost = false;
    store.deps.ddb!.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'PutItemCommand' && !lost) {
          lost = true;
          throw timedOut();
        }
        return out;
      },
      { step: 'deserialize', name: 'loseAnswer', priority: 'low' },
    );
    const r = await invoke('getIdentity', {
      params: { id: enrolmentId },
      query: { purpose: 'member_service' },
      claims: clerkOf(unit),
      deps: store.deps,
    });
    expect(r.status, r.text).toBe(200);
    expect(store.calls.PutItemCommand).toBe(1); // one send by the application…
    expect(lost).toBe(true); // …whose first answer was lost
    const records = (await queryAll(local.store, { index: 'gsi1', partition: 'IDACCESS' })).filter((i) => i.enrolmentId === enrolmentId);
    expect(records).toHaveLength(1);
  });

  it('decision: approve answers 200 and reserves the benefit once', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const id = await submitted(unit, enrolmentId);
    const lossy = lossyStore(firstTransaction);
    const r = await invoke('decideClaim', {
      params: { id },
      body: { decision: 'approve' },
      claims: as('office_staff', t.office, `reviewer@${t.office}`),
      deps: { ...lossy.deps, clock: julyClock },
    });
    expect(r.status, r.text).toBe(200);
    expect(new Set(lossy.tokens).size).toBe(1);
    expect(r.body.approvedBenefitFen).toBe(580740);
    const e = await invoke('getEnrolment', { params: { id: enrolmentId }, claims: fed });
    expect(e.body).toMatchObject({ usedFen: 580740, deductibleUsedFen: 100000 });
    expect(await counters(unit, plan.id)).toMatchObject({ claimsApproved: 1, benefitsApprovedFen: 580740 });
  });

  it('enrolment: a JSON roster of two chunks is accepted whole, once; counters exact', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const members = people(150).map((p) => ({ ...p, shares: 1 }));
    const lossy = lossyStore(firstTransaction);
    const r = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: plan.id, members },
      claims: fed,
      deps: { ...lossy.deps, clock: marchClock },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.accepted).toBe(150);
    expect(r.body.rejected).toEqual([]);
    expect(r.body.enrolments.map((e: { row: number }) => e.row)).toEqual(members.map((_, i) => i + 1));
    expect(await listAll(unit, plan.id)).toHaveLength(150);
    const c = await counters(unit, plan.id);
    expect(c.enrolled).toBe(150);
    expect(c.contributionsFen).toBe(150 * plan.contributionPerShareFen);
  });

  it('payment: 201 completed, each claim paid once, counters exact', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const reviewer = as('office_staff', t.office, `reviewer@${t.office}`);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const id = await submitted(unit, await enrolOne(unit, plan.id));
      expect((await decide(id, { decision: 'approve' }, reviewer)).status).toBe(200);
      ids.push(id);
    }
    const lossy = lossyStore(firstTransaction);
    const r = await invoke('createPayment', {
      body: { claimIds: ids, paidDate: '2026-08-05', reference: 'ICBC-2026-0805-09' },
      claims: fed,
      deps: { ...lossy.deps, clock: augustClock },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.body.status).toBe('completed');
    for (const id of ids) {
      const c = await invoke('getClaim', { params: { id }, claims: fed });
      expect(c.body).toMatchObject({ status: 'paid', paymentId: r.body.paymentId });
      expect(c.body.history.filter((h: { to: string }) => h.to === 'paid')).toHaveLength(1);
    }
    expect(await counters(unit, plan.id)).toMatchObject({ claimsPaid: 2, benefitsPaidFen: 2 * 580740 });
  });
});
