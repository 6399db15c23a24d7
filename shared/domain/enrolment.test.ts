import { render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffDays } from './dates';
import { ageAtCoverageStart, benefitStartDates, capFen, contributionFen, judgeSharesAndAge } from './enrolment';

const plan = {
  coverageStart: '2025-01-01',
  waitingDays: 90,
  contributionPerShareFen: 5000,
  maxShares: 3,
  minAge: 16,
  maxAge: 70,
  benefit: { capPerShareFen: 3000000 },
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const date = fc
  .record({ y: fc.integer({ min: 2000, max: 2040 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ y, m, d }) => `${y}-${pad(m, 2)}-${pad(d, 2)}`);

describe('contributionFen / capFen', () => {
  it('multiply the per-share amounts by the shares', () => {
    expect(contributionFen(plan, 1)).toBe(5000);
    expect(contributionFen(plan, 3)).toBe(15000);
    expect(capFen(plan, 1)).toBe(3000000);
    expect(capFen(plan, 2)).toBe(6000000);
  });
  it('refuse fractional, zero or negative shares', () => {
    for (const s of [0, -1, 1.5, Number.NaN]) {
      expect(() => contributionFen(plan, s)).toThrow(RangeError);
      expect(() => capFen(plan, s)).toThrow(RangeError);
    }
  });
  it('are linear in shares', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1_000_000 }), (shares, perShare) => {
        const p = { contributionPerShareFen: perShare, benefit: { capPerShareFen: perShare } };
        expect(contributionFen(p, shares)).toBe(shares * perShare);
        expect(capFen(p, shares + 1) - capFen(p, shares)).toBe(perShare);
      }),
    );
  });
});

describe('benefitStartDates', () => {
  it('newcomer enrolled before coverage: waiting period counted from enrolment', () => {
    expect(benefitStartDates(plan, '2024-11-15', false)).toEqual({
      benefitStartDate: '2025-02-13',
      accidentBenefitStartDate: '2025-01-01',
    });
  });
  it('newcomer enrolled long before coverage: coverage start wins', () => {
    expect(benefitStartDates(plan, '2024-09-01', false)).toEqual({
      benefitStartDate: '2025-01-01',
      accidentBenefitStartDate: '2025-01-01',
    });
  });
  it('newcomer enrolled mid-period: accidents from enrolment, illness 90 days later', () => {
    expect(benefitStartDates(plan, '2025-03-10', false)).toEqual({
      benefitStartDate: '2025-06-08',
      accidentBenefitStartDate: '2025-03-10',
    });
  });
  it('renewal enrolled late: no waiting period, and accidents covered from coverageStart too (not from enrolment)', () => {
    expect(benefitStartDates(plan, '2025-03-10', true)).toEqual({
      benefitStartDate: '2025-01-01',
      accidentBenefitStartDate: '2025-01-01',
    });
    expect(benefitStartDates(plan, '2024-12-10', true)).toEqual({
      benefitStartDate: '2025-01-01',
      accidentBenefitStartDate: '2025-01-01',
    });
  });
  it('orders benefit ≥ accident ≥ coverage start, with exactly the waiting period for a late newcomer', () => {
    // Enrolment dates before and after coverageStart, renewals included: a renewal enrolled after
    // coverageStart (1 March for a January plan) is the case where accident and illness starts cross.
    fc.assert(
      fc.property(date, date, fc.integer({ min: 0, max: 400 }), fc.boolean(), (coverageStart, enrolled, waitingDays, renewal) => {
        const r = benefitStartDates({ coverageStart, waitingDays }, enrolled, renewal);
        expect(diffDays(coverageStart, r.accidentBenefitStartDate)).toBeGreaterThanOrEqual(0);
        // SPEC §4.3: never later than benefitStartDate (an accident is covered wherever an illness would be).
        expect(diffDays(r.accidentBenefitStartDate, r.benefitStartDate)).toBeGreaterThanOrEqual(0);
        if (renewal) {
          expect(r.benefitStartDate).toBe(coverageStart);
          expect(r.accidentBenefitStartDate).toBe(coverageStart);
        } else {
          expect(r.accidentBenefitStartDate).toBe(diffDays(enrolled, coverageStart) >= 0 ? coverageStart : enrolled);
          const wait = diffDays(enrolled, r.benefitStartDate);
          expect(wait).toBeGreaterThanOrEqual(waitingDays);
          // The start is never later than needed: it is one of the two candidates.
          expect(wait === waitingDays || r.benefitStartDate === coverageStart).toBe(true);
        }
      }),
    );
  });
  it('generates late renewals (the case the rule once got wrong) often', () => {
    const late = fc.sample(fc.tuple(date, date), 1000).filter(([cs, enrolled]) => diffDays(cs, enrolled) > 0);
    expect(late.length).toBeGreaterThan(100);
  });
});

describe('ageAtCoverageStart / judgeSharesAndAge', () => {
  it('measures age on coverageStart', () => {
    expect(ageAtCoverageStart('2009-01-01', plan)).toBe(16);
    expect(ageAtCoverageStart('2009-01-02', plan)).toBe(15);
  });
  it('accepts the age bounds inclusively', () => {
    expect(judgeSharesAndAge(plan, { shares: 1, birthDate: '2009-01-01' })).toEqual({ ok: true }); // 16
    expect(judgeSharesAndAge(plan, { shares: 3, birthDate: '1954-01-02' })).toEqual({ ok: true }); // 70
  });
  it('rejects ages outside [minAge, maxAge] without revealing the age', () => {
    for (const birthDate of ['2009-01-02', '1954-01-01']) {
      const r = judgeSharesAndAge(plan, { shares: 1, birthDate });
      expect(r).toMatchObject({ ok: false, code: 'AGE_OUT_OF_RANGE' });
      for (const lang of ['zh', 'en'] as const) if (!r.ok) expect(render(r.message, lang)).not.toMatch(/\b(15|71)\b|1954|2009/);
    }
  });
  it('rejects shares outside 1..maxShares or not whole', () => {
    for (const shares of [0, 4, 1.5, -1, '2', null, Number.NaN]) {
      expect(judgeSharesAndAge(plan, { shares, birthDate: '1980-05-05' })).toMatchObject({ ok: false, code: 'INVALID_SHARES' });
    }
  });
});
