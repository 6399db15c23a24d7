/**
 * Enrolment rules (入会, SPEC §4.3): what a member pays, the cap they buy,
 * when their benefits start, and the per-row share and age checks.
 */
import { addDays, ageOn, maxDate, minDate } from './dates';
import type { Plan } from './plan';

/** Shares must be a whole number, so money stays integer fen. */
const assertShares = (shares: number) => {
  if (!Number.isSafeInteger(shares) || shares < 1) throw new RangeError('shares must be a positive integer');
};

/** Contribution = shares × contributionPerShareFen (SPEC §4.3). */
export const contributionFen = (plan: Pick<Plan, 'contributionPerShareFen'>, shares: number): number => {
  assertShares(shares);
  return shares * plan.contributionPerShareFen;
};

/** The enrolment's benefit cap: capPerShareFen × shares (SPEC §6.2). */
export const capFen = (plan: { benefit: Pick<Plan['benefit'], 'capPerShareFen'> }, shares: number): number => {
  assertShares(shares);
  return shares * plan.benefit.capPerShareFen;
};

export interface BenefitStartDates {
  /** First admission day that can be claimed for illness. */
  benefitStartDate: string;
  /** First admission day that can be claimed for an accident (no waiting period). */
  accidentBenefitStartDate: string;
}

/**
 * SPEC §4.3: the waiting period (观察期) deters joining only once ill, so a
 * renewal (enrolled in the predecessor plan) has none and starts at
 * coverageStart; a newcomer starts at max(coverageStart, enrolledDate +
 * waitingDays). Accidents are not foreseeable, so they skip the wait: a
 * newcomer from max(coverageStart, enrolledDate), a renewal from
 * coverageStart like its illnesses (a renewal enrolled on 1 March was
 * covered for accidents since January, as it was for illness). Never later
 * than benefitStartDate: an accident is covered wherever an illness would be.
 */
export const benefitStartDates = (
  plan: Pick<Plan, 'coverageStart' | 'waitingDays'>,
  enrolledDate: string,
  renewal: boolean,
): BenefitStartDates => {
  const benefitStartDate = renewal ? plan.coverageStart : maxDate(plan.coverageStart, addDays(enrolledDate, plan.waitingDays));
  const accident = renewal ? plan.coverageStart : maxDate(plan.coverageStart, enrolledDate);
  return { benefitStartDate, accidentBenefitStartDate: minDate(accident, benefitStartDate) };
};

/** Eligibility age is measured on the first day of coverage, the same day for everyone in the period. */
export const ageAtCoverageStart = (birthDate: string, plan: Pick<Plan, 'coverageStart'>): number => ageOn(birthDate, plan.coverageStart);

export type EnrolmentRowCode = 'INVALID_SHARES' | 'AGE_OUT_OF_RANGE';
export type RowJudgement = { ok: true } | { ok: false; code: EnrolmentRowCode; message: string };

/**
 * The per-row checks that depend on the plan (SPEC §4.3 row codes). Messages
 * state the plan's bounds but never the person's age or birth date.
 */
export const judgeSharesAndAge = (
  plan: Pick<Plan, 'maxShares' | 'minAge' | 'maxAge' | 'coverageStart'>,
  row: { shares: unknown; birthDate: string },
): RowJudgement => {
  const { shares } = row;
  if (typeof shares !== 'number' || !Number.isSafeInteger(shares) || shares < 1 || shares > plan.maxShares) {
    return { ok: false, code: 'INVALID_SHARES', message: `shares must be a whole number from 1 to ${plan.maxShares}` };
  }
  const age = ageAtCoverageStart(row.birthDate, plan);
  if (age < plan.minAge || age > plan.maxAge) {
    return {
      ok: false,
      code: 'AGE_OUT_OF_RANGE',
      message: `age at coverage start must be from ${plan.minAge} to ${plan.maxAge}`,
    };
  }
  return { ok: true };
};

/** Who pays an enrolment's contribution (SPEC §4.3 co-funding); always sums to contributionFen. */
export interface Funding {
  administrationFen: number;
  unionFen: number;
  workerFen: number;
}

/** An enrolment's payer split: as recorded, or (no co-funding recorded) the worker pays it all. */
export const fundingOf = (e: { contributionFen: number; funding?: Funding | undefined }): Funding =>
  e.funding ?? { administrationFen: 0, unionFen: 0, workerFen: e.contributionFen };

/**
 * The move of EVERY summed contribution counter (SPEC §5) for these enrolments, times `sign`: enrolment,
 * cancellation and transfer all go through it, so the payer split can never be left behind.
 */
export const enrolmentCounterDelta = (es: readonly { contributionFen: number; funding?: Funding | undefined }[], sign: 1 | -1) => {
  const d = { enrolled: 0, contributionsFen: 0, contributionsAdministrationFen: 0, contributionsUnionFen: 0, contributionsWorkerFen: 0 };
  for (const e of es) {
    const f = fundingOf(e);
    d.enrolled += sign;
    d.contributionsFen += sign * e.contributionFen;
    d.contributionsAdministrationFen += sign * f.administrationFen;
    d.contributionsUnionFen += sign * f.unionFen;
    d.contributionsWorkerFen += sign * f.workerFen;
  }
  return d;
};
