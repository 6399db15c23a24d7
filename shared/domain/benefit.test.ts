import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBenefit, type BenefitInput } from './benefit';
import { SPEC_BENEFIT_RULES } from '../../test/support/examplePlan';
import type { BandedRules } from './plan';

/** The SPEC §6.2 worked example. */
const specRules: BandedRules = SPEC_BENEFIT_RULES;
const run = (patch: Partial<BenefitInput> = {}) =>
  computeBenefit({ rules: specRules, shares: 1, baseFen: 0, usedFen: 0, deductibleUsedFen: 0, ...patch });

/** Valid rules: strictly ascending positive edges, an open last band, rates 0..1000. */
const rulesArb: fc.Arbitrary<BandedRules> = fc
  .record({
    edges: fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { maxLength: 5 }),
    rates: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 6, maxLength: 6 }),
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
      bands: [...sorted.map((uptoFen, i) => ({ uptoFen, ratePermille: rates[i]! })), { uptoFen: null, ratePermille: rates[5]! }],
    };
  });
const fen = fc.integer({ min: 0, max: 20_000_000 });
const shares = fc.integer({ min: 1, max: 10 });

/** Independent oracle in BigInt: the SPEC formula written out with exact rationals. */
const oracle = (i: BenefitInput): bigint => {
  const big = BigInt;
  const r = i.rules;
  const deduct = r.deductibleBasis === 'per_stay' ? big(r.deductibleFen) : big(Math.max(0, r.deductibleFen - i.deductibleUsedFen));
  const eligible = big(i.baseFen) > deduct ? big(i.baseFen) - deduct : 0n;
  let numerator = 0n; // Σ part × rate, in 1/1000 fen
  let lower = 0n;
  for (const b of r.bands) {
    const upper = b.uptoFen === null ? eligible : big(b.uptoFen) < eligible ? big(b.uptoFen) : eligible;
    if (upper > lower) numerator += (upper - lower) * big(b.ratePermille);
    if (b.uptoFen !== null) lower = big(b.uptoFen);
  }
  const banded = numerator / 1000n; // BigInt division truncates = floor for non-negatives
  const remaining = big(r.capPerShareFen) * big(i.shares) - big(i.usedFen);
  const cap = remaining > 0n ? remaining : 0n;
  const scaled = banded * big(i.shares);
  return scaled < cap ? scaled : cap;
};

describe('computeBenefit: SPEC §6.2 worked example', () => {
  it('first claim, base 1234567 → 580740', () => {
    expect(run({ baseFen: 1234567 })).toEqual({
      baseFen: 1234567,
      deductibleBasis: 'per_period',
      deductibleFen: 100000,
      deductibleAppliedFen: 100000,
      eligibleFen: 1134567,
      bands: [
        { fromFen: 0, uptoFen: 1000000, partFen: 1000000, ratePermille: 500, resultPermilleFen: 500000000 },
        { fromFen: 1000000, uptoFen: 3000000, partFen: 134567, ratePermille: 600, resultPermilleFen: 80740200 },
        { fromFen: 3000000, uptoFen: null, partFen: 0, ratePermille: 700, resultPermilleFen: 0 },
      ],
      bandedFen: 580740,
      shares: 1,
      capFen: 3000000,
      capRemainingBeforeFen: 3000000,
      benefitFen: 580740,
      deductibleConsumedFen: 100000,
    });
  });
  it('second claim, base 50000 after the deductible was met → 25000', () => {
    const r = run({ baseFen: 50000, usedFen: 580740, deductibleUsedFen: 100000 });
    expect(r).toMatchObject({ deductibleAppliedFen: 0, eligibleFen: 50000, bandedFen: 25000, benefitFen: 25000, deductibleConsumedFen: 0 });
    expect(r.capRemainingBeforeFen).toBe(3000000 - 580740);
  });
});

