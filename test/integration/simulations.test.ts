import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import type { BandedRules, LumpSumRules } from '../../shared/domain/plan';
import { keys } from '../../shared/store/keys';
import { readPlanTotals } from '../../shared/simulation/simulate';
import { augustClock, clerkOf, decide, enrolAt, enrolOne, file, julyClock, submitted, upload } from '../support/claims';
import { LUMP_SUM_RULES, SPEC_BENEFIT_RULES } from '../support/examplePlan';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * POST /plans/{id}/simulations (SPEC §4.6) against DynamoDB Local + s3rver: real enrolments, claims,
 * approvals and a payment through the handlers, then replays. Figures worked by hand below.
 */
const deps = buildDeps();
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const simulate = (planId: string, body: unknown, claims: Record<string, string> | null = fed) =>
  invoke('simulatePlan', { params: { id: planId }, body, ...(claims ? { claims } : {}) });

/** No deductible, 80 % flat, the same cap (30,000 元 a share). */
const FLAT80: BandedRules = {
  deductibleFen: 0,
  deductibleBasis: 'per_stay',
  bands: [{ uptoFen: null, ratePermille: 800 }],
  capPerShareFen: 3_000_000,
};
/** The plan's rules with every rate at 40 %. */
const LOWER: BandedRules = { ...SPEC_BENEFIT_RULES, bands: SPEC_BENEFIT_RULES.bands.map((b) => ({ ...b, ratePermille: 400 })) };

/**
 * Banded plan (the SPEC §6.2 rules), 50 元 a share, 40 元 for a renewing share:
 *   A, new, 1 share: stay with base 1,234,567 → 580,740 (then paid); stay with base 50,000 → 25,000.
 *   B, renewing, 2 shares: base 5,000,000 → 3,030,000 a share × 2 = 6,060,000, capped at 6,000,000.
 * Approved 6,605,740; contributions 1 × 5,000 + 2 × 4,000 = 13,000.
 */
const banded = { planId: '', a: '', b: '', claims: [] as string[] };

beforeAll(async () => {
  const previous = await createPlan({
    coverageStart: '2025-01-01',
    coverageEnd: '2025-12-31',
    enrolmentOpen: '2024-12-01',
    enrolmentClose: '2025-06-30',
  });
  const plan = await createPlan({ predecessorPlanId: previous.id, renewalContributionPerShareFen: 4000 });
  banded.planId = plan.id;
  const t = await createTree(1);
  const unit = t.units[0]!;
  const [a, b] = people(2);
  await enrolAt(unit, previous.id, [{ ...b!, shares: 2 }], fixedClock('2025-03-01T04:00:00Z'));
  const [aId, bId] = await enrolAt(unit, plan.id, [a!, { ...b!, shares: 2 }], marchClock);
  banded.a = aId!;
  banded.b = bId!;
  const reviewer = as('office_staff', t.office, 'reviewer-sim');
  const a1 = await submitted(unit, aId!);
  const a2 = await submitted(unit, aId!, {
    admissionDate: '2026-07-12',
    dischargeDate: '2026-07-15',
    totalExpenseFen: 80_000,
    selfPaidInScopeFen: 50_000,
  });
  const b1 = await submitted(unit, bId!, { totalExpenseFen: 6_000_000, selfPaidInScopeFen: 5_000_000 });
  const paid = [580_740, 25_000, 6_000_000];
  for (const [i, id] of [a1, a2, b1].entries()) {
    const r = await decide(id, { decision: 'approve' }, reviewer);
    expect(r.status, r.text).toBe(200);
    expect(r.body.approvedBenefitFen).toBe(paid[i]);
  }
  const pay = await invoke('createPayment', {
    body: { claimIds: [a1], paidDate: '2026-08-05', reference: 'SIM-2026-0805' },
    claims: fed,
    deps: { clock: augustClock },
  });
  expect(pay.status, pay.text).toBe(201);
  banded.claims = [a1, a2, b1];
});

