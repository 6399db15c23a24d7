/**
 * Plans (互助方案, one per period; SPEC §4.2). A plan is immutable once
 * created, so everything a later claim relies on is checked here, up front.
 * Money is integer fen, rates integer permille, durations whole days, ages years.
 */
import { type Msg, msg } from '../messages/catalogue';
import type { PlanUnit } from '../messages/en';
import { addDays, compareDates, isRealDate } from './dates';

export interface BenefitBand {
  /** Exclusive upper edge of the band on the eligible amount; null for the last, open-ended band. */
  uptoFen: number | null;
  ratePermille: number;
}

export type DeductibleBasis = 'per_stay' | 'per_period';
export const DEDUCTIBLE_BASES: readonly DeductibleBasis[] = ['per_stay', 'per_period'];

export interface BandedRules {
  /** Absent on plans created before lump-sum plans existed: banded is the default (SPEC §4.2). */
  kind?: 'banded';
  deductibleFen: number;
  deductibleBasis: DeductibleBasis;
  bands: BenefitBand[];
  capPerShareFen: number;
}

/** One listed disease or tier of a lump-sum plan (重大疾病 / 女职工特殊疾病). */
export interface LumpSumConditionRule {
  code: string;
  name: string;
  amountPerShareFen: number;
}

export interface LumpSumRules {
  kind: 'lump_sum';
  conditions: LumpSumConditionRule[];
  capPerShareFen: number;
}

export type BenefitRules = BandedRules | LumpSumRules;
export type PlanKindName = 'banded' | 'lump_sum';

/** The plan's kind: banded unless it says lump_sum. */
export const planKindOf = (rules: BenefitRules): PlanKindName => (rules.kind === 'lump_sum' ? 'lump_sum' : 'banded');

export const MAX_CONDITIONS = 200;

export interface Plan {
  id: string;
  name: string;
  coverageStart: string;
  coverageEnd: string;
  enrolmentOpen: string;
  enrolmentClose: string;
  contributionPerShareFen: number;
  /** What a renewing member pays per share (续保优惠, SPEC §4.2); absent: contributionPerShareFen. */
  renewalContributionPerShareFen?: number;
  maxShares: number;
  waitingDays: number;
  minAge: number;
  maxAge: number;
  predecessorPlanId?: string | null;
  /** The share of a unit's headcount that must join for good standing (SPEC §4.2, §5); absent: 0. Reported, not enforced. */
  minUnitParticipationPermille?: number;
  benefit: BenefitRules;
  claimDeadlineDays: number;
}

export type BandedPlan = Plan & { benefit: BandedRules };
export type LumpSumPlan = Plan & { benefit: LumpSumRules };

export interface RuleViolation {
  path: string;
  /** What to fix, as a catalogue message (rendered in the reader's language). */
  message: Msg;
}

/**
 * Sanity ceilings the SPEC leaves open. They keep every later product
 * (part × rate, banded × shares, cap × shares) far below 2^53, so the
 * benefit engine's integer arithmetic stays exact.
 */
export const PLAN_LIMITS = {
  maxFen: 1_000_000_000_000, // 100 亿元: no single amount of a plan comes near it
  maxShares: 1000,
  maxAge: 150,
  maxDays: 3660, // ten years of waiting or claim deadline
  firstYear: 2000,
  lastYear: 2099,
  maxCoverageYears: 3,
} as const;

const inPlanYears = (date: string): boolean => {
  const y = Number(date.slice(0, 4));
  return y >= PLAN_LIMITS.firstYear && y <= PLAN_LIMITS.lastYear;
};

/** The last day a coverage starting on `start` may run to: the day before the same date maxCoverageYears later (29 Feb → 28 Feb). */
export const lastCoverageDay = (start: string): string => {
  const y = Number(start.slice(0, 4)) + PLAN_LIMITS.maxCoverageYears;
  const day = Number(start.slice(8, 10));
  return addDays(addDays(`${y}-${start.slice(5, 7)}-01`, day - 1), -1);
};

