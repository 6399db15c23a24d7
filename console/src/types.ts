/**
 * API types come from the server's own zod schemas (type-only imports: nothing of zod is bundled).
 * Request bodies are the schemas' inputs, answers their outputs.
 */
import type * as z from 'zod/mini';
import type { DecisionBody, DeclareDocumentBody, FileBandedClaimBody, FileLumpSumClaimBody } from '../../shared/http/schemas/claims';
import type { CreateEvaluationBody, PayoutBody } from '../../shared/http/schemas/evaluations';
import type { CreateOrgBody, PatchOrgBody, PutTargetBody } from '../../shared/http/schemas/orgs';
import type { CreatePaymentBody } from '../../shared/http/schemas/payments';
import type { CreatePlanBody } from '../../shared/http/schemas/plans';
import type { CreateRosterImportBody } from '../../shared/http/schemas/rosterImports';
import type {
  Claim as ClaimS,
  ClaimList as ClaimListS,
  DocumentUpload as DocumentUploadS,
} from '../../shared/http/schemas/responses/claims';
import type { Problem as ProblemS } from '../../shared/http/schemas/responses/common';
import type { Enrolment as EnrolmentS, EnrolResult as EnrolResultS } from '../../shared/http/schemas/responses/enrolments';
import type { Evaluation as EvaluationS } from '../../shared/http/schemas/responses/evaluations';
import type { Org as OrgS, Target as TargetS } from '../../shared/http/schemas/responses/orgs';
import type { DisclosureList as DisclosureListS, Payment as PaymentS } from '../../shared/http/schemas/responses/payments';
import type { Plan as PlanS } from '../../shared/http/schemas/responses/plans';
import type { Report as ReportS, ReportList as ReportListS } from '../../shared/http/schemas/responses/reports';
import type {
  RosterImport as RosterImportS,
  RosterImportUpload as RosterImportUploadS,
} from '../../shared/http/schemas/responses/rosterImports';

export type Org = z.output<typeof OrgS>;
export type Target = z.output<typeof TargetS>;
export type Plan = z.output<typeof PlanS>;
export type Enrolment = z.output<typeof EnrolmentS>;
export type EnrolResult = z.output<typeof EnrolResultS>;
export type Claim = z.output<typeof ClaimS>;
export type ClaimList = z.output<typeof ClaimListS>;
export type DocumentUpload = z.output<typeof DocumentUploadS>;
export type Payment = z.output<typeof PaymentS>;
export type DisclosureList = z.output<typeof DisclosureListS>;
export type Report = z.output<typeof ReportS>;
export type ReportList = z.output<typeof ReportListS>;
export type Evaluation = z.output<typeof EvaluationS>;
export type RosterImport = z.output<typeof RosterImportS>;
export type RosterImportUpload = z.output<typeof RosterImportUploadS>;
export type Problem = z.output<typeof ProblemS>;

export type CreateOrg = z.input<typeof CreateOrgBody>;
export type PatchOrg = z.input<typeof PatchOrgBody>;
export type PutTarget = z.input<typeof PutTargetBody>;
export type CreatePlan = z.input<typeof CreatePlanBody>;
export type FileBandedClaim = z.input<typeof FileBandedClaimBody>;
export type FileLumpSumClaim = z.input<typeof FileLumpSumClaimBody>;
export type DeclareDocument = z.input<typeof DeclareDocumentBody>;
export type Decision = z.input<typeof DecisionBody>;
export type CreatePayment = z.input<typeof CreatePaymentBody>;
export type CreateEvaluation = z.input<typeof CreateEvaluationBody>;
export type Payout = z.input<typeof PayoutBody>;
export type CreateRosterImport = z.input<typeof CreateRosterImportBody>;

export type Role = 'federation_admin' | 'office_staff' | 'unit_admin';
export interface List<T> {
  items: T[];
  nextCursor: string | null;
}
