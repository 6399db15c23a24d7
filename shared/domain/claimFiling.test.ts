import { msg, render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BandedFiling,
  type EnrolmentFacts,
  type FilingCode,
  findDuplicate,
  judgeBandedFiling,
  judgeLumpSumFiling,
  type LumpSumFiling,
  type OpenClaimFact,
  type Stay,
  staysOverlap,
} from './claimFiling';
import { addDays } from './dates';
import { benefitStartDates } from './enrolment';

const plan = { coverageStart: '2025-01-01', coverageEnd: '2025-12-31', claimDeadlineDays: 90 };
const enrolment: EnrolmentFacts = { benefitStartDate: '2025-04-01', accidentBenefitStartDate: '2025-01-01' };
const stay = (over: Partial<BandedFiling> = {}): BandedFiling => ({
  hospital: '北京协和医院',
  admissionDate: '2025-05-01',
  dischargeDate: '2025-05-10',
  diagnosis: '肺炎',
  accident: false,
  totalExpenseFen: 1_500_000,
  insuranceReimbursedFen: 200_000,
  selfPaidInScopeFen: 1_234_567,
  ...over,
});
const banded = (over: Partial<BandedFiling> = {}, today = '2025-06-01') => judgeBandedFiling(plan, enrolment, stay(over), today);
const code = (r: { code: FilingCode } | null) => r?.code ?? null;

const lumpPlan = {
  ...plan,
  conditions: [
    { code: 'C01', name: '恶性肿瘤', amountPerShareFen: 1_000_000 },
    { code: 'C02', name: '急性心肌梗塞', amountPerShareFen: 800_000 },
  ],
};
const diagnosis = (over: Partial<LumpSumFiling> = {}): LumpSumFiling => ({
  hospital: '北京协和医院',
  diagnosisDate: '2025-05-01',
  conditionCode: 'C01',
  accident: false,
  ...over,
});
const lump = (over: Partial<LumpSumFiling> = {}, today = '2025-06-01') => judgeLumpSumFiling(lumpPlan, enrolment, diagnosis(over), today);

describe('judgeBandedFiling: each rule', () => {
  it('accepts a good filing', () => {
    expect(banded()).toBeNull();
  });
  it('DATES_INVALID: admission after discharge, or discharge after today', () => {
    expect(banded({ admissionDate: '2025-05-11' })).toMatchObject({ code: 'DATES_INVALID', path: 'admissionDate' });
    expect(banded({ dischargeDate: '2025-06-02' })).toMatchObject({ code: 'DATES_INVALID', path: 'dischargeDate' });
    expect(banded({ admissionDate: '2025-05-10' })).toBeNull(); // a day case
    expect(banded({}, '2025-05-10')).toBeNull(); // discharged today
  });
  it('DATES_INVALID for a date that does not exist, rather than a throw', () => {
    expect(banded({ admissionDate: '2025-02-29' })).toMatchObject({ code: 'DATES_INVALID', path: 'admissionDate' });
    expect(banded({ dischargeDate: '2025/05/10' })).toMatchObject({ code: 'DATES_INVALID', path: 'dischargeDate' });
  });
  it('AMOUNTS_INCONSISTENT when reimbursed + self-paid exceeds the total (equal is fine)', () => {
    expect(banded({ totalExpenseFen: 1_434_566 })).toMatchObject({ code: 'AMOUNTS_INCONSISTENT', path: 'selfPaidInScopeFen' });
    expect(banded({ totalExpenseFen: 1_434_567 })).toBeNull();
  });
  it('OUTSIDE_COVERAGE: admission outside [coverageStart, coverageEnd], both ends inclusive', () => {
    const today = '2026-01-10';
    expect(banded({ admissionDate: '2026-01-01', dischargeDate: '2026-01-05' }, today)).toMatchObject({
      code: 'OUTSIDE_COVERAGE',
      path: 'admissionDate',
    });
    expect(banded({ admissionDate: '2025-12-31', dischargeDate: '2026-01-05' }, today)).toBeNull(); // a stay may run past the end
    expect(code(banded({ admissionDate: '2024-12-31', dischargeDate: '2025-01-05', accident: true }))).toBe('OUTSIDE_COVERAGE');
    expect(banded({ admissionDate: '2025-01-01', dischargeDate: '2025-01-05', accident: true }, '2025-02-01')).toBeNull();
  });
  it('WAITING_PERIOD: illness before benefitStartDate; accidents only before accidentBenefitStartDate', () => {
    expect(banded({ admissionDate: '2025-03-31' })).toMatchObject({ code: 'WAITING_PERIOD', path: 'admissionDate' });
    expect(banded({ admissionDate: '2025-04-01' })).toBeNull();
    expect(banded({ admissionDate: '2025-03-31', accident: true })).toBeNull();
    const late = { ...enrolment, accidentBenefitStartDate: '2025-03-01' };
    const r = judgeBandedFiling(
      plan,
      late,
      stay({ admissionDate: '2025-02-28', dischargeDate: '2025-03-05', accident: true }),
      '2025-04-01',
    );
    expect(r).toMatchObject({ code: 'WAITING_PERIOD', path: 'admissionDate' });
  });
  it('CLAIM_DEADLINE_PASSED: today > discharge + claimDeadlineDays', () => {
    const deadline = addDays('2025-05-10', 90);
    expect(banded({}, deadline)).toBeNull();
    expect(banded({}, addDays(deadline, 1))).toMatchObject({ code: 'CLAIM_DEADLINE_PASSED', path: 'dischargeDate' });
  });
  it('messages carry the plan bounds and the field, in Chinese by default and in English', () => {
    const en = (p: ReturnType<typeof banded>) => render(p!.message, 'en');
    const zh = (p: ReturnType<typeof banded>) => render(p!.message, 'zh');
    expect(en(banded({ admissionDate: '2025-03-31' }))).toBe('admissionDate is before the benefit start (waiting period) 2025-04-01.');
    expect(zh(banded({ admissionDate: '2025-03-31' }))).toBe('入院日期早于保障开始日 2025-04-01（还在观察期内）。');
    expect(en(banded({ admissionDate: '2024-12-30', dischargeDate: '2025-01-02' }))).toBe(
      "admissionDate is outside the plan's coverage 2025-01-01 to 2025-12-31.",
    );
    expect(en(banded({}, '2025-12-01'))).toBe('Claims must be filed within 90 days of dischargeDate 2025-05-10.');
    expect(zh(banded({}, '2025-12-01'))).toBe('申请须在出院日期（2025-05-10）后 90 天内提出，已经超过期限。');
  });
});

