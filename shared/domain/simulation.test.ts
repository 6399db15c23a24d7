import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LUMP_SUM_RULES, SPEC_BENEFIT_RULES } from '../../test/support/examplePlan';
import { computeBenefit } from './benefit';
import { computeLumpSum } from './explanation';
import type { BandedRules, LumpSumRules } from './plan';
import { checkActual, mergeTotals, type PlanTotals, ReplayError, type ReplayFact, replay, Replayer, simulationResult } from './simulation';

const banded = (enrolmentId: string, seq: number, shares: number, baseFen: number, benefitFen = 0): ReplayFact => ({
  enrolmentId,
  seq,
  shares,
  baseFen,
  benefitFen,
});
const lump = (enrolmentId: string, seq: number, shares: number, conditionCode: string, benefitFen = 0): ReplayFact => ({
  enrolmentId,
  seq,
  shares,
  kind: 'lump_sum',
  conditionCode,
  benefitFen,
});

/**
 * Worked by hand under the SPEC §6.2 rules (deductible 1,000 元 per period; 50 % to 10,000 元, 60 % to 30,000 元,
 * 70 % above; cap 30,000 元 a share):
 *   A (1 share): base 1,234,567 → eligible 1,134,567 → 500,000 + 80,740.2 → 580,740; base 50,000 → 25,000.
 *   B (2 shares): base 5,000,000 → eligible 4,900,000 → 500,000 + 1,200,000 + 1,330,000 = 3,030,000 a share,
 *     × 2 = 6,060,000 > cap 6,000,000 → 6,000,000 (capped); base 200,000 → 100,000 × 2 but no cap left → 0 (capped).
 */
const FACTS = [banded('A', 1, 1, 1_234_567), banded('A', 2, 1, 50_000), banded('B', 1, 2, 5_000_000), banded('B', 2, 2, 200_000)];

/** Candidate: no deductible, 80 % flat, same cap. A: 987,653.6 → 987,653; 40,000. B: 8,000,000 → cap 6,000,000; then 0. */
const FLAT80: BandedRules = {
  deductibleFen: 0,
  deductibleBasis: 'per_stay',
  bands: [{ uptoFen: null, ratePermille: 800 }],
  capPerShareFen: 3_000_000,
};

describe('replay of banded facts (SPEC §4.6 / §6.2)', () => {
  it('replays the worked example under the plan’s rules: totals, capped claims, per-band figures', () => {
    const t = replay(SPEC_BENEFIT_RULES, FACTS);
    expect(t.claims).toBe(4);
    expect(t.benefitsFen).toBe(580_740 + 25_000 + 6_000_000);
    expect(t.cappedClaims).toBe(2);
    // eligible per band: A 1,000,000 + 50,000 | 134,567 | 0; B 1,000,000 | 2,000,000 | 1,900,000; B's second 200,000 in band 0.
    // benefit per band, lowest first: A 500,000 + 25,000 | 80,740 | 0; B (× 2 shares) 1,000,000 | 2,400,000 | 6,000,000 − 3,400,000.
    expect(t.bands).toEqual([
      { uptoFen: 1_000_000, ratePermille: 500, eligibleFen: 1_000_000 + 50_000 + 1_000_000 + 200_000, benefitFen: 525_000 + 1_000_000 },
      { uptoFen: 3_000_000, ratePermille: 600, eligibleFen: 134_567 + 2_000_000, benefitFen: 80_740 + 2_400_000 },
      { uptoFen: null, ratePermille: 700, eligibleFen: 1_900_000, benefitFen: 2_600_000 },
    ]);
    expect(t.conditions).toEqual([]);
  });

  it('replays the same facts under a candidate: the deductible and the cap apply afresh', () => {
    const t = replay(FLAT80, FACTS);
    expect(t.benefitsFen).toBe(987_653 + 40_000 + 6_000_000 + 0);
    expect(t.cappedClaims).toBe(2);
    expect(t.bands).toEqual([
      { uptoFen: null, ratePermille: 800, eligibleFen: 1_234_567 + 50_000 + 5_000_000 + 200_000, benefitFen: 7_027_653 },
    ]);
  });

  it('a per-stay deductible applies to every claim again', () => {
    const perStay: BandedRules = { ...SPEC_BENEFIT_RULES, deductibleBasis: 'per_stay' };
    // A's second claim: 50,000 − 100,000 → eligible 0 → 0.
    expect(replay(perStay, FACTS.slice(0, 2)).benefitsFen).toBe(580_740);
  });

  it('refuses facts out of approval order, an enrolment split apart, or facts of the other kind', () => {
    expect(() => replay(SPEC_BENEFIT_RULES, [banded('A', 2, 1, 1), banded('A', 1, 1, 1)])).toThrow(ReplayError);
    expect(() => replay(SPEC_BENEFIT_RULES, [banded('A', 1, 1, 1), banded('B', 1, 1, 1), banded('A', 2, 1, 1)])).toThrow(ReplayError);
    expect(() => replay(SPEC_BENEFIT_RULES, [lump('A', 1, 1, 'C01')])).toThrow(ReplayError);
    expect(() => replay(LUMP_SUM_RULES, [banded('A', 1, 1, 1)])).toThrow(ReplayError);
  });
});

