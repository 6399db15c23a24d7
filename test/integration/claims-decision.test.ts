import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { queryAll } from '../../shared/store/items';
import { augustClock, clerkOf, decide, enrolOne, file, julyClock, stay, submitted, upload } from '../support/claims';
import { faultyStore, throttled } from '../support/faults';
import { createPlan, createTree, fed } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/** Review (SPEC §4.4 "Decision") and the cap ledger (§6.2), against DynamoDB Local. */
const store = buildDeps();
/** A well-formed claim id (a ULID and an enrolment id) that names nothing. */
const UNKNOWN_CLAIM = '01ARZ3NDEKTSV4RRFFQ69G5FAV00000000000000000000000000';
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const counters = async (unit: string, planId: string) => toUnitPlanCounters(await readUnitPlanCounters(store.store, unit, planId));
const enrolment = async (id: string) => (await invoke('getEnrolment', { params: { id }, claims: fed })).body;
const facts = async (planId: string, enrolmentId: string) =>
  (await queryAll(store.store, { index: null, partition: `PLANFACTS#${planId}`, sortPrefix: `${enrolmentId}#` }, true)).map((f) => ({
    seq: f.seq,
    claimId: f.claimId,
    baseFen: f.baseFen,
    deductibleConsumedFen: f.deductibleConsumedFen,
    shares: f.shares,
    benefitFen: f.benefitFen,
  }));

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
let other: Awaited<ReturnType<typeof createTree>>;
let staff: Record<string, string>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(3);
  other = await createTree(0);
  staff = as('office_staff', tree.office, 'reviewer-1');
});