describe('POST /plans/{id}/simulations: a banded plan', () => {
  it('actual equals the plan’s real approved totals (nothing corrupted): claims, benefits, contributions, bands', async () => {
    const r = await simulate(banded.planId, {
      contributionPerShareFen: 5000,
      renewalContributionPerShareFen: 4000,
      benefit: SPEC_BENEFIT_RULES,
    });
    expect(r.status, r.text).toBe(200);
    const totals = await readPlanTotals(deps.store, banded.planId);
    expect(totals).toMatchObject({
      enrolled: 2,
      sharesNew: 1,
      sharesRenewal: 2,
      contributionsFen: 13_000,
      claimsApproved: 3,
      benefitsApprovedFen: 6_605_740,
    });
    expect(r.body).toMatchObject({ planId: banded.planId, enrolments: 2, claims: 3 });
    // 6,605,740 × 1000 / 13,000 = 508,133.8 → 508,133 ‰.
    expect(r.body.actual).toEqual({
      enrolments: 2,
      contributionsFen: 13_000,
      benefitsFen: totals.benefitsApprovedFen,
      lossRatioPermille: 508_133,
      poolFen: 13_000 - 6_605_740,
      cappedClaims: 1,
      bands: [
        // eligible: A 1,000,000 + 50,000, B 1,000,000 | A 134,567, B 2,000,000 | B 1,900,000.
        // benefit, lowest band first: A 500,000 + 25,000, B 2 × 500,000 | A 80,740, B 2 × 1,200,000 | B 6,000,000 − 3,400,000.
        { uptoFen: 1_000_000, ratePermille: 500, eligibleFen: 2_050_000, benefitFen: 1_525_000 },
        { uptoFen: 3_000_000, ratePermille: 600, eligibleFen: 2_134_567, benefitFen: 2_480_740 },
        { uptoFen: null, ratePermille: 700, eligibleFen: 1_900_000, benefitFen: 2_600_000 },
      ],
    });
    // The candidate is the plan itself: identical figures, no difference.
    const { alert, ...candidate } = r.body.candidate;
    expect(candidate).toEqual(r.body.actual);
    expect(alert).toBe(true);
    expect(r.body.difference).toEqual({ contributionsFen: 0, benefitsFen: 0, lossRatioPermille: 0 });
  });

  it('a richer candidate pays strictly more, repriced new and renewing shares apart, scaled by enrolmentChangePermille', async () => {
    const r = await simulate(banded.planId, {
      contributionPerShareFen: 6000,
      renewalContributionPerShareFen: 5000,
      benefit: FLAT80,
      enrolmentChangePermille: 100,
    });
    expect(r.status, r.text).toBe(200);
    // Replay: A 987,653.6 → 987,653 and 40,000; B 8,000,000 → capped 6,000,000. Σ 7,027,653 × 1.1 → 7,730,418.
    // Contributions (1 × 6,000 + 2 × 5,000) × 1.1 = 17,600; 7,730,418 × 1000 / 17,600 → 439,228 ‰.
    expect(r.body.candidate).toEqual({
      enrolments: 2,
      contributionsFen: 17_600,
      benefitsFen: 7_730_418,
      lossRatioPermille: 439_228,
      poolFen: 17_600 - 7_730_418,
      cappedClaims: 1,
      bands: [{ uptoFen: null, ratePermille: 800, eligibleFen: 1_234_567 + 50_000 + 5_000_000, benefitFen: 7_027_653 }],
      alert: true,
    });
    expect(r.body.difference).toEqual({ contributionsFen: 4_600, benefitsFen: 1_124_678, lossRatioPermille: 439_228 - 508_133 });
    expect(r.body.candidate.benefitsFen).toBeGreaterThan(r.body.actual.benefitsFen);
  });

  it('a poorer candidate pays strictly less; the renewal price defaults to the new one', async () => {
    const r = await simulate(banded.planId, { contributionPerShareFen: 1_000_000, benefit: LOWER });
    expect(r.status, r.text).toBe(200);
    // A 1,134,567 × 0.4 = 453,826.8 → 453,826 and 20,000; B 4,900,000 × 0.4 × 2 = 3,920,000 (under the cap).
    expect(r.body.candidate).toMatchObject({
      benefitsFen: 4_393_826,
      cappedClaims: 0,
      contributionsFen: 3_000_000,
      lossRatioPermille: 1464,
      alert: true,
    });
    expect(r.body.candidate.benefitsFen).toBeLessThan(r.body.actual.benefitsFen);
    const cheap = await simulate(banded.planId, { contributionPerShareFen: 3_000_000, benefit: LOWER, enrolmentChangePermille: -500 });
    // 9,000,000 × 0.5 = 4,500,000; 4,393,826 × 0.5 = 2,196,913; 488 ‰: no alert.
    expect(cheap.body.candidate).toMatchObject({
      enrolments: 1,
      contributionsFen: 4_500_000,
      benefitsFen: 2_196_913,
      lossRatioPermille: 488,
      alert: false,
    });
  });

  it('the built-in check: a corrupted approval fact → 409 SIMULATION_MISMATCH with both figures; repaired → 200 again', async () => {
    const key = keys.approvalFact(banded.planId, banded.a, 1);
    const bump = (by: number) =>
      deps.db.send(
        new UpdateCommand({
          TableName: deps.config.tableName,
          Key: key,
          UpdateExpression: 'ADD baseFen :d',
          ExpressionAttributeValues: { ':d': by },
        }),
      );
    await bump(1000);
    try {
      const r = await simulate(banded.planId, { contributionPerShareFen: 5000, benefit: SPEC_BENEFIT_RULES });
      expect(code(r)).toBe('409 SIMULATION_MISMATCH');
      // A's first claim replays 1,000 fen higher in the 60 % band: 581,340 instead of 580,740.
      expect(r.body.mismatches).toEqual([
        { field: 'benefitsApprovedFen', recorded: 6_605_740, recomputed: 6_606_340 },
        { field: 'factBenefits', recorded: 6_605_740, recomputed: 6_606_340 },
        { field: 'factsDiffering', recorded: 0, recomputed: 1 },
      ]);
      expect(r.body.detail).toMatch(/reconcil/);
    } finally {
      await bump(-1000);
    }
    expect((await simulate(banded.planId, { contributionPerShareFen: 5000, benefit: SPEC_BENEFIT_RULES })).status).toBe(200);
  });
});