/** Every rule a plan breaks (empty when valid), each with the path of the offending field. */
export const planRuleViolations = (p: Plan): RuleViolation[] => {
  const out: RuleViolation[] = [];
  const add = (path: string, message: Msg) => out.push({ path, message });
  const int = (path: string, v: unknown, min: number, max: number, unit: PlanUnit) => {
    if (!Number.isSafeInteger(v)) add(path, msg('PLAN.integer', { unit }));
    else if ((v as number) < min || (v as number) > max) add(path, msg('PLAN.between', { min, max, unit }));
  };

  for (const f of ['coverageStart', 'coverageEnd', 'enrolmentOpen', 'enrolmentClose'] as const) {
    if (!isRealDate(p[f])) add(f, msg('PLAN.realDate'));
    else if (!inPlanYears(p[f])) add(f, msg('PLAN.withinYears', { first: PLAN_LIMITS.firstYear, last: PLAN_LIMITS.lastYear }));
  }
  // Dates outside the plan years are already named; judging their order too would only repeat it.
  const real = (d: string) => isRealDate(d) && inPlanYears(d);
  if (real(p.coverageStart) && real(p.coverageEnd) && compareDates(p.coverageEnd, lastCoverageDay(p.coverageStart)) > 0) {
    add('coverageEnd', msg('PLAN.coverageYears', { years: PLAN_LIMITS.maxCoverageYears }));
  }
  if (real(p.coverageStart) && real(p.coverageEnd) && compareDates(p.coverageStart, p.coverageEnd) > 0) {
    add('coverageEnd', msg('PLAN.notBefore', { other: 'coverageStart' }));
  }
  if (real(p.enrolmentOpen) && real(p.enrolmentClose) && compareDates(p.enrolmentOpen, p.enrolmentClose) > 0) {
    add('enrolmentClose', msg('PLAN.notBefore', { other: 'enrolmentOpen' }));
  }
  if (real(p.enrolmentClose) && real(p.coverageEnd) && compareDates(p.enrolmentClose, p.coverageEnd) > 0) {
    add('enrolmentClose', msg('PLAN.notAfter', { other: 'coverageEnd' }));
  }

  int('contributionPerShareFen', p.contributionPerShareFen, 1, PLAN_LIMITS.maxFen, 'fenPositive');
  if (p.renewalContributionPerShareFen !== undefined) {
    int('renewalContributionPerShareFen', p.renewalContributionPerShareFen, 1, PLAN_LIMITS.maxFen, 'fenPositive');
    if (
      Number.isSafeInteger(p.renewalContributionPerShareFen) &&
      Number.isSafeInteger(p.contributionPerShareFen) &&
      p.renewalContributionPerShareFen > p.contributionPerShareFen
    ) {
      add('renewalContributionPerShareFen', msg('PLAN.renewalDiscount'));
    }
  }
  if (p.minUnitParticipationPermille !== undefined) {
    int('minUnitParticipationPermille', p.minUnitParticipationPermille, 0, 1000, 'permille');
  }
  int('maxShares', p.maxShares, 1, PLAN_LIMITS.maxShares, 'atLeastOne');
  int('waitingDays', p.waitingDays, 0, PLAN_LIMITS.maxDays, 'days');
  int('minAge', p.minAge, 0, PLAN_LIMITS.maxAge, 'years');
  int('maxAge', p.maxAge, 0, PLAN_LIMITS.maxAge, 'years');
  if (Number.isSafeInteger(p.minAge) && Number.isSafeInteger(p.maxAge) && p.minAge > p.maxAge) {
    add('maxAge', msg('PLAN.minAgeAboveMax'));
  }
  int('claimDeadlineDays', p.claimDeadlineDays, 1, PLAN_LIMITS.maxDays, 'daysAtLeastOne');

  out.push(...benefitRuleViolations(p.benefit));
  return out;
};