/**
 * Lump sums (C01 100,000 元, C02 50,000, C03 30,000 a share; cap 120,000 a share):
 *   X (1 share): C02 → 5,000,000; C01 → 10,000,000 but 7,000,000 of cap left → 7,000,000 (capped).
 *   Y (2 shares): C03 → 6,000,000.
 * Candidate (C01 80,000, C02 40,000, C03 dropped, cap 100,000): X 4,000,000 then 6,000,000 (capped of 8,000,000); Y 0.
 */
const LUMP_FACTS = [lump('X', 1, 1, 'C02'), lump('X', 2, 1, 'C01'), lump('Y', 1, 2, 'C03')];
const LUMP_CANDIDATE: LumpSumRules = {
  kind: 'lump_sum',
  conditions: [
    { code: 'C01', name: '恶性肿瘤', amountPerShareFen: 8_000_000 },
    { code: 'C02', name: '脑中风后遗症', amountPerShareFen: 4_000_000 },
  ],
  capPerShareFen: 10_000_000,
};

describe('replay of lump-sum facts', () => {
  it('replays under the plan’s own amounts and cap, per condition', () => {
    const t = replay(LUMP_SUM_RULES, LUMP_FACTS);
    expect(t).toEqual({
      claims: 3,
      benefitsFen: 18_000_000,
      cappedClaims: 1,
      bands: [],
      conditions: [
        { code: 'C01', amountPerShareFen: 10_000_000, claims: 1, benefitFen: 7_000_000 },
        { code: 'C02', amountPerShareFen: 5_000_000, claims: 1, benefitFen: 5_000_000 },
        { code: 'C03', amountPerShareFen: 3_000_000, claims: 1, benefitFen: 6_000_000 },
      ],
    });
  });
  it('under a candidate: new amounts, the new cap, a dropped condition pays nothing', () => {
    const t = replay(LUMP_CANDIDATE, LUMP_FACTS);
    expect(t.benefitsFen).toBe(10_000_000);
    expect(t.cappedClaims).toBe(1);
    expect(t.conditions).toEqual([
      { code: 'C01', amountPerShareFen: 8_000_000, claims: 1, benefitFen: 6_000_000 },
      { code: 'C02', amountPerShareFen: 4_000_000, claims: 1, benefitFen: 4_000_000 },
    ]);
  });
});

/** A: 1 new share; B: 2 renewing shares. Plan prices 50 元 / 40 元 → 13,000 fen. */
const TOTALS: PlanTotals = {
  enrolled: 2,
  sharesNew: 1,
  sharesRenewal: 2,
  contributionsFen: 13_000,
  claimsApproved: 4,
  benefitsApprovedFen: 6_605_740,
};