/**
 * Lump-sum plan (C01 100,000 元, C02 50,000, C03 30,000 a share; cap 120,000 a share), 50 元 a share:
 *   X, 1 share: C02 → 5,000,000; C01 → 10,000,000 but 7,000,000 of cap left → 7,000,000 (capped).
 *   Y, 2 shares: C03 → 6,000,000.
 */
const LUMP_CANDIDATE: LumpSumRules = {
  kind: 'lump_sum',
  conditions: [
    { code: 'C01', name: '恶性肿瘤', amountPerShareFen: 8_000_000 },
    { code: 'C02', name: '脑中风后遗症', amountPerShareFen: 4_000_000 },
  ],
  capPerShareFen: 10_000_000,
};

describe('POST /plans/{id}/simulations: a lump-sum plan', () => {
  const lump = { planId: '' };
  beforeAll(async () => {
    const plan = await createPlan({ name: '2026年度重大疾病互助', benefit: LUMP_SUM_RULES });
    lump.planId = plan.id;
    const t = await createTree(1);
    const unit = t.units[0]!;
    const clerk = clerkOf(unit);
    const reviewer = as('office_staff', t.office, 'reviewer-sim-ls');
    const x = await enrolOne(unit, plan.id);
    const y = await enrolOne(unit, plan.id, { shares: 2 });
    const approve = async (enrolmentId: string, conditionCode: string, diagnosisDate: string, expected: number) => {
      const body = { enrolmentId, hospital: '复旦大学附属肿瘤医院', diagnosisDate, conditionCode, accident: false };
      const filed = await file(body, clerk);
      expect(filed.status, filed.text).toBe(201);
      const id = filed.body.claimId as string;
      await upload(id, clerk, 'diagnosis_certificate');
      expect((await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } })).status).toBe(200);
      const r = await decide(id, { decision: 'approve' }, reviewer);
      expect(r.status, r.text).toBe(200);
      expect(r.body.approvedBenefitFen).toBe(expected);
    };
    await approve(x, 'C02', '2026-06-20', 5_000_000);
    await approve(x, 'C01', '2026-07-05', 7_000_000);
    await approve(y, 'C03', '2026-07-05', 6_000_000);
  });

  it('actual equals the real approvals per condition; the candidate’s amounts and cap replay, a dropped condition pays 0', async () => {
    const r = await simulate(lump.planId, { contributionPerShareFen: 5000, benefit: LUMP_CANDIDATE });
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ enrolments: 2, claims: 3 });
    expect(r.body.actual).toEqual({
      enrolments: 2,
      contributionsFen: 15_000,
      benefitsFen: 18_000_000,
      lossRatioPermille: 1_200_000,
      poolFen: 15_000 - 18_000_000,
      cappedClaims: 1,
      bands: [],
      conditions: [
        { code: 'C01', amountPerShareFen: 10_000_000, claims: 1, benefitFen: 7_000_000 },
        { code: 'C02', amountPerShareFen: 5_000_000, claims: 1, benefitFen: 5_000_000 },
        { code: 'C03', amountPerShareFen: 3_000_000, claims: 1, benefitFen: 6_000_000 },
      ],
    });
    // X: C02 4,000,000, then C01 8,000,000 capped at 10,000,000 − 4,000,000; Y: C03 no longer listed → 0.
    expect(r.body.candidate).toMatchObject({
      benefitsFen: 10_000_000,
      cappedClaims: 1,
      conditions: [
        { code: 'C01', amountPerShareFen: 8_000_000, claims: 1, benefitFen: 6_000_000 },
        { code: 'C02', amountPerShareFen: 4_000_000, claims: 1, benefitFen: 4_000_000 },
      ],
    });
    expect(r.body.difference.benefitsFen).toBe(-8_000_000);
    expect((await readPlanTotals(deps.store, lump.planId)).benefitsApprovedFen).toBe(r.body.actual.benefitsFen);
  });

  it('422 BENEFIT_KIND_MISMATCH for banded rules on a lump-sum plan (and the reverse)', async () => {
    const r = await simulate(lump.planId, { contributionPerShareFen: 5000, benefit: SPEC_BENEFIT_RULES });
    expect(code(r)).toBe('422 BENEFIT_KIND_MISMATCH');
    expect(r.body.planKind).toBe('lump_sum');
    expect(code(await simulate(banded.planId, { contributionPerShareFen: 5000, benefit: LUMP_SUM_RULES }))).toBe(
      '422 BENEFIT_KIND_MISMATCH',
    );
  });
});

