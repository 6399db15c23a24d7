import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { runReconcile } from '../../shared/report/reconcileRun';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { queryAll } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { augustClock, clerkOf, decide, enrolOne, file, julyClock, upload } from '../support/claims';
import { LUMP_SUM_RULES } from '../support/examplePlan';
import { createPlan, createTree, fed, planBody } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * Lump-sum plans (重大疾病互助, SPEC §4.2/§4.4) against DynamoDB Local + s3rver:
 * C01 pays 100,000 元 a share, C02 50,000, C03 30,000; cap 120,000 元 a share.
 */
const store = buildDeps();
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const enrolment = async (id: string) => (await invoke('getEnrolment', { params: { id }, claims: fed })).body;
const counters = async (unit: string, planId: string) => toUnitPlanCounters(await readUnitPlanCounters(store.store, unit, planId));

/** A first diagnosis in July 2026 (after the 2026-06-08 benefit start), filed on julyClock. */
const diagnosis = (enrolmentId: string, over: Record<string, unknown> = {}) => ({
  enrolmentId,
  hospital: '复旦大学附属肿瘤医院',
  diagnosisDate: '2026-07-05',
  conditionCode: 'C01',
  accident: false,
  ...over,
});

/** Files and submits a lump-sum claim with its diagnosis certificate; the claim id. */
const submittedLumpSum = async (unit: string, enrolmentId: string, over: Record<string, unknown> = {}) => {
  const clerk = clerkOf(unit);
  const filed = await file(diagnosis(enrolmentId, over), clerk);
  expect(filed.status, filed.text).toBe(201);
  const id = filed.body.claimId as string;
  await upload(id, clerk, 'diagnosis_certificate');
  const s = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
  expect(s.status, s.text).toBe(200);
  return id;
};

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan({ name: '2026年度重大疾病互助', benefit: LUMP_SUM_RULES });
  tree = await createTree(6);
});

