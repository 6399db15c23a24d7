import { render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { examplePlan } from '../../test/support/examplePlan';
import { type BandedPlan, isEnrolmentOpen, isWithinCoverage, planRuleViolations, type Plan } from './plan';

/** The SPEC §6.2 worked-example plan, for a 2025 period. */
const samplePlan = (): BandedPlan => examplePlan(2025, { enrolmentOpen: '2024-11-01', claimDeadlineDays: 180 }) as BandedPlan;

const paths = (p: Plan) => planRuleViolations(p).map((v) => v.path);
const withPlan = (patch: (p: BandedPlan) => void): Plan => {
  const p = samplePlan();
  patch(p);
  return p;
};

describe('planRuleViolations', () => {
  it('finds nothing wrong with a valid plan', () => {
    expect(planRuleViolations(samplePlan())).toEqual([]);
  });
  it('accepts a single open band, equal dates, zero deductible and zero waiting days', () => {
    const p = withPlan((p) => {
      p.benefit.bands = [{ uptoFen: null, ratePermille: 1000 }];
      p.coverageStart = p.coverageEnd = p.enrolmentOpen = p.enrolmentClose = '2025-03-01';
      p.benefit.deductibleFen = 0;
      p.waitingDays = 0;
      p.minAge = p.maxAge = 0;
    });
    expect(planRuleViolations(p)).toEqual([]);
  });

  const cases: Array<[string, (p: BandedPlan) => void, string[]]> = [
    ['an impossible date', (p) => (p.coverageStart = '2025-02-30'), ['coverageStart']],
    ['a date before 2000', (p) => (p.enrolmentOpen = '0001-01-01'), ['enrolmentOpen']],
    ['a date after 2099', (p) => Object.assign(p, { coverageEnd: '9999-12-31', enrolmentClose: '2025-12-31' }), ['coverageEnd']],
    ['coverage of more than 3 years', (p) => (p.coverageEnd = '2028-01-01'), ['coverageEnd']],
    ['a malformed date', (p) => (p.enrolmentOpen = '2025/01/01'), ['enrolmentOpen']],
    ['coverage ending before it starts', (p) => (p.coverageEnd = '2024-12-31'), ['coverageEnd', 'enrolmentClose']],
    ['enrolment closing before it opens', (p) => (p.enrolmentClose = '2024-10-31'), ['enrolmentClose']],
    ['enrolment closing after coverage ends', (p) => (p.enrolmentClose = '2026-01-01'), ['enrolmentClose']],
    ['no bands', (p) => (p.benefit.bands = []), ['benefit.bands']],
    ['last band not open-ended', (p) => (p.benefit.bands[2]!.uptoFen = 5000000), ['benefit.bands.2.uptoFen']],
    ['open band in the middle', (p) => (p.benefit.bands[1]!.uptoFen = null), ['benefit.bands.1.uptoFen']],
    ['bands not ascending', (p) => (p.benefit.bands[1]!.uptoFen = 1000000), ['benefit.bands.1.uptoFen']],
    ['band edge zero', (p) => (p.benefit.bands[0]!.uptoFen = 0), ['benefit.bands.0.uptoFen']],
    ['fractional band edge', (p) => (p.benefit.bands[0]!.uptoFen = 1000.5), ['benefit.bands.0.uptoFen']],
    ['rate above 1000', (p) => (p.benefit.bands[0]!.ratePermille = 1001), ['benefit.bands.0.ratePermille']],
    ['negative rate', (p) => (p.benefit.bands[2]!.ratePermille = -1), ['benefit.bands.2.ratePermille']],
    ['fractional rate', (p) => (p.benefit.bands[1]!.ratePermille = 550.5), ['benefit.bands.1.ratePermille']],
    ['zero contribution', (p) => (p.contributionPerShareFen = 0), ['contributionPerShareFen']],
    ['fractional contribution', (p) => (p.contributionPerShareFen = 50.5), ['contributionPerShareFen']],
    ['zero cap', (p) => (p.benefit.capPerShareFen = 0), ['benefit.capPerShareFen']],
    ['zero max shares', (p) => (p.maxShares = 0), ['maxShares']],
    ['negative minAge', (p) => (p.minAge = -1), ['minAge']],
    ['maxAge above 150', (p) => (p.maxAge = 151), ['maxAge']],
    ['minAge above maxAge', (p) => (p.minAge = 71), ['maxAge']],
    ['negative waiting days', (p) => (p.waitingDays = -1), ['waitingDays']],
    ['zero claim deadline', (p) => (p.claimDeadlineDays = 0), ['claimDeadlineDays']],
    ['negative deductible', (p) => (p.benefit.deductibleFen = -1), ['benefit.deductibleFen']],
    [
      'unknown deductible basis',
      (p) => ((p.benefit as { deductibleBasis: string }).deductibleBasis = 'per_year'),
      ['benefit.deductibleBasis'],
    ],
    ['a NaN amount', (p) => (p.benefit.capPerShareFen = Number.NaN), ['benefit.capPerShareFen']],
  ];
  it.each(cases)('reports %s', (_label, patch, expected) => {
    expect(paths(withPlan(patch))).toEqual(expected);
  });

  it('reports every violation at once, each with a message', () => {
    const p = withPlan((p) => {
      p.coverageEnd = '2024-01-01';
      p.maxShares = 0;
      p.benefit.bands = [
        { uptoFen: 500, ratePermille: 500 },
        { uptoFen: 400, ratePermille: 2000 },
        { uptoFen: 900, ratePermille: 700 },
      ];
      p.claimDeadlineDays = 0;
    });
    const v = planRuleViolations(p);
    expect(v.map((x) => x.path).sort()).toEqual(
      [
        'coverageEnd',
        'enrolmentClose',
        'maxShares',
        'claimDeadlineDays',
        'benefit.bands.1.uptoFen',
        'benefit.bands.1.ratePermille',
        'benefit.bands.2.uptoFen',
      ].sort(),
    );
    for (const x of v) expect(render(x.message, 'zh').length).toBeGreaterThan(0);
  });

  it('accepts any strictly ascending bands ending open, and rejects them once two edges are swapped', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 7, maxLength: 7 }),
        (edges, rates) => {
          const sorted = [...edges].sort((a, b) => a - b);
          const bands = [...sorted.map((uptoFen, i) => ({ uptoFen, ratePermille: rates[i]! })), { uptoFen: null, ratePermille: rates[6]! }];
          expect(planRuleViolations(withPlan((p) => (p.benefit.bands = bands)))).toEqual([]);
          const swapped = bands.map((b) => ({ ...b }));
          [swapped[0]!.uptoFen, swapped[1]!.uptoFen] = [swapped[1]!.uptoFen, swapped[0]!.uptoFen];
          expect(paths(withPlan((p) => (p.benefit.bands = swapped)))).toContain('benefit.bands.1.uptoFen');
        },
      ),
    );
  });
});

