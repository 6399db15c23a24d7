import type { RouteDef } from '../route';
import {
  EnrolBody,
  EnrolParams,
  EnrolQuery,
  EnrolmentParams,
  IdentityAccessQuery,
  IdentityQuery,
  ListEnrolmentsQuery,
  TransferBody,
  PatchEnrolmentBody,
  CancelEnrolmentBody,
  LookupBody,
} from '../schemas/enrolments';
import { FEDERATION, OPEN_PII, ENROL_PII } from './access';

export const enrolMembers = {
  method: 'POST',
  path: '/units/{unitId}/enrolments',
  auth: true,
  scope: { org: 'unitId' },
  tag: 'enrolment',
  summary:
    'Enrol a roster (JSON, or a CSV / Excel file with ?planId=, raw or as the one file of a multipart form): 1–5,000 rows judged one by one; office and federation staff may backdate (enrolledDate)',
  params: EnrolParams,
  query: EnrolQuery,
  body: EnrolBody,
  rawBodyTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'multipart/form-data'],
  idempotent: true,
  responses: { 200: { description: 'per-row results', schema: 'EnrolResult' } },
  problems: [400, 401, 403, 404, 422],
  permissions: { table: 'readwrite', pii: ENROL_PII },
  memoryMb: 1024,
} satisfies RouteDef;

export const listUnitEnrolments = {
  method: 'GET',
  path: '/units/{unitId}/enrolments',
  auth: true,
  tag: 'enrolment',
  summary: "A unit's enrolments (masked ID numbers)",
  params: EnrolParams,
  query: ListEnrolmentsQuery,
  responses: { 200: { description: 'a page of enrolments', schema: 'EnrolmentList' } },
  problems: [400, 401, 403, 404, 422],
  permissions: { table: 'read', pii: OPEN_PII, cursors: true },
} satisfies RouteDef;

export const getEnrolment = {
  method: 'GET',
  path: '/enrolments/{id}',
  auth: true,
  tag: 'enrolment',
  summary: 'One enrolment with its benefit state',
  params: EnrolmentParams,
  responses: { 200: { description: 'the enrolment', schema: 'Enrolment' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', pii: OPEN_PII },
} satisfies RouteDef;

export const getIdentity = {
  method: 'GET',
  path: '/enrolments/{id}/identity',
  auth: true,
  tag: 'enrolment',
  summary: "A member's full identity (ID number, name, phone) for a stated purpose; every call is recorded",
  params: EnrolmentParams,
  query: IdentityQuery,
  responses: { 200: { description: 'the identity', schema: 'Identity' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const listIdentityAccess = {
  method: 'GET',
  path: '/identity-access',
  auth: true,
  roles: FEDERATION,
  tag: 'enrolment',
  summary: 'Who looked at which identity, when and why (federation_admin)',
  query: IdentityAccessQuery,
  responses: { 200: { description: 'a page of access records, oldest first', schema: 'IdentityAccessList' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', cursors: true },
} satisfies RouteDef;

export const transferEnrolment = {
  method: 'POST',
  path: '/enrolments/{id}/transfer',
  auth: true,
  scope: { enrolment: 'id' },
  tag: 'enrolment',
  summary: 'Move a member to another unit',
  params: EnrolmentParams,
  body: TransferBody,
  responses: { 200: { description: 'the moved enrolment', schema: 'Enrolment' } },
  problems: [400, 401, 403, 404, 409, 422],
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const patchEnrolment = {
  method: 'PATCH',
  path: '/enrolments/{id}',
  auth: true,
  scope: { enrolment: 'id' },
  tag: 'enrolment',
  summary: 'Correct a typing error in the name or phone (any role in scope); recorded in history',
  params: EnrolmentParams,
  body: PatchEnrolmentBody,
  responses: { 200: { description: 'the corrected enrolment', schema: 'Enrolment' } },
  problems: [400, 401, 403, 404, 409],
  permissions: { table: 'readwrite', pii: { open: true, seal: true } },
} satisfies RouteDef;

export const cancelEnrolment = {
  method: 'POST',
  path: '/enrolments/{id}/cancel',
  auth: true,
  scope: { enrolment: 'id' },
  tag: 'enrolment',
  summary:
    'Cancel an enrolment made in error, before its benefitStartDate and without any claim (else 409 ENROLMENT_IN_FORCE); counters reversed; the person may be enrolled again',
  params: EnrolmentParams,
  body: CancelEnrolmentBody,
  responses: { 200: { description: 'the cancelled enrolment', schema: 'Enrolment' } },
  problems: [400, 401, 403, 404, 409],
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const lookupEnrolments = {
  method: 'POST',
  path: '/enrolments/lookup',
  auth: true,
  scope: { body: 'idNumber' },
  tag: 'enrolment',
  summary: "Find a member's enrolments by ID number (in the body, never a URL), within your scope; answers masked",
  body: LookupBody,
  responses: { 200: { description: "the person's enrolments within your scope", schema: 'EnrolmentLookupResult' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', pii: { hmac: true } },
} satisfies RouteDef;
