/**
 * Every response body the API documents, by name. The route table names
 * them (`responses: { 200: { schema: 'Claim' } }`) instead of holding them,
 * so a function's bundle makes only the request schemas it validates; these
 * are made by the OpenAPI document (and the tests that check answers against it).
 */
import { GatewayMessage, Health, OpenApiDocument, Problem } from './common';
import { Claim, ClaimList, DocumentUpload } from './claims';
import { Evaluation, EvaluationList, EvaluationRules } from './evaluations';
import { EnrolmentList, Enrolment, EnrolmentLookupResult, EnrolResult, Identity, IdentityAccessList } from './enrolments';
import { Org, OrgList, Target } from './orgs';
import { DisclosureList, Payment } from './payments';
import { PlanList, Plan } from './plans';
import { Report, ReportList } from './reports';
import { RosterImport, RosterImportUpload } from './rosterImports';
import { PlanSimulation } from './simulations';

export const responseSchemas = {
  Health,
  OpenApiDocument,
  Org,
  OrgList,
  Target,
  Plan,
  PlanList,
  EnrolResult,
  Enrolment,
  EnrolmentList,
  EnrolmentLookupResult,
  Identity,
  IdentityAccessList,
  RosterImport,
  RosterImportUpload,
  Claim,
  ClaimList,
  DocumentUpload,
  Payment,
  DisclosureList,
  Report,
  ReportList,
  EvaluationRules,
  Evaluation,
  EvaluationList,
  PlanSimulation,
};

export type ResponseSchemaName = keyof typeof responseSchemas;
export { GatewayMessage, Problem };
