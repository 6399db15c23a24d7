import type { RouteDef } from '../route';
import { ClaimParams, DecisionBody, DeclareDocumentBody, DocumentParams, FileClaimBody, ListClaimsQuery } from '../schemas/claims';
import { MANAGERS, OPEN_PII } from './access';

export const createClaim = {
  method: 'POST',
  path: '/claims',
  auth: true,
  scope: { body: 'enrolmentId' },
  tag: 'claims',
  summary: 'File a claim for a member of a unit in your scope (draft, with the estimated benefit and its explanation)',
  body: FileClaimBody,
  idempotent: true,
  responses: { 201: { description: 'the draft claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404, 409, 422],
  // OPEN_PII: the answer names the member (SPEC §4.4), unsealed from the enrolment.
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const getClaim = {
  method: 'GET',
  path: '/claims/{id}',
  auth: true,
  tag: 'claims',
  summary: 'One claim with its documents (uploaded?, presigned download ≤ 5 min, of the frozen copy once submitted) and history',
  params: ClaimParams,
  responses: { 200: { description: 'the claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404],
  // evidence/: a presigned download is signed with this function's own rights.
  permissions: { table: 'read', bucket: { read: ['claims/', 'evidence/'] }, pii: OPEN_PII },
} satisfies RouteDef;

export const listClaims = {
  method: 'GET',
  path: '/claims',
  auth: true,
  tag: 'claims',
  summary: "Claims of the units in an org's subtree, by status and plan (by unit, then filing order)",
  query: ListClaimsQuery,
  responses: { 200: { description: 'a page of claims', schema: 'ClaimList' } },
  problems: [400, 401, 403, 404],
  // OPEN_PII: each claim names its member (SPEC §4.4), unsealed from the enrolment.
  permissions: { table: 'read', cursors: true, pii: OPEN_PII },
} satisfies RouteDef;

export const withdrawClaim = {
  method: 'POST',
  path: '/claims/{id}/withdraw',
  auth: true,
  tag: 'claims',
  summary: 'Withdraw a draft or returned claim (final)',
  params: ClaimParams,
  responses: { 200: { description: 'the withdrawn claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404, 409],
  // OPEN_PII: the answer names the member (SPEC §4.4), unsealed from the enrolment.
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const declareClaimDocument = {
  method: 'POST',
  path: '/claims/{id}/documents',
  auth: true,
  scope: { claim: 'id' },
  tag: 'claims',
  summary: 'Declare a receipt and get a presigned S3 POST for it (draft or returned claims)',
  params: ClaimParams,
  body: DeclareDocumentBody,
  idempotent: true,
  responses: { 201: { description: 'the upload form', schema: 'DocumentUpload' } },
  problems: [400, 401, 403, 404, 409, 422],
  permissions: { table: 'readwrite', bucket: { write: ['claims/'] } },
} satisfies RouteDef;

export const removeClaimDocument = {
  method: 'DELETE',
  path: '/claims/{id}/documents/{documentId}',
  auth: true,
  tag: 'claims',
  summary: 'Drop a declared receipt (a failed or wrong upload) from a draft or returned claim',
  params: DocumentParams,
  responses: { 200: { description: 'the claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404, 409],
  // OPEN_PII: the answer names the member (SPEC §4.4), unsealed from the enrolment.
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const submitClaim = {
  method: 'POST',
  path: '/claims/{id}/submit',
  auth: true,
  tag: 'claims',
  summary:
    'Submit for review once every receipt is uploaded and checked (one read: size, type, magic bytes); what was checked is frozen as evidence',
  params: ClaimParams,
  responses: { 200: { description: 'the submitted claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404, 409, 422],
  // The one writer of evidence/ (PutObject for the copy; no function may delete there). It reads evidence/ to sign downloads.
  // OPEN_PII: the answer names the member (SPEC §4.4).
  permissions: { table: 'readwrite', bucket: { read: ['claims/', 'evidence/'], write: ['evidence/'] }, pii: OPEN_PII },
} satisfies RouteDef;

export const decideClaim = {
  method: 'POST',
  path: '/claims/{id}/decision',
  auth: true,
  scope: { claim: 'id' },
  roles: MANAGERS,
  tag: 'claims',
  summary: 'Approve (reserving the benefit against the cap), reject or return a submitted claim; not its creator',
  params: ClaimParams,
  body: DecisionBody,
  responses: { 200: { description: 'the decided claim', schema: 'Claim' } },
  problems: [400, 401, 403, 404, 409, 422],
  // OPEN_PII: the answer names the member (SPEC §4.4), unsealed from the enrolment.
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;