describe('computeBenefit: rules', () => {
  it('band edges: exactly at upto the whole band is used and the next gets nothing', () => {
    const at = (eligible: number) => run({ baseFen: eligible + 100000 });
    expect(at(1000000).bands.map((b) => b.partFen)).toEqual([1000000, 0, 0]);
    expect(at(1000000).bandedFen).toBe(500000);
    expect(at(1000001).bands.map((b) => b.partFen)).toEqual([1000000, 1, 0]);
    expect(at(1000001).bandedFen).toBe(500000); // 500000.6 floors
    expect(at(3000000).bandedFen).toBe(500000 + 1200000);
    expect(at(3000010).bands.map((b) => b.partFen)).toEqual([1000000, 2000000, 10]);
    expect(at(3000010).bandedFen).toBe(1700007);
  });
  it('a base at or below the deductible pays nothing and consumes only the base', () => {
    expect(run({ baseFen: 0 })).toMatchObject({ eligibleFen: 0, benefitFen: 0, deductibleConsumedFen: 0 });
    expect(run({ baseFen: 60000 })).toMatchObject({ eligibleFen: 0, benefitFen: 0, deductibleConsumedFen: 60000 });
    expect(run({ baseFen: 100000 })).toMatchObject({ eligibleFen: 0, benefitFen: 0, deductibleConsumedFen: 100000 });
  });
  it('per_period deducts only what is left of the deductible', () => {
    expect(run({ baseFen: 50000, deductibleUsedFen: 60000 })).toMatchObject({
      deductibleAppliedFen: 40000,
      eligibleFen: 10000,
      benefitFen: 5000,
      deductibleConsumedFen: 40000,
    });
  });
  it('per_stay deducts the full deductible on every claim and never consumes it', () => {
    const perStay = { ...specRules, deductibleBasis: 'per_stay' as const };
    const r = computeBenefit({ rules: perStay, shares: 1, baseFen: 50000 + 100000, usedFen: 0, deductibleUsedFen: 100000 });
    expect(r).toMatchObject({ deductibleAppliedFen: 100000, eligibleFen: 50000, benefitFen: 25000, deductibleConsumedFen: 0 });
  });
  it('shares multiply the banded amount and the cap', () => {
    expect(run({ baseFen: 1234567, shares: 3 })).toMatchObject({ bandedFen: 580740, benefitFen: 1742220, capFen: 9000000 });
  });
  it('the cap clamps, and an exhausted or overdrawn cap pays 0', () => {
    expect(run({ baseFen: 1234567, usedFen: 2500000 })).toMatchObject({ capRemainingBeforeFen: 500000, benefitFen: 500000 });
    expect(run({ baseFen: 1234567, usedFen: 3000000 })).toMatchObject({ capRemainingBeforeFen: 0, benefitFen: 0 });
    expect(run({ baseFen: 1234567, usedFen: 3500000 })).toMatchObject({ capRemainingBeforeFen: 0, benefitFen: 0 });
  });
  it('a zero rate band pays nothing for its part', () => {
    const rules = {
      ...specRules,
      bands: [
        { uptoFen: 1000, ratePermille: 0 },
        { uptoFen: null, ratePermille: 1000 },
      ],
    };
    const r = computeBenefit({ rules, shares: 1, baseFen: 101500, usedFen: 0, deductibleUsedFen: 0 });
    expect(r.bandedFen).toBe(500);
  });
  it('throws a RangeError on non-integer, negative or unsafe input', () => {
    for (const patch of [
      { baseFen: 1.5 },
      { baseFen: -1 },
      { usedFen: Number.NaN },
      { deductibleUsedFen: -5 },
      { shares: 0 },
      { shares: 1.5 },
      { baseFen: Number.MAX_SAFE_INTEGER + 1 },
    ]) {
      expect(() => run(patch)).toThrow(RangeError);
    }
    const bad = (bands: BandedRules['bands']) => () =>
      computeBenefit({ rules: { ...specRules, bands }, shares: 1, baseFen: 1, usedFen: 0, deductibleUsedFen: 0 });
    expect(bad([])).toThrow(RangeError);
    expect(bad([{ uptoFen: 100, ratePermille: 500 }])).toThrow(RangeError);
    expect(
      bad([
        { uptoFen: 100, ratePermille: 500 },
        { uptoFen: 100, ratePermille: 500 },
        { uptoFen: null, ratePermille: 1 },
      ]),
    ).toThrow(RangeError);
    expect(bad([{ uptoFen: null, ratePermille: 1001 }])).toThrow(RangeError);
  });
  it('throws rather than rounds when a product leaves the exact range', () => {
    expect(() => run({ baseFen: Number.MAX_SAFE_INTEGER })).toThrow(RangeError);
  });
});

