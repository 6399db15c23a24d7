import type { RouteDef } from '../route';
import { CreateEvaluationBody, EvaluationParams, EvaluationsQuery, PayoutBody, PutRulesBody, RulesParams } from '../schemas/evaluations';
import { FEDERATION } from './access';

/** SPEC §4.5: evaluations and rewards (半年初评、年终总评、奖励兑现). */
export const putEvaluationRules = {
  method: 'PUT',
  path: '/evaluation-rules/{year}',
  auth: true,
  roles: FEDERATION,
  tag: 'evaluations',
  summary: "Set a year's evaluation rules (federation_admin; 409 RULES_LOCKED once an evaluation of the year is approved)",
  params: RulesParams,
  body: PutRulesBody,
  responses: { 200: { description: 'the rules as stored', schema: 'EvaluationRules' } },
  problems: [400, 401, 403, 409],
  permissions: { table: 'readwrite' },
} satisfies RouteDef;

export const createEvaluation = {
  method: 'POST',
  path: '/evaluations',
  auth: true,
  roles: FEDERATION,
  tag: 'evaluations',
  summary: "Compute a draft evaluation from the stored report of a checkpoint's date, locking that report (federation_admin)",
  body: CreateEvaluationBody,
  idempotent: true,
  responses: { 201: { description: 'the draft', schema: 'Evaluation' } },
  // 409 REPORT_MISSING, EVALUATION_APPROVED; 422 RULES_MISSING, CHECKPOINT_UNKNOWN.
  problems: [400, 401, 403, 409, 422],
  // Reads the report (reports/), writes the rows and the CSV (evaluations/).
  permissions: { table: 'readwrite', bucket: { read: ['reports/'], write: ['evaluations/'] } },
  memoryMb: 1024,
} satisfies RouteDef;

export const approveEvaluation = {
  method: 'POST',
  path: '/evaluations/{id}/approve',
  auth: true,
  roles: FEDERATION,
  tag: 'evaluations',
  summary: 'Approve a draft (federation_admin, not its creator: 403 SAME_PERSON); locks the year’s rules',
  params: EvaluationParams,
  responses: { 200: { description: 'the approved evaluation', schema: 'Evaluation' } },
  problems: [400, 401, 403, 404, 409],
  permissions: { table: 'readwrite', bucket: { read: ['evaluations/'], write: ['evaluations/'] } },
  memoryMb: 1024,
} satisfies RouteDef;

export const payoutEvaluation = {
  method: 'POST',
  path: '/evaluations/{id}/payout',
  auth: true,
  roles: FEDERATION,
  tag: 'evaluations',
  summary: 'Record that an approved evaluation’s rewards were paid (兑现; else 409 INVALID_STATE)',
  params: EvaluationParams,
  body: PayoutBody,
  responses: { 200: { description: 'the paid evaluation', schema: 'Evaluation' } },
  problems: [400, 401, 403, 404, 409, 422],
  permissions: { table: 'readwrite', bucket: { read: ['evaluations/'], write: ['evaluations/'] } },
  memoryMb: 1024,
} satisfies RouteDef;

export const listEvaluations = {
  method: 'GET',
  path: '/evaluations',
  auth: true,
  tag: 'evaluations',
  summary: "A year's evaluations, each cut to the caller's subtree (totals and CSV link of the cut)",
  query: EvaluationsQuery,
  responses: { 200: { description: 'a page of evaluations', schema: 'EvaluationList' } },
  problems: [400, 401, 403],
  permissions: { table: 'read', cursors: true, bucket: { read: ['evaluations/'], write: ['evaluations/'] } },
  memoryMb: 1024,
} satisfies RouteDef;

export const getEvaluation = {
  method: 'GET',
  path: '/evaluations/{id}',
  auth: true,
  tag: 'evaluations',
  summary: "One evaluation cut to the caller's subtree, with a presigned CSV of that cut",
  params: EvaluationParams,
  responses: { 200: { description: 'the evaluation', schema: 'Evaluation' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', bucket: { read: ['evaluations/'], write: ['evaluations/'] } },
  memoryMb: 1024,
} satisfies RouteDef;