describe('plan years and coverage length (SPEC §4.2: 2000–2099, at most 3 years)', () => {
  it('coverage may run to the day before the same date three years on, not a day more', () => {
    const cover = (start: string, end: string) =>
      paths(withPlan((p) => Object.assign(p, { coverageStart: start, enrolmentOpen: start, coverageEnd: end, enrolmentClose: end })));
    expect(cover('2025-01-01', '2027-12-31')).toEqual([]);
    expect(cover('2025-01-01', '2028-01-01')).toEqual(['coverageEnd']);
    expect(cover('2024-02-29', '2027-02-28')).toEqual([]);
    expect(cover('2024-02-29', '2027-03-01')).toEqual(['coverageEnd']);
    expect(cover('2000-01-01', '2000-01-01')).toEqual([]);
    expect(cover('2099-12-31', '2099-12-31')).toEqual([]);
    expect(cover('1999-12-31', '2000-01-01')).toEqual(['coverageStart', 'enrolmentOpen']);
  });
});

describe('isEnrolmentOpen / isWithinCoverage', () => {
  const p = samplePlan();
  it('is open on both edge days and closed outside', () => {
    expect(isEnrolmentOpen(p, '2024-10-31')).toBe(false);
    expect(isEnrolmentOpen(p, '2024-11-01')).toBe(true);
    expect(isEnrolmentOpen(p, '2025-06-30')).toBe(true);
    expect(isEnrolmentOpen(p, '2025-07-01')).toBe(false);
  });
  it('covers both edge days and nothing outside', () => {
    expect(isWithinCoverage(p, '2024-12-31')).toBe(false);
    expect(isWithinCoverage(p, '2025-01-01')).toBe(true);
    expect(isWithinCoverage(p, '2025-12-31')).toBe(true);
    expect(isWithinCoverage(p, '2026-01-01')).toBe(false);
  });
});

describe('planRuleViolations for a lump_sum plan', () => {
  const lumpSum = (conditions: unknown, capPerShareFen = 12_000_000): Plan =>
    examplePlan(2025, { benefit: { kind: 'lump_sum', conditions, capPerShareFen } as Plan['benefit'] });
  const C01 = { code: 'C01', name: '恶性肿瘤', amountPerShareFen: 10_000_000 };
  it('accepts 1 to 200 conditions with unique codes', () => {
    expect(planRuleViolations(lumpSum([C01]))).toEqual([]);
    const many = Array.from({ length: 200 }, (_, i) => ({ ...C01, code: `C${i}` }));
    expect(planRuleViolations(lumpSum(many))).toEqual([]);
  });
  it('names no conditions, too many, a duplicate code, a zero or fractional amount and a zero cap', () => {
    expect(planRuleViolations(lumpSum([])).map((v) => v.path)).toEqual(['benefit.conditions']);
    const tooMany = Array.from({ length: 201 }, (_, i) => ({ ...C01, code: `C${i}` }));
    expect(planRuleViolations(lumpSum(tooMany)).map((v) => v.path)).toEqual(['benefit.conditions']);
    expect(planRuleViolations(lumpSum([C01, { ...C01 }])).map((v) => v.path)).toEqual(['benefit.conditions.1.code']);
    expect(planRuleViolations(lumpSum([{ ...C01, amountPerShareFen: 0 }])).map((v) => v.path)).toEqual([
      'benefit.conditions.0.amountPerShareFen',
    ]);
    expect(planRuleViolations(lumpSum([{ ...C01, amountPerShareFen: 1.5 }])).map((v) => v.path)).toEqual([
      'benefit.conditions.0.amountPerShareFen',
    ]);
    expect(planRuleViolations(lumpSum([C01], 0)).map((v) => v.path)).toEqual(['benefit.capPerShareFen']);
  });
});