describe('judgeBandedFiling: precedence', () => {
  it('DATES_INVALID beats AMOUNTS_INCONSISTENT and everything after', () => {
    expect(code(banded({ admissionDate: '2025-05-11', totalExpenseFen: 0 }))).toBe('DATES_INVALID');
  });
  it('AMOUNTS_INCONSISTENT beats coverage, waiting and deadline', () => {
    expect(code(banded({ admissionDate: '2024-12-01', dischargeDate: '2024-12-05', totalExpenseFen: 0 }, '2026-01-01'))).toBe(
      'AMOUNTS_INCONSISTENT',
    );
  });
  it('OUTSIDE_COVERAGE beats WAITING_PERIOD (SPEC) and the deadline', () => {
    // Before coverage is also before both benefit starts, and far past the deadline.
    expect(code(banded({ admissionDate: '2024-11-01', dischargeDate: '2024-11-05' }, '2025-06-01'))).toBe('OUTSIDE_COVERAGE');
  });
  it('WAITING_PERIOD beats CLAIM_DEADLINE_PASSED', () => {
    expect(code(banded({ admissionDate: '2025-02-01', dischargeDate: '2025-02-05' }, '2025-12-01'))).toBe('WAITING_PERIOD');
  });
});

/** Dates as day offsets from 2025-01-01, so generated stays straddle the coverage edges. */
const BASE = '2025-01-01';
const day = (n: number) => addDays(BASE, n);
const offset = fc.integer({ min: -60, max: 460 });

