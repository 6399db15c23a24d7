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
} as const;

export type RouteName = keyof typeof routes;
export const routeEntries = Object.entries(routes) as [RouteName, (typeof routes)[RouteName]][];