describe('POST /claims/{id}/decision', () => {
  it('the SPEC §6.2 worked example through the API: 580740, then 25000; ledger, counters and replay facts follow', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const reviewer = as('office_staff', t.office, 'reviewer-9');
    const enrolmentId = await enrolOne(unit, plan.id);
    const first = await submitted(unit, enrolmentId);
    const a = await decide(first, { decision: 'approve', reason: '材料齐全' }, reviewer);
    expect(a.status, a.text).toBe(200);
    expect(a.body).toMatchObject({ status: 'approved', approvedBenefitFen: 580740, approvedAt: '2026-07-20T04:00:00.000Z' });
    expect(a.body.benefitBreakdown).toMatchObject({
      baseFen: 1234567,
      deductibleAppliedFen: 100000,
      eligibleFen: 1134567,
      benefitFen: 580740,
      capRemainingBeforeFen: 3000000,
    });
    expect(a.body.history.at(-1)).toEqual({
      at: '2026-07-20T04:00:00.000Z',
      actor: 'reviewer-9',
      role: 'office_staff',
      from: 'submitted',
      to: 'approved',
      note: '材料齐全',
    });
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 580740, deductibleUsedFen: 100000, remainingFen: 3000000 - 580740 });

    const second = await submitted(unit, enrolmentId, {
      admissionDate: '2026-07-12',
      dischargeDate: '2026-07-15',
      selfPaidInScopeFen: 50000,
      totalExpenseFen: 80000,
    });
    const b = await decide(second, { decision: 'approve' }, reviewer);
    expect(b.body).toMatchObject({ status: 'approved', approvedBenefitFen: 25000 });
    expect(b.body.benefitBreakdown).toMatchObject({ deductibleAppliedFen: 0, eligibleFen: 50000, capRemainingBeforeFen: 3000000 - 580740 });
    expect(b.body.benefitBreakdown.lines).toContain('扣除起付线 0.00 元（本期已扣 1,000.00 元）');
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 605740, deductibleUsedFen: 100000 });

    const c = await counters(unit, plan.id);
    expect(c).toMatchObject({ claimsSubmitted: 2, claimsApproved: 2, benefitsApprovedFen: 605740, claimsRejected: 0, openSubmitted: {} });
    // What a plan simulation replays: the approved bases in approval order, with the deductible each consumed.
    expect(await facts(plan.id, enrolmentId)).toEqual([
      { seq: 1, claimId: first, baseFen: 1234567, deductibleConsumedFen: 100000, shares: 1, benefitFen: 580740 },
      { seq: 2, claimId: second, baseFen: 50000, deductibleConsumedFen: 0, shares: 1, benefitFen: 25000 },
    ]);
    // The breakdown is frozen: reading the claim later shows the approval's numbers.
    expect((await invoke('getClaim', { params: { id: first }, claims: reviewer })).body.benefitBreakdown).toEqual(a.body.benefitBreakdown);
  });

  it('four-eyes: the creator may not decide (403 SAME_PERSON), whatever the state', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const filer = as('office_staff', tree.office, 'staff-files');
    const r = await file(stay(enrolmentId), filer);
    expect(code(await decide(r.body.claimId, { decision: 'approve' }, filer))).toBe('403 SAME_PERSON');
    expect(code(await decide(r.body.claimId, { decision: 'approve' }, staff))).toBe('409 INVALID_STATE');
  });

  it('four-eyes: nor may whoever declared a document or submitted it; a reviewer who only returned it may (SPEC §4.4)', async () => {
    const unit = tree.units[0]!;
    const id = await submitted(unit, await enrolOne(unit, plan.id));
    const returner = as('office_staff', tree.office, 'staff-returns');
    const helper = as('office_staff', tree.office, 'staff-uploads');
    const resubmitter = as('office_staff', tree.office, 'staff-resubmits');
    expect((await decide(id, { decision: 'return', reason: '缺少费用清单' }, returner)).status).toBe(200);
    // Another reviewer adds the missing list and a third resubmits: neither may now decide it.
    await upload(id, helper, 'expense_list');
    const again = await invoke('submitClaim', { params: { id }, claims: resubmitter, deps: { clock: julyClock } });
    expect(again.status, again.text).toBe(200);
    for (const who of [helper, resubmitter]) {
      const r = await decide(id, { decision: 'approve' }, who);
      expect(code(r), who.sub).toBe('403 SAME_PERSON');
    }
    expect((await decide(id, { decision: 'approve' }, returner)).status).toBe(200);
  });

  it('409 INVALID_STATE unless submitted; 400 without a reason to reject or return; ADJUSTMENT_NOT_LOWER; a lower adjustment is the base', async () => {
    const unit = tree.units[0]!;
    const draft = (await file(stay(await enrolOne(unit, plan.id)), clerkOf(unit))).body.claimId;
    const draftAnswer = await decide(draft, { decision: 'reject', reason: 'x' }, staff);
    expect(code(draftAnswer)).toBe('409 INVALID_STATE');
    // A problem's status is its HTTP status; the claim's own state has its own name (SPEC §3).
    expect(draftAnswer.body).toMatchObject({ status: 409, claimStatus: 'draft' });

    const id = await submitted(unit, await enrolOne(unit, plan.id));
    const noReason = await decide(id, { decision: 'reject' }, staff);
    expect(code(noReason)).toBe('400 VALIDATION_FAILED');
    expect(noReason.body.errors).toEqual([{ path: 'body.reason', message: '拒绝申请时须写明理由' }]);
    expect(code(await decide(id, { decision: 'return', reason: '   ' }, staff))).toBe('400 VALIDATION_FAILED');
    expect(code(await decide(id, { decision: 'reject', reason: 'x', adjustedSelfPaidInScopeFen: 1 }, staff))).toBe('400 VALIDATION_FAILED');
    const higher = await decide(id, { decision: 'approve', adjustedSelfPaidInScopeFen: 1234568 }, staff);
    expect(code(higher)).toBe('422 ADJUSTMENT_NOT_LOWER');
    expect(higher.body.errors[0].path).toBe('body.adjustedSelfPaidInScopeFen');

    const approved = await decide(id, { decision: 'approve', adjustedSelfPaidInScopeFen: 300000 }, staff);
    expect(approved.status).toBe(200);
    // (300000 − 100000) × 50 % = 100000.
    expect(approved.body).toMatchObject({ selfPaidInScopeFen: 1234567, adjustedSelfPaidInScopeFen: 300000, approvedBenefitFen: 100000 });
    expect(approved.body.benefitBreakdown.baseFen).toBe(300000);
    expect(code(await decide(id, { decision: 'approve' }, staff))).toBe('409 INVALID_STATE');
  });

  it('roles and scope: unit admins may not decide, an office only in its own branch; 404, 401, 400', async () => {
    const unit = tree.units[0]!;
    const id = await submitted(unit, await enrolOne(unit, plan.id));
    expect(code(await decide(id, { decision: 'approve' }, clerkOf(unit, 'another-clerk')))).toBe('403 FORBIDDEN');
    expect(code(await decide(id, { decision: 'approve' }, as('office_staff', other.office)))).toBe('403 FORBIDDEN');
    expect(code(await decide(UNKNOWN_CLAIM, { decision: 'approve' }, staff))).toBe('404 NOT_FOUND');
    expect((await invoke('decideClaim', { params: { id }, body: { decision: 'approve' } })).status).toBe(401);
    expect(code(await decide(id, { decision: 'maybe' }, staff))).toBe('400 VALIDATION_FAILED');
    expect(code(await decide(id, { decision: 'approve', adjustedSelfPaidInScopeFen: -5 }, staff))).toBe('400 VALIDATION_FAILED');
    // The federation decides anywhere.
    expect((await decide(id, { decision: 'approve' }, fed)).status).toBe(200);
  });

  it('return → more documents → resubmit → approve; counters count the claim once and track the open submission by day', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const reviewer = as('office_staff', t.office);
    const clerk = clerkOf(unit);
    const id = await submitted(unit, await enrolOne(unit, plan.id));
    expect((await counters(unit, plan.id)).openSubmitted).toEqual({ '2026-07-20': 1 });
    const ret = await decide(id, { decision: 'return', reason: '请补充费用清单' }, reviewer);
    expect(ret.body.status).toBe('returned');
    expect(ret.body.history.at(-1)).toMatchObject({ from: 'submitted', to: 'returned', note: '请补充费用清单' });
    expect((await counters(unit, plan.id)).openSubmitted).toEqual({});

    await upload(id, clerk, 'expense_list');
    const again = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: augustClock } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'submitted', firstSubmittedDate: '2026-07-20', lastSubmittedDate: '2026-08-05' });
    expect(await counters(unit, plan.id)).toMatchObject({ claimsSubmitted: 1, openSubmitted: { '2026-08-05': 1 } });
    const ok = await decide(id, { decision: 'approve' }, reviewer, augustClock);
    expect(ok.body.history.filter((e: { action?: string }) => !e.action).map((e: { to: string }) => e.to)).toEqual([
      'draft',
      'submitted',
      'returned',
      'submitted',
      'approved',
    ]);
    expect(await counters(unit, plan.id)).toMatchObject({
      claimsSubmitted: 1,
      claimsApproved: 1,
      benefitsApprovedFen: 580740,
      openSubmitted: {},
    });
  });

  it('reject is final, counted, and frees the stay for a corrected filing', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const id = await submitted(unit, enrolmentId);
    expect(code(await file(stay(enrolmentId), clerkOf(unit)))).toBe('422 DUPLICATE_STAY');
    const r = await decide(id, { decision: 'reject', reason: '非住院费用' }, as('office_staff', t.office));
    expect(r.body.status).toBe('rejected');
    expect(await counters(unit, plan.id)).toMatchObject({ claimsSubmitted: 1, claimsRejected: 1, claimsApproved: 0, openSubmitted: {} });
    expect((await file(stay(enrolmentId), clerkOf(unit))).status).toBe(201);
    expect(code(await decide(id, { decision: 'approve' }, fed))).toBe('409 INVALID_STATE');
  });
});

