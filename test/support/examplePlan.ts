import { addDays } from '../../shared/domain/dates';
import type { BandedRules, LumpSumRules, Plan } from '../../shared/domain/plan';

/**
 * The scheme's running example (SPEC §6.2 worked example): 50 元 a share,
 * deductible 1,000 元 per period, bands 50 % / 60 % / 70 %, cap 30,000 元 a
 * share. Pure data, shared by domain tests, integration fixtures and benches.
 */
export const SPEC_BENEFIT_RULES: BandedRules = {
  deductibleFen: 100000,
  deductibleBasis: 'per_period',
  bands: [
    { uptoFen: 1000000, ratePermille: 500 },
    { uptoFen: 3000000, ratePermille: 600 },
    { uptoFen: null, ratePermille: 700 },
  ],
  capPerShareFen: 3000000,
};

/** A calendar-year plan for `year`: enrolment from 1 Dec before to 30 Jun. */
export const examplePlan = (year: number, over: Partial<Plan> = {}): Plan => ({
  id: `p${year}`,
  name: `${year}年度职工医疗互助`,
  coverageStart: `${year}-01-01`,
  coverageEnd: `${year}-12-31`,
  enrolmentOpen: `${year - 1}-12-01`,
  enrolmentClose: `${year}-06-30`,
  contributionPerShareFen: 5000,
  maxShares: 3,
  waitingDays: 90,
  minAge: 16,
  maxAge: 70,
  benefit: { ...SPEC_BENEFIT_RULES, bands: SPEC_BENEFIT_RULES.bands.map((b) => ({ ...b })) },
  claimDeadlineDays: 90,
  ...over,
});

/** The example plan with coverage from `today` for a year and enrolment open around it (real-clock runs: e2e, bench). */
export const planOpenOn = (today: string, id: string, over: Partial<Plan> = {}): Plan =>
  examplePlan(Number(today.slice(0, 4)), {
    id,
    coverageStart: today,
    coverageEnd: addDays(today, 364),
    enrolmentOpen: addDays(today, -30),
    enrolmentClose: addDays(today, 60),
    ...over,
  });

/** A 重大疾病 list (SPEC §4.2 lump_sum): 10 万 a share for cancer, 5 万 for a stroke, cap 12 万 a share across conditions. */
export const LUMP_SUM_RULES: LumpSumRules = {
  kind: 'lump_sum',
  conditions: [
    { code: 'C01', name: '恶性肿瘤', amountPerShareFen: 10_000_000 },
    { code: 'C02', name: '脑中风后遗症', amountPerShareFen: 5_000_000 },
    { code: 'C03', name: '急性心肌梗塞', amountPerShareFen: 3_000_000 },
  ],
  capPerShareFen: 12_000_000,
};

/** The example plan paying lump sums on first diagnosis instead of a share of stays. */
export const exampleLumpSumPlan = (year: number, over: Partial<Plan> = {}): Plan =>
  examplePlan(year, {
    id: `ls${year}`,
    name: `${year}年度重大疾病互助`,
    benefit: { ...LUMP_SUM_RULES, conditions: LUMP_SUM_RULES.conditions.map((c) => ({ ...c })) },
    ...over,
  });