/** Every rule a benefit breaks (a plan's, or a simulation's candidate), paths under `benefit.`. */
export const benefitRuleViolations = (b: BenefitRules): RuleViolation[] => {
  const out: RuleViolation[] = [];
  const add = (path: string, message: Msg) => out.push({ path, message });
  const int = (path: string, v: unknown, min: number, max: number, unit: PlanUnit) => {
    if (!Number.isSafeInteger(v)) add(path, msg('PLAN.integer', { unit }));
    else if ((v as number) < min || (v as number) > max) add(path, msg('PLAN.between', { min, max, unit }));
  };
  if (b === null || typeof b !== 'object') {
    add('benefit', msg('PLAN.benefitRequired'));
    return out;
  }
  if (b.kind === 'lump_sum') {
    int('benefit.capPerShareFen', b.capPerShareFen, 1, PLAN_LIMITS.maxFen, 'fenPositive');
    out.push(...conditionViolations(b.conditions));
    return out;
  }
  int('benefit.deductibleFen', b.deductibleFen, 0, PLAN_LIMITS.maxFen, 'fen');
  if (!DEDUCTIBLE_BASES.includes(b.deductibleBasis)) add('benefit.deductibleBasis', msg('PLAN.deductibleBasis'));
  int('benefit.capPerShareFen', b.capPerShareFen, 1, PLAN_LIMITS.maxFen, 'fenPositive');
  out.push(...bandViolations(b.bands));
  return out;
};

/** 1..MAX_CONDITIONS conditions, codes unique, each paying more than 0 fen per share. */
const conditionViolations = (conditions: LumpSumConditionRule[]): RuleViolation[] => {
  if (!Array.isArray(conditions) || conditions.length === 0 || conditions.length > MAX_CONDITIONS) {
    return [{ path: 'benefit.conditions', message: msg('PLAN.conditionCount', { max: MAX_CONDITIONS }) }];
  }
  const out: RuleViolation[] = [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    if (seen.has(c.code)) out.push({ path: `benefit.conditions.${i}.code`, message: msg('PLAN.conditionDuplicate', { code: c.code }) });
    seen.add(c.code);
    const amount = c.amountPerShareFen;
    if (!Number.isSafeInteger(amount) || amount < 1 || amount > PLAN_LIMITS.maxFen) {
      out.push({
        path: `benefit.conditions.${i}.amountPerShareFen`,
        message: msg('PLAN.between', { min: 1, max: PLAN_LIMITS.maxFen, unit: 'fen' }),
      });
    }
  });
  return out;
};

/** Bands ascend strictly, partition [0, ∞) and end with the open band (uptoFen null). */
const bandViolations = (bands: BenefitBand[]): RuleViolation[] => {
  if (!Array.isArray(bands) || bands.length === 0) return [{ path: 'benefit.bands', message: msg('PLAN.bandsRequired') }];
  const out: RuleViolation[] = [];
  let previous = 0;
  bands.forEach((band, i) => {
    const at = `benefit.bands.${i}`;
    const last = i === bands.length - 1;
    const upto = band?.uptoFen;
    if (last) {
      if (upto !== null) out.push({ path: `${at}.uptoFen`, message: msg('PLAN.lastBandOpen') });
    } else if (upto === null) {
      out.push({ path: `${at}.uptoFen`, message: msg('PLAN.onlyLastOpen') });
    } else if (!Number.isSafeInteger(upto) || upto <= 0 || upto > PLAN_LIMITS.maxFen) {
      out.push({ path: `${at}.uptoFen`, message: msg('PLAN.bandUpto', { max: PLAN_LIMITS.maxFen }) });
    } else if (upto <= previous) {
      out.push({ path: `${at}.uptoFen`, message: msg('PLAN.bandAscending') });
    } else {
      previous = upto;
    }
    const rate = band?.ratePermille;
    if (!Number.isSafeInteger(rate) || rate < 0 || rate > 1000) {
      out.push({ path: `${at}.ratePermille`, message: msg('PLAN.rate') });
    }
  });
  return out;
};

/** Enrolment is open on both edge days inclusive (SPEC §4.3 ENROLMENT_CLOSED). */
export const isEnrolmentOpen = (plan: Pick<Plan, 'enrolmentOpen' | 'enrolmentClose'>, today: string): boolean =>
  compareDates(plan.enrolmentOpen, today) <= 0 && compareDates(today, plan.enrolmentClose) <= 0;

/** Whether a date lies within the plan's coverage period, both ends inclusive (SPEC §4.4 OUTSIDE_COVERAGE, §5). */
export const isWithinCoverage = (plan: Pick<Plan, 'coverageStart' | 'coverageEnd'>, date: string): boolean =>
  compareDates(plan.coverageStart, date) <= 0 && compareDates(date, plan.coverageEnd) <= 0;
