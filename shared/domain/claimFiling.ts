/**
 * Filing rules for a new claim (SPEC §4.4, the 422 codes of POST /claims) and
 * the duplicate check. Pure: the handler passes the plan, the enrolment's
 * benefit start dates, the body and today (Asia/Shanghai). Messages name the
 * claim's own dates, amounts, codes and the plan's bounds, never the member.
 */
import { type Msg, msg } from '../messages/catalogue';
import { compareDates, diffDays, isRealDate } from './dates';
import type { Plan } from './plan';

export interface BandedFiling {
  hospital: string;
  admissionDate: string;
  dischargeDate: string;
  diagnosis: string;
  icd10?: string;
  accident: boolean;
  totalExpenseFen: number;
  insuranceReimbursedFen: number;
  selfPaidInScopeFen: number;
}

export interface LumpSumFiling {
  hospital: string;
  diagnosisDate: string;
  conditionCode: string;
  accident: boolean;
}

export interface EnrolmentFacts {
  benefitStartDate: string;
  accidentBenefitStartDate: string;
}

export interface LumpSumCondition {
  code: string;
  name: string;
  amountPerShareFen: number;
}

export type FilingCode =
  | 'DATES_INVALID'
  | 'OUTSIDE_COVERAGE'
  | 'WAITING_PERIOD'
  | 'CLAIM_DEADLINE_PASSED'
  | 'AMOUNTS_INCONSISTENT'
  | 'CONDITION_NOT_COVERED';

export interface FilingProblem {
  code: FilingCode;
  /** What to fix, as a catalogue message (rendered in the reader's language). */
  message: Msg;
  /** The body field at fault, e.g. 'admissionDate'. */
  path: string;
}

type PlanDates = Pick<Plan, 'coverageStart' | 'coverageEnd' | 'claimDeadlineDays'>;

const problem = (code: FilingCode, path: string, message: Msg): FilingProblem => ({ code, path, message });

/**
 * The checks both kinds share, on the event date (admission or diagnosis):
 * coverage before the waiting period (SPEC: OUTSIDE_COVERAGE takes
 * precedence), then the deadline, counted from `deadlineFrom`.
 */
const judgeEventDate = (
  plan: PlanDates,
  enrolment: EnrolmentFacts,
  event: { path: string; date: string; accident: boolean },
  deadline: { path: string; from: string },
  today: string,
): FilingProblem | null => {
  const { path, date } = event;
  if (compareDates(date, plan.coverageStart) < 0 || compareDates(date, plan.coverageEnd) > 0) {
    return problem('OUTSIDE_COVERAGE', path, msg('OUTSIDE_COVERAGE', { field: path, start: plan.coverageStart, end: plan.coverageEnd }));
  }
  // Accidents skip the waiting period (观察期), so their own, earlier start applies.
  const start = event.accident ? enrolment.accidentBenefitStartDate : enrolment.benefitStartDate;
  if (compareDates(date, start) < 0) {
    return problem('WAITING_PERIOD', path, msg('WAITING_PERIOD', { field: path, start, accident: event.accident }));
  }
  // diffDays rather than addDays(from, deadline): no date arithmetic can leave the calendar.
  if (diffDays(deadline.from, today) > plan.claimDeadlineDays) {
    return problem(
      'CLAIM_DEADLINE_PASSED',
      deadline.path,
      msg('CLAIM_DEADLINE_PASSED', { field: deadline.path, days: plan.claimDeadlineDays, from: deadline.from }),
    );
  }
  return null;
};

const unrealDate = (fields: Record<string, string>): FilingProblem | null => {
  for (const [path, value] of Object.entries(fields)) {
    if (!isRealDate(value)) return problem('DATES_INVALID', path, msg('DATES_INVALID', { field: path }));
  }
  return null;
};

/**
 * A hospital stay (住院, banded plan). The first problem wins, in this order:
 *   1. DATES_INVALID — the filing contradicts itself or the calendar (admission
 *      after discharge, discharge after today); nothing else can be judged.
 *   2. AMOUNTS_INCONSISTENT — also a typing error the clerk can fix at once.
 *   3. OUTSIDE_COVERAGE — before WAITING_PERIOD, as SPEC §4.4 requires: a stay
 *      outside the period is not this plan's at all.
 *   4. WAITING_PERIOD — admission before benefitStartDate, or before
 *      accidentBenefitStartDate for an accident.
 *   5. CLAIM_DEADLINE_PASSED — today > dischargeDate + claimDeadlineDays.
 */
