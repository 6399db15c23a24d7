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
} from '../schemas/enrolments';
import { FEDERATION, OPEN_PII, ENROL_PII } from './access';

export const enrolMembers = {
  method: 'POST',
  path: '/units/{unitId}/enrolments',
  auth: true,
  scope: { org: 'unitId' },
  tag: 'enrolment',
  summary: 'Enrol a roster (JSON, or a CSV / Excel file with ?planId=): 1–5,000 rows judged one by one',
  params: EnrolParams,
  query: EnrolQuery,
  body: EnrolBody,
  rawBodyTypes: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
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