describe('simulationResult: repricing, scaling, the loss ratio and the alert', () => {
  it('reprices new and renewing shares apart and scales contributions, benefits and enrolments by the change', () => {
    const r = simulationResult({
      totals: TOTALS,
      actual: replay(SPEC_BENEFIT_RULES, FACTS),
      candidate: replay(FLAT80, FACTS),
      candidatePrices: { contributionPerShareFen: 6000, renewalContributionPerShareFen: 5000 },
      enrolmentChangePermille: 100,
    });
    expect(r.enrolments).toBe(2);
    expect(r.claims).toBe(4);
    // actual: 6,605,740 × 1000 / 13,000 = 508,133.8 → 508,133 ‰.
    expect(r.actual).toMatchObject({ enrolments: 2, contributionsFen: 13_000, benefitsFen: 6_605_740, lossRatioPermille: 508_133 });
    expect(r.actual.poolFen).toBe(13_000 - 6_605_740);
    // candidate: (1 × 6,000 + 2 × 5,000) × 1.1 = 17,600; 7,027,653 × 1.1 = 7,730,418.3 → 7,730,418; 2 × 1.1 = 2.2 → 2;
    // 7,730,418 × 1000 / 17,600 = 439,228.3 → 439,228 ‰ > 1000 → alert.
    expect(r.candidate).toMatchObject({
      enrolments: 2,
      contributionsFen: 17_600,
      benefitsFen: 7_730_418,
      lossRatioPermille: 439_228,
      poolFen: 17_600 - 7_730_418,
      cappedClaims: 2,
      alert: true,
    });
    expect(r.difference).toEqual({ contributionsFen: 4_600, benefitsFen: 1_124_678, lossRatioPermille: 439_228 - 508_133 });
  });

  it('renewals default to the new price; no contributions → a null ratio, alert only if anything is paid', () => {
    const none = { ...TOTALS, sharesNew: 0, sharesRenewal: 0, contributionsFen: 0, enrolled: 0 };
    const empty = replay(SPEC_BENEFIT_RULES, []);
    const quiet = simulationResult({
      totals: none,
      actual: empty,
      candidate: empty,
      candidatePrices: { contributionPerShareFen: 1 },
      enrolmentChangePermille: 0,
    });
    expect(quiet.candidate).toMatchObject({ lossRatioPermille: null, alert: false });
    expect(quiet.difference.lossRatioPermille).toBeNull();
    const paid = simulationResult({
      totals: TOTALS,
      actual: empty,
      candidate: replay(FLAT80, FACTS),
      candidatePrices: { contributionPerShareFen: 6000 },
      enrolmentChangePermille: -1000,
    });
    // −1000 ‰: nobody joins, so nothing is paid in or out.
    expect(paid.candidate).toMatchObject({ enrolments: 0, contributionsFen: 0, benefitsFen: 0, lossRatioPermille: null, alert: false });
    const r = simulationResult({
      totals: TOTALS,
      actual: empty,
      candidate: empty,
      candidatePrices: { contributionPerShareFen: 6000 },
      enrolmentChangePermille: 0,
    });
    expect(r.candidate.contributionsFen).toBe(3 * 6000);
  });

  it('a loss ratio of exactly 1000 ‰ is no alert; 1001 ‰ is', () => {
    const t = { ...TOTALS, sharesNew: 1, sharesRenewal: 0 };
    const at = (benefitsFen: number) =>
      simulationResult({
        totals: t,
        actual: replay(SPEC_BENEFIT_RULES, []),
        candidate: { claims: 1, benefitsFen, cappedClaims: 0, bands: [], conditions: [] },
        candidatePrices: { contributionPerShareFen: 100_000 },
        enrolmentChangePermille: 0,
      }).candidate;
    expect(at(100_099)).toMatchObject({ lossRatioPermille: 1000, alert: false });
    expect(at(100_100)).toMatchObject({ lossRatioPermille: 1001, alert: true });
  });
});

describe('checkActual: the built-in check', () => {
  const actual = replay(SPEC_BENEFIT_RULES, FACTS);
  const plan = { contributionPerShareFen: 5000, renewalContributionPerShareFen: 4000 };
  it('passes when the replay, the facts and the counters agree', () => {
    expect(checkActual({ totals: TOTALS, actual, factBenefitsFen: 6_605_740, factsDiffering: 0, planPrices: plan })).toEqual([]);
  });
  it('names every disagreement with both figures', () => {
    const off = { ...TOTALS, benefitsApprovedFen: 6_605_741, claimsApproved: 5, contributionsFen: 12_000 };
    expect(checkActual({ totals: off, actual, factBenefitsFen: 6_605_700, factsDiffering: 1, planPrices: plan })).toEqual([
      { field: 'benefitsApprovedFen', recorded: 6_605_741, recomputed: 6_605_740 },
      { field: 'claimsApproved', recorded: 5, recomputed: 4 },
      { field: 'factBenefits', recorded: 6_605_700, recomputed: 6_605_740 },
      { field: 'factsDiffering', recorded: 0, recomputed: 1 },
      { field: 'contributionsFen', recorded: 12_000, recomputed: 13_000 },
    ]);
  });
});

// ---- Properties ----

const rulesArb: fc.Arbitrary<BandedRules> = fc
  .record({
    edges: fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 4 }),
    rates: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 5, maxLength: 5 }),
    deductibleFen: fc.integer({ min: 0, max: 500_000 }),
    deductibleBasis: fc.constantFrom('per_stay' as const, 'per_period' as const),
    capPerShareFen: fc.integer({ min: 1, max: 10_000_000 }),
  })
  .map(({ edges, rates, deductibleFen, deductibleBasis, capPerShareFen }) => {
    const sorted = [...edges].sort((a, b) => a - b);
    return {
      deductibleFen,
      deductibleBasis,
      capPerShareFen,
      bands: [...sorted.map((uptoFen, i) => ({ uptoFen, ratePermille: rates[i]! })), { uptoFen: null, ratePermille: rates[4]! }],
    };
  });