describe('judgeBandedFiling: properties', () => {
  const input = fc.record({
    adm: offset,
    len: fc.integer({ min: -3, max: 40 }),
    todayAfter: fc.integer({ min: -5, max: 150 }),
    accident: fc.boolean(),
    // The enrolment, as enrolment.ts makes its start dates: before or after coverageStart, newcomer or renewal
    // (a renewal enrolled late is covered from coverageStart for illness and accidents alike).
    enrolled: fc.integer({ min: -60, max: 200 }),
    renewal: fc.boolean(),
    waitingDays: fc.integer({ min: 0, max: 120 }),
    total: fc.integer({ min: 0, max: 2_000_000 }),
    reimbursed: fc.integer({ min: 0, max: 1_000_000 }),
    selfPaid: fc.integer({ min: 0, max: 1_500_000 }),
  });

  it('returns the first broken rule in precedence order, and null only when none is broken', () => {
    fc.assert(
      fc.property(input, (i) => {
        const admission = i.adm;
        const discharge = i.adm + i.len;
        const today = discharge + i.todayAfter;
        // SPEC §4.3 restated on day offsets (coverage starts at 0).
        const benefitStart = i.renewal ? 0 : Math.max(0, i.enrolled + i.waitingDays);
        const accidentStart = i.renewal ? 0 : Math.max(0, i.enrolled);
        const start = i.accident ? accidentStart : benefitStart;
        // The rules restated on integer day offsets, independent of date strings.
        const broken: [FilingCode, boolean][] = [
          ['DATES_INVALID', admission > discharge || discharge > today],
          ['AMOUNTS_INCONSISTENT', i.reimbursed + i.selfPaid > i.total],
          ['OUTSIDE_COVERAGE', admission < 0 || admission > 364],
          ['WAITING_PERIOD', admission < start],
          ['CLAIM_DEADLINE_PASSED', today - discharge > 90],
        ];
        const expected = broken.find(([, b]) => b)?.[0] ?? null;
        const facts = benefitStartDates({ coverageStart: plan.coverageStart, waitingDays: i.waitingDays }, day(i.enrolled), i.renewal);
        const f = stay({
          admissionDate: day(admission),
          dischargeDate: day(discharge),
          accident: i.accident,
          totalExpenseFen: i.total,
          insuranceReimbursedFen: i.reimbursed,
          selfPaidInScopeFen: i.selfPaid,
        });
        expect(code(judgeBandedFiling(plan, facts, f, day(today)))).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
  it('an accident is never refused where the same illness stay is accepted', () => {
    fc.assert(
      fc.property(
        offset,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: -60, max: 200 }),
        fc.boolean(),
        (adm, len, enrolled, renewal) => {
          // Any enrolment the rules make, late renewals included.
          const facts = benefitStartDates({ coverageStart: plan.coverageStart, waitingDays: 90 }, day(enrolled), renewal);
          const f = stay({ admissionDate: day(adm), dischargeDate: day(adm + len) });
          const today = day(adm + len + 1);
          if (judgeBandedFiling(plan, facts, f, today) === null) {
            expect(judgeBandedFiling(plan, facts, { ...f, accident: true }, today)).toBeNull();
          }
        },
      ),
    );
  });
});

describe('judgeLumpSumFiling', () => {
  it('accepts a good filing', () => {
    expect(lump()).toBeNull();
  });
  it('DATES_INVALID: diagnosis after today', () => {
    expect(lump({ diagnosisDate: '2025-06-02' })).toMatchObject({ code: 'DATES_INVALID', path: 'diagnosisDate' });
    expect(lump({ diagnosisDate: '2025-06-01' })).toBeNull();
    expect(lump({ diagnosisDate: '2025-13-01' })).toMatchObject({ code: 'DATES_INVALID', path: 'diagnosisDate' });
  });
  it('CONDITION_NOT_COVERED: the code is not in the plan', () => {
    expect(lump({ conditionCode: 'C99' })).toMatchObject({
      code: 'CONDITION_NOT_COVERED',
      path: 'conditionCode',
      message: msg('CONDITION_NOT_COVERED', { code: 'C99' }),
    });
    expect(lump({ conditionCode: 'c01' })).toMatchObject({ code: 'CONDITION_NOT_COVERED' }); // codes are exact
  });
  it('OUTSIDE_COVERAGE, WAITING_PERIOD and CLAIM_DEADLINE_PASSED, all on diagnosisDate', () => {
    expect(lump({ diagnosisDate: '2024-12-31' })).toMatchObject({ code: 'OUTSIDE_COVERAGE', path: 'diagnosisDate' });
    expect(lump({ diagnosisDate: '2025-03-31' })).toMatchObject({ code: 'WAITING_PERIOD', path: 'diagnosisDate' });
    expect(lump({ diagnosisDate: '2025-03-31', accident: true })).toBeNull();
    expect(lump({}, addDays('2025-05-01', 90))).toBeNull();
    expect(lump({}, addDays('2025-05-01', 91))).toMatchObject({ code: 'CLAIM_DEADLINE_PASSED', path: 'diagnosisDate' });
  });
  it('precedence: DATES_INVALID, CONDITION_NOT_COVERED, OUTSIDE_COVERAGE, WAITING_PERIOD, CLAIM_DEADLINE_PASSED', () => {
    expect(code(lump({ diagnosisDate: '2025-07-01', conditionCode: 'C99' }))).toBe('DATES_INVALID');
    expect(code(lump({ diagnosisDate: '2024-06-01', conditionCode: 'C99' }))).toBe('CONDITION_NOT_COVERED');
    expect(code(lump({ diagnosisDate: '2024-06-01' }))).toBe('OUTSIDE_COVERAGE');
    expect(code(lump({ diagnosisDate: '2025-02-01' }, '2025-12-01'))).toBe('WAITING_PERIOD');
  });
  it('property: returns the first broken rule in order', () => {
    fc.assert(
      fc.property(
        offset,
        fc.integer({ min: -5, max: 150 }),
        fc.constantFrom('C01', 'C02', 'C03'),
        fc.boolean(),
        (diag, after, c, accident) => {
          const today = diag + after;
          const broken: [FilingCode, boolean][] = [
            ['DATES_INVALID', diag > today],
            ['CONDITION_NOT_COVERED', c === 'C03'],
            ['OUTSIDE_COVERAGE', diag < 0 || diag > 364],
            ['WAITING_PERIOD', diag < (accident ? 0 : 90)],
            ['CLAIM_DEADLINE_PASSED', today - diag > 90],
          ];
          const expected = broken.find(([, b]) => b)?.[0] ?? null;
          const r = judgeLumpSumFiling(
            lumpPlan,
            enrolment,
            diagnosis({ diagnosisDate: day(diag), conditionCode: c, accident }),
            day(today),
          );
          expect(code(r)).toBe(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('staysOverlap', () => {
  const s = (a: string, d: string): Stay => ({ admissionDate: a, dischargeDate: d });
  it('shared nights overlap; touching (a same-day transfer) does not', () => {
    expect(staysOverlap(s('2025-05-01', '2025-05-10'), s('2025-05-09', '2025-05-12'))).toBe(true);
    expect(staysOverlap(s('2025-05-01', '2025-05-10'), s('2025-05-10', '2025-05-12'))).toBe(false);
    expect(staysOverlap(s('2025-05-01', '2025-05-10'), s('2025-05-11', '2025-05-12'))).toBe(false);
    expect(staysOverlap(s('2025-05-01', '2025-05-10'), s('2025-05-03', '2025-05-04'))).toBe(true); // inside
  });
  it('the same admission date overlaps, even for day cases with no night', () => {
    expect(staysOverlap(s('2025-05-01', '2025-05-01'), s('2025-05-01', '2025-05-01'))).toBe(true);
    expect(staysOverlap(s('2025-05-01', '2025-05-01'), s('2025-05-01', '2025-05-03'))).toBe(true);
  });
  it('day cases: inside another stay overlaps, on its discharge day (a transfer) does not', () => {
    expect(staysOverlap(s('2025-05-05', '2025-05-05'), s('2025-05-01', '2025-05-10'))).toBe(true);
    expect(staysOverlap(s('2025-05-10', '2025-05-10'), s('2025-05-01', '2025-05-10'))).toBe(false);
    expect(staysOverlap(s('2025-05-02', '2025-05-02'), s('2025-05-01', '2025-05-01'))).toBe(false);
  });

  const stayArb = fc.record({ a: fc.integer({ min: 0, max: 60 }), n: fc.integer({ min: 0, max: 15 }) });
  const toStay = ({ a, n }: { a: number; n: number }) => s(day(a), day(a + n));
  /** SPEC literally: the night sets (admission … discharge − 1) intersect, or the admissions are equal. */
  const nightsOracle = (x: { a: number; n: number }, y: { a: number; n: number }) => {
    const nights = (z: { a: number; n: number }) => new Set(Array.from({ length: z.n }, (_, k) => z.a + k));
    const ny = nights(y);
    return x.a === y.a || [...nights(x)].some((k) => ny.has(k));
  };

  it('property: is symmetric', () => {
    fc.assert(
      fc.property(stayArb, stayArb, (x, y) => {
        expect(staysOverlap(toStay(x), toStay(y))).toBe(staysOverlap(toStay(y), toStay(x)));
      }),
    );
  });
  it('property: a stay overlaps itself', () => {
    fc.assert(
      fc.property(stayArb, (x) => {
        expect(staysOverlap(toStay(x), toStay(x))).toBe(true);
      }),
    );
  });
  it('property: a same-day transfer is never an overlap', () => {
    fc.assert(
      fc.property(stayArb, fc.integer({ min: 0, max: 15 }), (x, m) => {
        fc.pre(x.n > 0); // a first stay with no night would share its admission date with the second
        const next = { a: x.a + x.n, n: m };
        expect(staysOverlap(toStay(x), toStay(next))).toBe(false);
      }),
    );
  });
  it('property: for stays of at least one night, matches the SPEC night rule exactly', () => {
    fc.assert(
      fc.property(stayArb, stayArb, (x, y) => {
        fc.pre(x.n > 0 && y.n > 0);
        expect(staysOverlap(toStay(x), toStay(y))).toBe(nightsOracle(x, y));
      }),
      { numRuns: 500 },
    );
  });
  it('property: never misses an overlap the night rule sees, for any stays', () => {
    fc.assert(
      fc.property(stayArb, stayArb, (x, y) => {
        if (nightsOracle(x, y)) expect(staysOverlap(toStay(x), toStay(y))).toBe(true);
      }),
    );
  });
});

describe('findDuplicate', () => {
  const stayFact = (claimId: string, a: string, d: string): OpenClaimFact => ({
    claimId,
    kind: 'stay',
    admissionDate: a,
    dischargeDate: d,
  });
  const cond = (claimId: string, conditionCode: string): OpenClaimFact => ({ claimId, kind: 'condition', conditionCode });
  const existing = [stayFact('c1', '2025-05-01', '2025-05-10'), cond('c2', 'C01'), stayFact('c3', '2025-07-01', '2025-07-03')];

  it('finds an overlapping stay and a repeated condition', () => {
    expect(findDuplicate(existing, stayFact('new', '2025-05-09', '2025-05-20'))?.claimId).toBe('c1');
    expect(findDuplicate(existing, stayFact('new', '2025-07-02', '2025-07-02'))?.claimId).toBe('c3');
    expect(findDuplicate(existing, cond('new', 'C01'))?.claimId).toBe('c2');
  });
  it('lets through a transfer, another condition and an empty history', () => {
    expect(findDuplicate(existing, stayFact('new', '2025-05-10', '2025-05-20'))).toBeUndefined();
    expect(findDuplicate(existing, cond('new', 'C02'))).toBeUndefined();
    expect(findDuplicate([], cond('new', 'C01'))).toBeUndefined();
  });
  it('a fact never conflicts with itself, and stays never conflict with conditions', () => {
    expect(findDuplicate(existing, stayFact('c1', '2025-05-01', '2025-05-10'))).toBeUndefined();
    expect(findDuplicate(existing, cond('c2', 'C01'))).toBeUndefined();
    expect(findDuplicate([cond('x', 'C01')], stayFact('y', '2025-05-01', '2025-05-02'))).toBeUndefined();
  });

  const factArb: fc.Arbitrary<OpenClaimFact> = fc.oneof(
    fc
      .record({ claimId: fc.constantFrom('a', 'b', 'c', 'd'), a: fc.integer({ min: 0, max: 30 }), n: fc.integer({ min: 0, max: 5 }) })
      .map(({ claimId, a, n }) => stayFact(claimId, day(a), day(a + n))),
    fc.record({ claimId: fc.constantFrom('a', 'b', 'c', 'd'), c: fc.constantFrom('C01', 'C02') }).map(({ claimId, c }) => cond(claimId, c)),
  );
  it('property: answers a conflicting fact of another claim exactly when one exists', () => {
    fc.assert(
      fc.property(fc.array(factArb, { maxLength: 8 }), factArb, (list, candidate) => {
        const found = findDuplicate(list, candidate);
        const conflicting = list.filter(
          (e) =>
            e.claimId !== candidate.claimId &&
            e.kind === candidate.kind &&
            (e.kind === 'stay'
              ? staysOverlap(e, candidate as Stay)
              : e.conditionCode === (candidate as { conditionCode: string }).conditionCode),
        );
        expect(found).toBe(conflicting[0]);
      }),
      { numRuns: 300 },
    );
  });
});