describe('lump-sum plans (POST /plans)', () => {
  it('accepts a lump_sum benefit and answers it as created', () => {
    expect(plan.benefit).toEqual(LUMP_SUM_RULES);
  });
  it('400 names each bad field of a lump_sum benefit: duplicate codes, a zero amount, no conditions, a band field', async () => {
    const bad = async (benefit: unknown) => invoke('createPlan', { body: planBody({ benefit }), claims: fed });
    const dup = await bad({ ...LUMP_SUM_RULES, conditions: [LUMP_SUM_RULES.conditions[0], LUMP_SUM_RULES.conditions[0]] });
    expect(code(dup)).toBe('400 VALIDATION_FAILED');
    expect(dup.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.benefit.conditions.1.code']);
    const zero = await bad({ ...LUMP_SUM_RULES, conditions: [{ code: 'X', name: 'x', amountPerShareFen: 'ten' }] });
    expect(zero.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.benefit.conditions.0.amountPerShareFen']);
    const none = await bad({ ...LUMP_SUM_RULES, conditions: [] });
    expect(new Set(none.body.errors.map((e: { path: string }) => e.path))).toEqual(new Set(['body.benefit.conditions']));
    const mixed = await bad({ ...LUMP_SUM_RULES, deductibleFen: 0 });
    expect(mixed.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.benefit']);
    expect(mixed.body.errors[0].message).toMatch(/deductibleFen/);
  });
});

describe('POST /claims for a lump-sum plan', () => {
  it('files a draft with min(amount × shares, cap − used) and an explanation; the diagnosis certificate is what submit requires', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const enrolmentId = await enrolOne(unit, plan.id, { shares: 2 });
    const r = await file(diagnosis(enrolmentId), clerk);
    expect(r.status, r.text).toBe(201);
    expect(r.body).toMatchObject({
      kind: 'lump_sum',
      status: 'draft',
      diagnosisDate: '2026-07-05',
      conditionCode: 'C01',
      conditionName: '恶性肿瘤',
      estimatedBenefitFen: 20_000_000, // 10,000,000 × 2 shares, under the cap 12,000,000 × 2
    });
    expect(r.body).not.toHaveProperty('admissionDate');
    expect(r.body.benefitBreakdown).toMatchObject({
      kind: 'lump_sum',
      amountPerShareFen: 10_000_000,
      shares: 2,
      capFen: 24_000_000,
      capRemainingBeforeFen: 24_000_000,
      benefitFen: 20_000_000,
    });
    expect(r.body.benefitBreakdown.lines[0]).toBe('病种 C01 恶性肿瘤：每份 100,000.00 元');
    const id = r.body.claimId as string;
    await upload(id, clerk, 'invoice');
    const missing = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
    expect(code(missing)).toBe('422 DOCUMENTS_MISSING');
    expect(missing.body.missing).toEqual(['diagnosis_certificate']);
    await upload(id, clerk, 'diagnosis_certificate');
    const ok = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
    expect(ok.status, ok.text).toBe(200);
  });

  it('answers each rule with its code and field; a banded body for a lump-sum plan is 400 naming what is missing', async () => {
    const unit = tree.units[1]!;
    const clerk = clerkOf(unit);
    const enrolmentId = await enrolOne(unit, plan.id);
    const at = async (over: Record<string, unknown>) => {
      const r = await file(diagnosis(enrolmentId, over), clerk);
      return `${code(r)} ${(r.body.errors ?? []).map((e: { path: string }) => e.path).join(',')}`.trim();
    };
    expect(await at({ conditionCode: 'Z99' })).toBe('422 CONDITION_NOT_COVERED body.conditionCode');
    expect(await at({ diagnosisDate: '2026-07-21' })).toBe('422 DATES_INVALID body.diagnosisDate');
    expect(await at({ diagnosisDate: '2026-06-07' })).toBe('422 WAITING_PERIOD body.diagnosisDate');
    expect(await at({ diagnosisDate: '2025-12-31' })).toBe('422 OUTSIDE_COVERAGE body.diagnosisDate');
    expect(await at({ diagnosisDate: '2026-02-30' })).toBe('400 VALIDATION_FAILED body.diagnosisDate');
    const banded = await file(
      {
        enrolmentId,
        hospital: 'x',
        admissionDate: '2026-07-01',
        dischargeDate: '2026-07-10',
        diagnosis: 'x',
        accident: false,
        totalExpenseFen: 1,
        insuranceReimbursedFen: 0,
        selfPaidInScopeFen: 1,
      },
      clerk,
    );
    expect(code(banded)).toBe('400 VALIDATION_FAILED');
    expect(banded.body.errors.map((e: { path: string }) => e.path)).toContain('body.diagnosisDate');
    // A body of neither shape names its bad field, not "invalid input".
    const typo = await file(diagnosis(enrolmentId, { accident: 'no' }), clerk);
    expect(typo.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.accident']);
  });

  it('CONDITION_ALREADY_CLAIMED: one claim per condition per enrolment; another condition is fine; a withdrawn claim frees it', async () => {
    const unit = tree.units[2]!;
    const clerk = clerkOf(unit);
    const enrolmentId = await enrolOne(unit, plan.id);
    const first = await file(diagnosis(enrolmentId), clerk);
    expect(first.status).toBe(201);
    const again = await file(diagnosis(enrolmentId, { diagnosisDate: '2026-07-06' }), clerk);
    expect(code(again)).toBe('422 CONDITION_ALREADY_CLAIMED');
    expect(again.body.duplicateOf).toBe(first.body.claimId);
    expect((await file(diagnosis(enrolmentId, { conditionCode: 'C02' }), clerk)).status).toBe(201);
    const w = await invoke('withdrawClaim', { params: { id: first.body.claimId }, claims: clerk, deps: { clock: julyClock } });
    expect(w.status, w.text).toBe(200);
    expect((await file(diagnosis(enrolmentId), clerk)).status).toBe(201);
  });

  it('CONDITION_ALREADY_CLAIMED holds under 12 concurrent filings of one condition: exactly one is filed', async () => {
    const unit = tree.units[3]!;
    const clerk = clerkOf(unit);
    const enrolmentId = await enrolOne(unit, plan.id);
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => file(diagnosis(enrolmentId, { hospital: `医院${i}` }), clerk)));
    expect(rs.map(code).sort()).toEqual(['201', ...Array(11).fill('422 CONDITION_ALREADY_CLAIMED')]);
  });
});

describe('approval of lump-sum claims', () => {
  it('the cap across conditions: 100,000 then 20,000 (capped), then CAP_EXHAUSTED; ledger, paidConditions, facts, counters, payment and disclosure by month of diagnosis', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const reviewer = as('office_staff', t.office, 'reviewer-cap');
    const enrolmentId = await enrolOne(unit, plan.id);
    const a = await submittedLumpSum(unit, enrolmentId);
    const b = await submittedLumpSum(unit, enrolmentId, { conditionCode: 'C02', diagnosisDate: '2026-06-20' });
    const c = await submittedLumpSum(unit, enrolmentId, { conditionCode: 'C03' });

    expect(code(await decide(a, { decision: 'approve', adjustedSelfPaidInScopeFen: 1 }, reviewer))).toBe('400 VALIDATION_FAILED');
    expect(code(await decide(a, { decision: 'approve' }, clerkOf(unit)))).toBe('403 FORBIDDEN');
    const ra = await decide(a, { decision: 'approve' }, reviewer);
    expect(ra.status, ra.text).toBe(200);
    expect(ra.body).toMatchObject({ status: 'approved', approvedBenefitFen: 10_000_000 });
    const rb = await decide(b, { decision: 'approve' }, reviewer);
    // 5,000,000 a share, but only 12,000,000 − 10,000,000 of the cap is left.
    expect(rb.body).toMatchObject({ status: 'approved', approvedBenefitFen: 2_000_000 });
    expect(rb.body.benefitBreakdown).toMatchObject({ capRemainingBeforeFen: 2_000_000, benefitFen: 2_000_000 });
    const rc = await decide(c, { decision: 'approve' }, reviewer);
    expect(code(rc)).toBe('422 CAP_EXHAUSTED');
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 12_000_000, remainingFen: 0, paidConditions: ['C01', 'C02'] });

    const facts = await queryAll(store.store, { index: null, partition: `PLANFACTS#${plan.id}`, sortPrefix: `${enrolmentId}#` }, true);
    expect(
      facts.map((f) => ({
        kind: f.kind,
        seq: f.seq,
        claimId: f.claimId,
        conditionCode: f.conditionCode,
        shares: f.shares,
        amountPerShareFen: f.amountPerShareFen,
        benefitFen: f.benefitFen,
      })),
    ).toEqual([
      { kind: 'lump_sum', seq: 1, claimId: a, conditionCode: 'C01', shares: 1, amountPerShareFen: 10_000_000, benefitFen: 10_000_000 },
      { kind: 'lump_sum', seq: 2, claimId: b, conditionCode: 'C02', shares: 1, amountPerShareFen: 5_000_000, benefitFen: 2_000_000 },
    ]);
    expect(await counters(unit, plan.id)).toMatchObject({ claimsSubmitted: 3, claimsApproved: 2, benefitsApprovedFen: 12_000_000 });

    const paid = await invoke('createPayment', {
      body: { claimIds: [a, b], paidDate: '2026-08-05', reference: 'ICBC-LS-01' },
      claims: fed,
      deps: { clock: augustClock },
    });
    expect(paid.status, paid.text).toBe(201);
    const d = await invoke('listDisclosures', { params: { planId: plan.id }, query: { limit: 100 } });
    const mine = (d.body.items as Array<{ benefitFen: number; admissionMonth: string }>).filter((x) =>
      [10_000_000, 2_000_000].includes(x.benefitFen),
    );
    expect(mine.map((x) => `${x.admissionMonth} ${x.benefitFen}`).sort()).toEqual(['2026-06 2000000', '2026-07 10000000']);
  });

  it('two claims of one condition (the filing lock bypassed) approved concurrently: one 200, one CONDITION_ALREADY_CLAIMED, paid once', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id, { shares: 2 });
    const first = await submittedLumpSum(unit, enrolmentId);
    // What a damaged or migrated store could hold: drop the filing lock so a second claim of C01 gets filed.
    await store.store.db.send(new DeleteCommand({ TableName: store.config.tableName, Key: keys.enrolmentConditions(enrolmentId) }));
    const second = await submittedLumpSum(unit, enrolmentId);
    const reviewers = [as('office_staff', t.office, 'r-1'), as('office_staff', t.office, 'r-2')];
    const rs = await Promise.all([
      decide(first, { decision: 'approve' }, reviewers[0]!),
      decide(second, { decision: 'approve' }, reviewers[1]!),
    ]);
    expect(rs.map(code).sort()).toEqual(['200', '422 CONDITION_ALREADY_CLAIMED']);
    expect(await enrolment(enrolmentId)).toMatchObject({ usedFen: 20_000_000, paidConditions: ['C01'] });
    expect(await counters(unit, plan.id)).toMatchObject({ claimsApproved: 1, benefitsApprovedFen: 20_000_000 });
  });

  it('concurrent approvals of different conditions never pass the cap: Σ = cap exactly, the rest CAP_EXHAUSTED', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const ids = [
      await submittedLumpSum(unit, enrolmentId),
      await submittedLumpSum(unit, enrolmentId, { conditionCode: 'C02' }),
      await submittedLumpSum(unit, enrolmentId, { conditionCode: 'C03' }),
    ];
    const rs = await Promise.all(ids.map((id, i) => decide(id, { decision: 'approve' }, as('office_staff', t.office, `r-${i}`))));
    const approved = rs.filter((r) => r.status === 200).map((r) => r.body.approvedBenefitFen as number);
    expect(approved.reduce((s, x) => s + x, 0)).toBeLessThanOrEqual(12_000_000);
    expect(rs.every((r) => r.status === 200 || code(r) === '422 CAP_EXHAUSTED')).toBe(true);
    const e = await enrolment(enrolmentId);
    expect(e.usedFen).toBe(approved.reduce((s, x) => s + x, 0));
    // C01 alone is 10,000,000; with C02 or C03 after it the cap is reached, so the total is the cap whatever the order.
    expect(e.usedFen).toBe(12_000_000);
  });

  it('the plan reconciles clean afterwards: used cap against approved lump sums, approval facts, counters, disclosures', async () => {
    const run = await runReconcile(store, { planIds: [plan.id], by: 'test', recheckDelayMs: 0 });
    expect(run.plans.map((p) => p.drifts)).toEqual([[]]);
    expect(run.plans[0]!.claims).toBeGreaterThan(0);
  });
});
