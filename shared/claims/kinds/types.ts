import type { DecisionInput } from '../../domain/decision';
import type { DocumentKind } from '../../domain/documents';
import type { BenefitExplanation } from '../../domain/explanation';
import type { Plan } from '../../domain/plan';
import type { Approval, ApprovingEnrolment } from '../../store/claimApproval';
import type { ClaimRecord } from '../../store/claimRecord';
import type { EnrolmentRecord } from '../../store/enrolments';
import type { ClaimRuleBroken } from '../errors';

/** What every claim record has whatever its kind: the kind adds the rest. */
type CommonKeys =
  | 'claimId'
  | 'kind'
  | 'enrolmentId'
  | 'planId'
  | 'personKey'
  | 'unitId'
  | 'unitPath'
  | 'status'
  | 'createdBy'
  | 'createdAt'
  | 'updatedAt'
  | 'hospital'
  | 'accident'
  | 'estimatedBenefitFen'
  | 'benefitBreakdown'
  | 'documents'
  | 'history'
  | 'version';

/** The fields a kind adds to a claim at filing. */
export type KindFields<C extends ClaimRecord> = Omit<C, CommonKeys>;

/** What approval writes besides the claim's transition (see store/claimApproval.ts). */
export type ApprovalPlan<C extends ClaimRecord> = Omit<Approval<C>, 'claim' | 'enrolment' | 'event' | 'token' | 'at' | 'today'>;

/**
 * One plan kind (SPEC §4.2): everything about a claim that depends on what
 * the plan pays for. A new kind (e.g. an outpatient chronic-disease plan) is
 * one module implementing this and one entry in ./index.ts; the handlers,
 * the store and payments ask the kind and never test it themselves.
 * Rule violations are raised as ClaimRuleBroken.
 */
export interface ClaimKind<C extends ClaimRecord, B = unknown> {
  readonly kind: C['kind'];
  /** The filed body as this kind's body, or ClaimRuleBroken 400 naming each missing or foreign field. */
  bodyOf(body: Record<string, unknown>): B;
  /** The filing rules (422) against plan, enrolment and today; then the kind's fields and the first estimate. */
  file(plan: Plan, enrolment: EnrolmentRecord, body: B, today: string): { fields: KindFields<C>; estimate: BenefitExplanation };
  /** The 422 of a filing that duplicates an open or paid claim `duplicateOf` (the filing lock, store/claims.ts). */
  duplicate(duplicateOf: string): ClaimRuleBroken;
  /** The document kinds submit requires. */
  requiredDocuments(c: C): DocumentKind[];
  /** The estimate against the member's cap as it now is (refreshed at submit). */
  estimate(plan: Plan, enrolment: ApprovingEnrolment, c: C): BenefitExplanation;
  /** The benefit to freeze and reserve at approval, its explanation and approval fact; CAP_EXHAUSTED and the like. */
  approval(plan: Plan, enrolment: ApprovingEnrolment, c: C, d: DecisionInput): ApprovalPlan<C>;
  /** The month the disclosure shows (YYYY-MM): the event the benefit is for. */
  disclosureMonth(c: C): string;
  /** The filed fields as a claim answer shows them (after hospital, SPEC §4.4's order). */
  filedView(c: C): Record<string, unknown>;
  /** What the review changed of the filed fields (after `kind` in the answer). */
  decisionView(c: C): Record<string, unknown>;
  /** The filed base an approval may lower (adjustedSelfPaidInScopeFen), or undefined when the kind has none. */
  adjustableBase(c: C): number | undefined;
}