export const judgeBandedFiling = (plan: PlanDates, enrolment: EnrolmentFacts, f: BandedFiling, today: string): FilingProblem | null => {
  const unreal = unrealDate({ admissionDate: f.admissionDate, dischargeDate: f.dischargeDate });
  if (unreal) return unreal;
  if (compareDates(f.admissionDate, f.dischargeDate) > 0) {
    return problem('DATES_INVALID', 'admissionDate', msg('DATES_INVALID.admissionAfterDischarge'));
  }
  if (compareDates(f.dischargeDate, today) > 0) {
    return problem('DATES_INVALID', 'dischargeDate', msg('DATES_INVALID.afterToday', { field: 'dischargeDate' }));
  }
  if (f.insuranceReimbursedFen + f.selfPaidInScopeFen > f.totalExpenseFen) {
    return problem('AMOUNTS_INCONSISTENT', 'selfPaidInScopeFen', msg('AMOUNTS_INCONSISTENT'));
  }
  return judgeEventDate(
    plan,
    enrolment,
    { path: 'admissionDate', date: f.admissionDate, accident: f.accident },
    { path: 'dischargeDate', from: f.dischargeDate },
    today,
  );
};

/**
 * A first diagnosis (lump-sum plan). Order: DATES_INVALID (diagnosis after
 * today), CONDITION_NOT_COVERED (the filing names nothing this plan pays
 * for), then OUTSIDE_COVERAGE, WAITING_PERIOD and CLAIM_DEADLINE_PASSED, all
 * on diagnosisDate.
 */
export const judgeLumpSumFiling = (
  plan: PlanDates & { conditions: readonly LumpSumCondition[] },
  enrolment: EnrolmentFacts,
  f: LumpSumFiling,
  today: string,
): FilingProblem | null => {
  const unreal = unrealDate({ diagnosisDate: f.diagnosisDate });
  if (unreal) return unreal;
  if (compareDates(f.diagnosisDate, today) > 0) {
    return problem('DATES_INVALID', 'diagnosisDate', msg('DATES_INVALID.afterToday', { field: 'diagnosisDate' }));
  }
  if (!plan.conditions.some((c) => c.code === f.conditionCode)) {
    return problem('CONDITION_NOT_COVERED', 'conditionCode', msg('CONDITION_NOT_COVERED', { code: f.conditionCode }));
  }
  return judgeEventDate(
    plan,
    enrolment,
    { path: 'diagnosisDate', date: f.diagnosisDate, accident: f.accident },
    { path: 'diagnosisDate', from: f.diagnosisDate },
    today,
  );
};

export interface Stay {
  admissionDate: string;
  dischargeDate: string;
}

/**
 * SPEC §4.4 DUPLICATE_STAY: two stays overlap when they share a night (the
 * nights of a stay are admission … discharge − 1) or have the same admission
 * date. A transfer — discharged from one hospital and admitted to another the
 * same day — touches but does not overlap, so it is two stays.
 *
 * As intervals [admission, discharge) the night rule is a.adm < b.dis && b.adm
 * < a.dis. A day case (admitted and discharged the same day) has no night;
 * the same test still flags it when it lies strictly inside another stay,
 * because the member was in that hospital all of that day — the SPEC is
 * silent there and a double claim is the likelier story.
 */
export const staysOverlap = (a: Stay, b: Stay): boolean =>
  a.admissionDate === b.admissionDate ||
  (compareDates(a.admissionDate, b.dischargeDate) < 0 && compareDates(b.admissionDate, a.dischargeDate) < 0);

/**
 * What the duplicate rules need of a claim that blocks duplicates (see
 * blocksDuplicates in ./claim). They live together in one item per enrolment,
 * so concurrent filings conflict on that item rather than racing past a query.
 */
export type OpenClaimFact =
  | { claimId: string; kind: 'stay'; admissionDate: string; dischargeDate: string }
  | { claimId: string; kind: 'condition'; conditionCode: string };

const conflicts = (a: OpenClaimFact, b: OpenClaimFact): boolean => {
  if (a.kind === 'stay' && b.kind === 'stay') return staysOverlap(a, b);
  if (a.kind === 'condition' && b.kind === 'condition') return a.conditionCode === b.conditionCode;
  return false; // a stay and a diagnosis are different benefits (different plans) and never duplicate each other
};

/**
 * The first existing fact the candidate duplicates (DUPLICATE_STAY for stays,
 * CONDITION_ALREADY_CLAIMED for conditions), or undefined. A fact never
 * conflicts with itself, so re-judging a claim already in the list is safe.
 */
export const findDuplicate = (existing: readonly OpenClaimFact[], candidate: OpenClaimFact): OpenClaimFact | undefined =>
  existing.find((e) => e.claimId !== candidate.claimId && conflicts(e, candidate));