describe('POST /plans/{id}/simulations: refusals', () => {
  const ok = { contributionPerShareFen: 5000, benefit: SPEC_BENEFIT_RULES };
  it('401 without a token; 403 for any role but federation_admin, before the body is read', async () => {
    expect((await simulate(banded.planId, ok, null)).status).toBe(401);
    for (const who of [as('office_staff', 'root'), as('unit_admin', 'root')]) {
      expect(code(await simulate(banded.planId, { nonsense: true }, who))).toBe('403 FORBIDDEN');
    }
  });

  it('404 for an unknown plan', async () => {
    expect(code(await simulate('no-such-plan', ok))).toBe('404 NOT_FOUND');
  });

  it('400 names every bad field: bands out of order, a renewal dearer than new, a change below −1000 ‰, floats, strays', async () => {
    const r = await simulate(banded.planId, {
      contributionPerShareFen: 5000.5,
      renewalContributionPerShareFen: 6000,
      benefit: {
        ...SPEC_BENEFIT_RULES,
        bands: [
          { uptoFen: 3_000_000, ratePermille: 500 },
          { uptoFen: 1_000_000, ratePermille: 1200 },
          { uptoFen: null, ratePermille: 700 },
        ],
      },
      enrolmentChangePermille: -1001,
      extra: 1,
    });
    expect(code(r)).toBe('400 VALIDATION_FAILED');
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.contributionPerShareFen', 'body.benefit.bands.1.ratePermille', 'body.enrolmentChangePermille']),
    );
    const rules = await simulate(banded.planId, {
      contributionPerShareFen: 5000,
      renewalContributionPerShareFen: 6000,
      benefit: {
        ...SPEC_BENEFIT_RULES,
        bands: [
          { uptoFen: 3_000_000, ratePermille: 500 },
          { uptoFen: 1_000_000, ratePermille: 600 },
          { uptoFen: null, ratePermille: 700 },
        ],
      },
    });
    expect(code(rules)).toBe('400 VALIDATION_FAILED');
    expect(rules.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.benefit.bands.1.uptoFen',
      'body.renewalContributionPerShareFen',
    ]);
    expect(code(await simulate(banded.planId, { benefit: SPEC_BENEFIT_RULES }))).toBe('400 VALIDATION_FAILED');
  });
});
