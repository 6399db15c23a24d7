/**
 * THE route table. Read by the CDK stack (one Lambda + one route per entry,
 * grants from `permissions`), by the local gateway, by the OpenAPI generator
 * and by each handler (its schemas). The key is the function's folder:
 * `functions/<key>/handler.ts`.
 */
import { defineRoute } from './route';
import { Health } from './schemas/common';
import {
  ChildrenQuery,
  CreateOrgBody,
  Org,
  OrgList,
  OrgParams,
  PatchOrgBody,
  PutTargetBody,
  Target,
  TargetParams,
} from './schemas/orgs';
import {
  EnrolBody,
  EnrolmentList,
  EnrolmentParams,
  Enrolment,
  EnrolParams,
  EnrolQuery,
  EnrolResult,
  ListEnrolmentsQuery,
  TransferBody,
} from './schemas/enrolments';
import { CreatePlanBody, Plan, PlanList, PlanParams, PlansQuery } from './schemas/plans';

export const routes = {
  health: defineRoute({
    method: 'GET', path: '/health', auth: false, tag: 'meta', summary: 'Liveness',
    responses: { 200: { description: 'alive', schema: Health } },
    problems: [], permissions: {},
  }),
  openapi: defineRoute({
    method: 'GET', path: '/openapi.json', auth: false, tag: 'meta', summary: 'This document (OpenAPI 3.1)',
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
    problems: [], permissions: {},
  }),
  createOrg: defineRoute({
    method: 'POST', path: '/orgs', auth: true, tag: 'orgs', summary: 'Create an office, agency or unit',
    body: CreateOrgBody, idempotent: true,
    responses: { 201: { description: 'created', schema: Org } },
    problems: [400, 401, 403, 404, 409, 422], permissions: { table: 'readwrite' },
  }),
  getOrg: defineRoute({
    method: 'GET', path: '/orgs/{id}', auth: true, tag: 'orgs', summary: 'An org with its path from the root',
    params: OrgParams,
    responses: { 200: { description: 'the org', schema: Org } },
    problems: [400, 401, 403, 404], permissions: { table: 'read' },
  }),
  listOrgChildren: defineRoute({
    method: 'GET', path: '/orgs/{id}/children', auth: true, tag: 'orgs', summary: 'Direct children of an org',
    params: OrgParams, query: ChildrenQuery,
    responses: { 200: { description: 'a page of children', schema: OrgList } },
    problems: [400, 401, 403, 404], permissions: { table: 'read' },
  }),
  patchOrg: defineRoute({
    method: 'PATCH', path: '/orgs/{id}', auth: true, tag: 'orgs', summary: 'Rename an org or change its headcount',
    params: OrgParams, body: PatchOrgBody,
    responses: { 200: { description: 'the updated org', schema: Org } },
    problems: [400, 401, 403, 404, 422], permissions: { table: 'readwrite' },
  }),
  putTarget: defineRoute({
    method: 'PUT', path: '/orgs/{id}/targets/{year}', auth: true, tag: 'orgs',
    summary: "Set an org's annual targets (by a strict ancestor)",
    params: TargetParams, body: PutTargetBody,
    responses: { 200: { description: 'the target', schema: Target } },
    problems: [400, 401, 403, 404], permissions: { table: 'readwrite' },
  }),
  getTarget: defineRoute({
    method: 'GET', path: '/orgs/{id}/targets/{year}', auth: true, tag: 'orgs', summary: "An org's targets for a year",
    params: TargetParams,
    responses: { 200: { description: 'the target', schema: Target } },
    problems: [400, 401, 403, 404], permissions: { table: 'read' },
  }),
  createPlan: defineRoute({
    method: 'POST', path: '/plans', auth: true, tag: 'plans', summary: 'Create a plan (federation_admin; immutable)',
    body: CreatePlanBody, idempotent: true,
    responses: { 201: { description: 'created', schema: Plan } },
    problems: [400, 401, 403, 409, 422], permissions: { table: 'readwrite' },
  }),
  listPlans: defineRoute({
    method: 'GET', path: '/plans', auth: true, tag: 'plans', summary: 'Plans, newest coverage first',
    query: PlansQuery,
    responses: { 200: { description: 'a page of plans', schema: PlanList } },
    problems: [400, 401], permissions: { table: 'read' },
  }),
  getPlan: defineRoute({
    method: 'GET', path: '/plans/{id}', auth: true, tag: 'plans', summary: 'One plan',
    params: PlanParams,
    responses: { 200: { description: 'the plan', schema: Plan } },
    problems: [400, 401, 404], permissions: { table: 'read' },
  }),
  enrolMembers: defineRoute({
    method: 'POST', path: '/units/{unitId}/enrolments', auth: true, tag: 'enrolment',
    summary: 'Enrol a roster (JSON, or text/csv with ?planId=): 1–5,000 rows judged one by one',
    params: EnrolParams, query: EnrolQuery, body: EnrolBody, rawBodyTypes: ['text/csv'], idempotent: true,
    responses: { 200: { description: 'per-row results', schema: EnrolResult } },
    problems: [400, 401, 403, 404, 422], permissions: { table: 'readwrite', personalData: true },
    memoryMb: 1024,
  }),
  listUnitEnrolments: defineRoute({
    method: 'GET', path: '/units/{unitId}/enrolments', auth: true, tag: 'enrolment', summary: "A unit's enrolments (masked ID numbers)",
    params: EnrolParams, query: ListEnrolmentsQuery,
    responses: { 200: { description: 'a page of enrolments', schema: EnrolmentList } },
    problems: [400, 401, 403, 404, 422], permissions: { table: 'read', personalData: true },
  }),
  getEnrolment: defineRoute({
    method: 'GET', path: '/enrolments/{id}', auth: true, tag: 'enrolment', summary: 'One enrolment with its benefit state',
    params: EnrolmentParams,
    responses: { 200: { description: 'the enrolment', schema: Enrolment } },
    problems: [400, 401, 403, 404], permissions: { table: 'read', personalData: true },
  }),
  transferEnrolment: defineRoute({
    method: 'POST', path: '/enrolments/{id}/transfer', auth: true, tag: 'enrolment', summary: 'Move a member to another unit',
    params: EnrolmentParams, body: TransferBody,
    responses: { 200: { description: 'the moved enrolment', schema: Enrolment } },
    problems: [400, 401, 403, 404, 409, 422], permissions: { table: 'readwrite', personalData: true },
  }),
} as const;

export type RouteName = keyof typeof routes;
export const routeEntries = Object.entries(routes) as [RouteName, (typeof routes)[RouteName]][];