describe('computeBenefit: properties', () => {
  const input = fc.record({ rules: rulesArb, shares, baseFen: fen, usedFen: fen, deductibleUsedFen: fc.integer({ min: 0, max: 600_000 }) });

  it('equals floor of the exact rational, computed independently in BigInt', () => {
    fc.assert(
      fc.property(input, (i) => {
        expect(BigInt(computeBenefit(i).benefitFen)).toBe(oracle(i));
      }),
      { numRuns: 500 },
    );
  });
  it('is never negative and never above the remaining cap', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = computeBenefit(i);
        expect(r.benefitFen).toBeGreaterThanOrEqual(0);
        expect(r.benefitFen).toBeLessThanOrEqual(Math.max(0, i.rules.capPerShareFen * i.shares - i.usedFen));
        expect(r.benefitFen).toBeLessThanOrEqual(r.eligibleFen * i.shares); // rates are at most 100 %
      }),
    );
  });
  it('band parts partition the eligible amount', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = computeBenefit(i);
        expect(r.bands.reduce((s, b) => s + b.partFen, 0)).toBe(r.eligibleFen);
        expect(r.bands.every((b) => b.resultPermilleFen === b.partFen * b.ratePermille)).toBe(true);
      }),
    );
  });
  it('is monotone non-decreasing in baseFen', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 5_000_000 }), (i, more) => {
        const lower = computeBenefit(i).benefitFen;
        const higher = computeBenefit({ ...i, baseFen: i.baseFen + more }).benefitFen;
        expect(higher).toBeGreaterThanOrEqual(lower);
      }),
    );
  });
  it('at every band boundary, the banded amount is the hand sum of the full bands below it', () => {
    fc.assert(
      fc.property(rulesArb, (rules) => {
        const edges = rules.bands.flatMap((b) => (b.uptoFen === null ? [] : [b.uptoFen]));
        let full = 0; // Σ width × rate of the bands wholly below the boundary, in 1/1000 fen
        let previous = 0;
        edges.forEach((edge, k) => {
          full += (edge - previous) * rules.bands[k]!.ratePermille;
          previous = edge;
          const perStay = { ...rules, deductibleBasis: 'per_stay' as const };
          const r = computeBenefit({ rules: perStay, shares: 1, baseFen: edge + rules.deductibleFen, usedFen: 0, deductibleUsedFen: 0 });
          expect(r.eligibleFen).toBe(edge);
          expect(r.bandedFen).toBe(Math.floor(full / 1000));
          expect(r.bands.slice(k + 1).every((b) => b.partFen === 0)).toBe(true);
        });
      }),
    );
  });
  it('over a period of claims, the deductible is consumed at most once and the cap never overdrawn', () => {
    fc.assert(
      fc.property(rulesArb, shares, fc.array(fen, { minLength: 1, maxLength: 12 }), (rules, n, bases) => {
        let usedFen = 0;
        let deductibleUsedFen = 0;
        let deductedTotal = 0;
        for (const baseFen of bases) {
          const r = computeBenefit({ rules, shares: n, baseFen, usedFen, deductibleUsedFen });
          // What approval does (SPEC §6.2).
          usedFen += r.benefitFen;
          deductibleUsedFen += r.deductibleConsumedFen;
          deductedTotal += Math.min(r.deductibleAppliedFen, baseFen);
        }
        expect(usedFen).toBeLessThanOrEqual(rules.capPerShareFen * n);
        if (rules.deductibleBasis === 'per_period') {
          expect(deductibleUsedFen).toBeLessThanOrEqual(rules.deductibleFen);
          expect(deductedTotal).toBe(deductibleUsedFen);
          expect(deductibleUsedFen).toBe(
            Math.min(
              rules.deductibleFen,
              bases.reduce((s, b) => s + b, 0),
            ),
          );
        } else {
          expect(deductibleUsedFen).toBe(0);
        }
      }),
    );
  });
});