/** Enrolments of 1..3 shares with 1..5 claims each, facts grouped and in seq order. */
const factsArb: fc.Arbitrary<ReplayFact[]> = fc
  .array(
    fc.record({
      shares: fc.integer({ min: 1, max: 3 }),
      bases: fc.array(fc.integer({ min: 0, max: 8_000_000 }), { minLength: 1, maxLength: 5 }),
    }),
    { maxLength: 8 },
  )
  .map((es) => es.flatMap((e, i) => e.bases.map((baseFen, k) => banded(`E${i}`, k + 1, e.shares, baseFen))));

/** The facts as the approvals really wrote them under `rules`: each benefit from the enrolment's state so far. */
const asApproved = (rules: BandedRules, facts: ReplayFact[]): ReplayFact[] => {
  const state = new Map<string, { used: number; deductible: number }>();
  return facts.map((f) => {
    const s = state.get(f.enrolmentId) ?? { used: 0, deductible: 0 };
    const b = computeBenefit({ rules, shares: f.shares, baseFen: f.baseFen!, usedFen: s.used, deductibleUsedFen: s.deductible });
    state.set(f.enrolmentId, { used: s.used + b.benefitFen, deductible: s.deductible + b.deductibleConsumedFen });
    return { ...f, benefitFen: b.benefitFen };
  });
};

describe('properties', () => {
  it('candidate = the plan’s rules and prices, no change ⇒ candidate figures identical to actual, difference 0', () => {
    fc.assert(
      fc.property(
        rulesArb,
        factsArb,
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (rules, facts, sharesNew, sharesRenewal) => {
          const t = replay(rules, facts);
          const prices = { contributionPerShareFen: 5000, renewalContributionPerShareFen: 4000 };
          const totals = {
            enrolled: 9,
            sharesNew,
            sharesRenewal,
            contributionsFen: sharesNew * 5000 + sharesRenewal * 4000,
            claimsApproved: t.claims,
            benefitsApprovedFen: t.benefitsFen,
          };
          const r = simulationResult({
            totals,
            actual: t,
            candidate: replay(rules, facts),
            candidatePrices: prices,
            enrolmentChangePermille: 0,
          });
          const { alert: _alert, ...candidate } = r.candidate;
          expect(candidate).toEqual(r.actual);
          expect(r.difference).toEqual({
            contributionsFen: 0,
            benefitsFen: 0,
            lossRatioPermille: r.actual.lossRatioPermille === null ? null : 0,
          });
        },
      ),
    );
  });

  it('the replay under the plan’s rules reproduces what the approvals paid, fact by fact', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, (rules, facts) => {
        const approved = asApproved(rules, facts);
        const r = new Replayer(rules);
        for (const f of approved) expect(r.push(f)).toBe(f.benefitFen);
        const t = r.result();
        expect(
          checkActual({
            totals: {
              enrolled: 0,
              sharesNew: 0,
              sharesRenewal: 0,
              contributionsFen: 0,
              claimsApproved: approved.length,
              benefitsApprovedFen: approved.reduce((s, f) => s + f.benefitFen, 0),
            },
            actual: t,
            factBenefitsFen: approved.reduce((s, f) => s + f.benefitFen, 0),
            factsDiffering: 0,
            planPrices: { contributionPerShareFen: 1 },
          }),
        ).toEqual([]);
      }),
    );
  });

  it('higher rates (same edges, deductible, cap) ⇒ total benefits never lower; the bands always sum to the total', () => {
    fc.assert(
      fc.property(
        rulesArb,
        factsArb,
        fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 5, maxLength: 5 }),
        (rules, facts, raises) => {
          const higher: BandedRules = { ...rules, bands: rules.bands.map((b, i) => ({ ...b, ratePermille: b.ratePermille + raises[i]! })) };
          const low = replay(rules, facts);
          const high = replay(higher, facts);
          expect(high.benefitsFen).toBeGreaterThanOrEqual(low.benefitsFen);
          for (const t of [low, high]) {
            expect(t.bands.reduce((s, b) => s + b.benefitFen, 0)).toBe(t.benefitsFen);
            for (const b of t.bands) expect(b.benefitFen).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });

  it('replaying disjoint sets of enrolments and merging equals replaying them all', () => {
    fc.assert(
      fc.property(rulesArb, factsArb, fc.nat(), (rules, facts, cut) => {
        const ids = [...new Set(facts.map((f) => f.enrolmentId))];
        const left = new Set(ids.slice(0, ids.length === 0 ? 0 : cut % (ids.length + 1)));
        const merged = mergeTotals(
          replay(
            rules,
            facts.filter((f) => left.has(f.enrolmentId)),
          ),
          replay(
            rules,
            facts.filter((f) => !left.has(f.enrolmentId)),
          ),
        );
        expect(merged).toEqual(replay(rules, facts));
      }),
    );
  });

  it('a lump-sum replay pays what computeLumpSum pays, claim by claim', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ shares: fc.integer({ min: 1, max: 4 }), codes: fc.subarray(['C01', 'C02', 'C03']) }), { maxLength: 6 }),
        (es) => {
          const r = new Replayer(LUMP_SUM_RULES);
          es.forEach((e, i) => {
            let used = 0;
            e.codes.forEach((code, k) => {
              const c = LUMP_SUM_RULES.conditions.find((x) => x.code === code)!;
              const expected = computeLumpSum({
                amountPerShareFen: c.amountPerShareFen,
                shares: e.shares,
                capFen: LUMP_SUM_RULES.capPerShareFen * e.shares,
                usedFen: used,
                conditionCode: code,
                conditionName: c.name,
              }).benefitFen;
              used += expected;
              expect(r.push(lump(`L${i}`, k + 1, e.shares, code))).toBe(expected);
            });
          });
        },
      ),
    );
  });
});