describe('the cap ledger under concurrent approvals', () => {
  it('14 claims of ONE member approved at once: usedFen = Σ benefits ≤ cap, the deductible counted once, counters exact, CAP_EXHAUSTED for the rest', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const ids: string[] = [];
    // Fourteen separate two-day stays, base 1,000,000 each.
    for (let i = 0; i < 14; i++) {
      const day = (n: number) => `2026-${n <= 30 ? `06-${String(n).padStart(2, '0')}` : `07-${String(n - 30).padStart(2, '0')}`}`;
      ids.push(
        await submitted(unit, enrolmentId, {
          admissionDate: day(10 + 2 * i),
          dischargeDate: day(11 + 2 * i),
          selfPaidInScopeFen: 1_000_000,
        }),
      );
    }
    const reviewers = ids.map((_, i) => as('office_staff', t.office, `reviewer-${i}`));
    const answers = await Promise.all(ids.map((id, i) => decide(id, { decision: 'approve' }, reviewers[i]!)));
    const approved = answers.filter((a) => a.status === 200).map((a) => a.body);
    const exhausted = answers.filter((a) => code(a) === '422 CAP_EXHAUSTED');
    expect(approved.length + exhausted.length, answers.map(code).join()).toBe(14);
    // 450,000 for the one that bears the deductible, 500,000 each for five more, 50,000 for the last within the cap.
    expect(approved.map((c) => c.approvedBenefitFen).sort((x: number, y: number) => x - y)).toEqual([
      50000, 450000, 500000, 500000, 500000, 500000, 500000,
    ]);
    expect(approved.filter((c) => c.benefitBreakdown.deductibleAppliedFen > 0)).toHaveLength(1);

    const e = await enrolment(enrolmentId);
    const sum = approved.reduce((s: number, c: { approvedBenefitFen: number }) => s + c.approvedBenefitFen, 0);
    expect(e.usedFen).toBe(sum);
    expect(e.usedFen).toBeLessThanOrEqual(e.capFen);
    expect(e.usedFen).toBe(3_000_000);
    expect(e.deductibleUsedFen).toBe(100000);
    expect(await counters(unit, plan.id)).toMatchObject({
      claimsSubmitted: 14,
      claimsApproved: 7,
      benefitsApprovedFen: sum,
      openSubmitted: { '2026-07-20': 7 },
    });
    // The replay facts: one per approval, sequence 1..7 in commit order, each computed on what the one before left.
    const f = await facts(plan.id, enrolmentId);
    expect(f.map((x) => x.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(f.map((x) => x.benefitFen)).toEqual([450000, 500000, 500000, 500000, 500000, 500000, 50000]);
    // The claims that found the cap used up are still waiting, untouched.
    for (const x of exhausted) expect(x.body.capRemainingFen).toBe(0);
    const left = await Promise.all(ids.map((id) => invoke('getClaim', { params: { id }, claims: fed })));
    expect(left.filter((c) => c.body.status === 'submitted')).toHaveLength(7);
  }, 60_000);
});

describe('approval when DynamoDB fails', () => {
  it('a transaction that keeps failing is 503 with Retry-After; claim, enrolment, counters and facts are untouched', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const id = await submitted(unit, enrolmentId);
    const before = await counters(unit, plan.id);
    const down = faultyStore((cmd) => (cmd === 'TransactWriteItemsCommand' ? throttled() : undefined));
    const r = await invoke('decideClaim', {
      params: { id },
      body: { decision: 'approve' },
      claims: staffOf(t.office),
      deps: { ...down.deps, clock: julyClock },
    });
    expect(code(r)).toBe('503 SERVICE_UNAVAILABLE');
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(down.calls.TransactWriteItemsCommand).toBeGreaterThan(1); // retried before giving up
    const claim = await invoke('getClaim', { params: { id }, claims: fed });
    expect(claim.body.status).toBe('submitted');
    expect(claim.body.history.filter((e: { action?: string }) => !e.action)).toHaveLength(2); // filed, submitted: no approval
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 0, deductibleUsedFen: 0 });
    expect(await counters(unit, plan.id)).toEqual(before);
    expect(await facts(plan.id, enrolmentId)).toEqual([]);
    // Once DynamoDB is back, the same request approves.
    expect((await decide(id, { decision: 'approve' }, staffOf(t.office))).status).toBe(200);
  }, 30_000);

  it('a transaction that commits but whose answer is lost: the retry sees its own approval and answers 200, reserved once', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const id = await submitted(unit, enrolmentId);
    const lossy = faultyStore(() => undefined);
    let lost = false;
    lossy.deps.ddb!.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        if (context.commandName === 'TransactWriteItemsCommand' && !lost) {
          lost = true;
          throw throttled();
        }
        return out;
      },
      { step: 'initialize', name: 'loseAnswer' },
    );
    const r = await invoke('decideClaim', {
      params: { id },
      body: { decision: 'approve' },
      claims: staffOf(t.office),
      deps: { ...lossy.deps, clock: julyClock },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.approvedBenefitFen).toBe(580740);
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 580740, deductibleUsedFen: 100000 });
    expect(await counters(unit, plan.id)).toMatchObject({ claimsApproved: 1, benefitsApprovedFen: 580740 });
  }, 30_000);
});

const staffOf = (office: string) => as('office_staff', office, `reviewer@${office}`);
