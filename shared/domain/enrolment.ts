/**
 * Enrolment rules (入会, SPEC §4.3): what a member pays, the cap they buy,
 * when their benefits start, and the per-row share and age checks.
 */
import { type Msg, msg, render } from '../messages/catalogue';
import { addDays, ageOn, maxDate, minDate } from './dates';
import type { Plan } from './plan';

/** Shares must be a whole number, so money stays integer fen. */
const assertShares = (shares: number) => {
  if (!Number.isSafeInteger(shares) || shares < 1) throw new RangeError('shares must be a positive integer');
};

type Prices = Pick<Plan, 'contributionPerShareFen' | 'renewalContributionPerShareFen'>;

/** The per-share price that applies (SPEC §4.3): the renewal discount for a renewal, else the full price. */
export const perShareFen = (plan: Prices, renewal: boolean): number =>
  renewal ? (plan.renewalContributionPerShareFen ?? plan.contributionPerShareFen) : plan.contributionPerShareFen;

/** The plan's lowest per-share price: what subsidies per share may not exceed (SUBSIDY_TOO_HIGH). */
export const lowestPerShareFen = (plan: Prices): number => Math.min(perShareFen(plan, false), perShareFen(plan, true));

/** Contribution = shares × the per-share price that applies (SPEC §4.3). */
export const contributionFen = (plan: Prices, shares: number, renewal = false): number => {
  assertShares(shares);
  return shares * perShareFen(plan, renewal);
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
export type RowJudgement = { ok: true } | { ok: false; code: EnrolmentRowCode; message: Msg };

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
    return { ok: false, code: 'INVALID_SHARES', message: msg('INVALID_SHARES', { max: plan.maxShares }) };
  }
  const age = ageAtCoverageStart(row.birthDate, plan);
  if (age < plan.minAge || age > plan.maxAge) {
    return {
      ok: false,
      code: 'AGE_OUT_OF_RANGE',
      message: msg('AGE_OUT_OF_RANGE', { min: plan.minAge, max: plan.maxAge }),
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

/** A roster's co-funding: what the unit's administration and its union pay per share (SPEC §4.3). */
export interface FundingPerShare {
  administrationPerShareFen?: number | undefined;
  unionPerShareFen?: number | undefined;
}

/**
 * Why a roster's co-funding cannot be applied (null: it can). Subsidies are whole fen ≥ 0 and their sum per
 * share may not exceed the plan's lowest per-share price, so no worker ever pays less than nothing.
 */
export const subsidyProblem = (plan: Prices, f: FundingPerShare | undefined): ((started: boolean) => Msg) | null => {
  const a = f?.administrationPerShareFen ?? 0;
  const u = f?.unionPerShareFen ?? 0;
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(u) || a < 0 || u < 0)
    return (started) => msg('SUBSIDY_TOO_HIGH.notWhole', { started });
  const lowest = lowestPerShareFen(plan);
  if (a + u > lowest) return (started) => msg('SUBSIDY_TOO_HIGH', { totalFen: a + u, lowestFen: lowest, started });
  return null;
};

/**
 * The payer split of one enrolment: each subsidy per share × shares; the worker pays the rest, so the three
 * always sum to contributionFen. Throws on a subsidy subsidyProblem refuses (callers check it first).
 */
export const fundingSplit = (plan: Prices, f: FundingPerShare | undefined, shares: number, renewal: boolean): Funding => {
  const problem = subsidyProblem(plan, f);
  if (problem) throw new RangeError(render(problem(false), 'en'));
  const administrationFen = (f?.administrationPerShareFen ?? 0) * shares;
  const unionFen = (f?.unionPerShareFen ?? 0) * shares;
  return { administrationFen, unionFen, workerFen: contributionFen(plan, shares, renewal) - administrationFen - unionFen };
};

/** An enrolment's payer split: as recorded, or (no co-funding recorded) the worker pays it all. */
export const fundingOf = (e: { contributionFen: number; funding?: Funding | undefined }): Funding =>
  e.funding ?? { administrationFen: 0, unionFen: 0, workerFen: e.contributionFen };

/**
 * The move of EVERY summed contribution counter (SPEC §5) for these enrolments, times `sign`: enrolment,
 * cancellation and transfer all go through it, so the payer split can never be left behind.
 */
export const enrolmentCounterDelta = (
  es: readonly { contributionFen: number; funding?: Funding | undefined; shares: number; renewal: boolean }[],
  sign: 1 | -1,
) => {
  const d = {
    enrolled: 0,
    contributionsFen: 0,
    contributionsAdministrationFen: 0,
    contributionsUnionFen: 0,
    contributionsWorkerFen: 0,
    sharesNew: 0,
    sharesRenewal: 0,
  };
  for (const e of es) {
    const f = fundingOf(e);
    d.enrolled += sign;
    // Shares of newcomers and of renewing members apart: a simulation reprices each at its own price without reading members.
    if (e.renewal) d.sharesRenewal += sign * e.shares;
    else d.sharesNew += sign * e.shares;
    d.contributionsFen += sign * e.contributionFen;
    d.contributionsAdministrationFen += sign * f.administrationFen;
    d.contributionsUnionFen += sign * f.unionFen;
    d.contributionsWorkerFen += sign * f.workerFen;
  }
  return d;
};