/**
 * The replay as it was first written, on the engine's own breakdown (computeBenefit per fact): the Replayer computes
 * the same arithmetic without building it, and must agree with this on every figure.
 */
const referenceReplay = (rules: BandedRules, facts: ReplayFact[]) => {
  let current: string | undefined;
  let used = 0;
  let deductible = 0;
  const t = {
    claims: 0,
    benefitsFen: 0,
    cappedClaims: 0,
    bands: rules.bands.map((b) => ({ uptoFen: b.uptoFen, ratePermille: b.ratePermille, eligibleFen: 0, benefitFen: 0 })),
    conditions: [],
  };
  const paid: number[] = [];
  for (const f of facts) {
    if (f.enrolmentId !== current) [current, used, deductible] = [f.enrolmentId, 0, 0];
    const b = computeBenefit({ rules, shares: f.shares, baseFen: f.baseFen!, usedFen: used, deductibleUsedFen: deductible });
    used += b.benefitFen;
    deductible += b.deductibleConsumedFen;
    if (b.benefitFen < b.bandedFen * b.shares) t.cappedClaims++;
    let cumulative = 0;
    let given = 0;
    b.bands.forEach((band, i) => {
      t.bands[i]!.eligibleFen += band.partFen;
      cumulative += band.resultPermilleFen * b.shares;
      const upTo = Math.min(b.benefitFen, Math.floor(cumulative / 1000));
      t.bands[i]!.benefitFen += upTo - given;
      given = upTo;
    });
    t.claims++;
    t.benefitsFen += b.benefitFen;
    paid.push(b.benefitFen);
  }
  return { totals: t, paid };
};

describe('the Replayer’s banded arithmetic', () => {
  it('equals the engine’s (computeBenefit per fact): every benefit, capped claims and band figures', () => {
    fc.assert(
      fc.property(rulesArb, rulesArb, factsArb, (plan, candidate, facts) => {
        const approved = asApproved(plan, facts);
        for (const rules of [plan, candidate]) {
          const ref = referenceReplay(rules, approved);
          const r = new Replayer(rules);
          // One fact object reused for every push, as the store's reader hands them over.
          const scratch: ReplayFact = { enrolmentId: '', seq: 0, shares: 0, benefitFen: 0 };
          const paid = approved.map((f) => r.push(Object.assign(scratch, f)));
          expect(paid).toEqual(ref.paid);
          expect(r.result()).toEqual(ref.totals);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('refuses rules the engine refuses when it is made, and a fact whose shares or base are not whole', () => {
    expect(() => new Replayer({ ...SPEC_BENEFIT_RULES, bands: [{ uptoFen: 100, ratePermille: 500 }] })).toThrow(RangeError);
    const r = new Replayer(SPEC_BENEFIT_RULES);
    expect(() => r.push(banded('E1', 1, 0, 100))).toThrow(RangeError);
    expect(() => r.push(banded('E2', 1, 1, 1.5))).toThrow(RangeError);
  });
});
