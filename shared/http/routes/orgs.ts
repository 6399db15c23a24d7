import type { RouteDef } from '../route';
import { ChildrenQuery, CreateOrgBody, OrgParams, PatchOrgBody, PutTargetBody, TargetParams } from '../schemas/orgs';
import { MANAGERS } from './access';

export const createOrg = {
  method: 'POST',
  path: '/orgs',
  auth: true,
  scope: { body: 'parentId' },
  roles: MANAGERS,
  tag: 'orgs',
  summary: 'Create an office, agency or unit',
  body: CreateOrgBody,
  idempotent: true,
  responses: { 201: { description: 'created', schema: 'Org' } },
  problems: [400, 401, 403, 409, 422],
  permissions: { table: 'readwrite' },
} satisfies RouteDef;

export const getOrg = {
  method: 'GET',
  path: '/orgs/{id}',
  auth: true,
  tag: 'orgs',
  summary: 'An org with its path from the root',
  params: OrgParams,
  responses: { 200: { description: 'the org', schema: 'Org' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read' },
} satisfies RouteDef;

export const listOrgChildren = {
  method: 'GET',
  path: '/orgs/{id}/children',
  auth: true,
  tag: 'orgs',
  summary: 'Direct children of an org',
  params: OrgParams,
  query: ChildrenQuery,
  responses: { 200: { description: 'a page of children', schema: 'OrgList' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', cursors: true },
} satisfies RouteDef;

export const patchOrg = {
  method: 'PATCH',
  path: '/orgs/{id}',
  auth: true,
  scope: { org: 'id' },
  roles: MANAGERS,
  tag: 'orgs',
  summary: 'Rename an org or change its headcount',
  params: OrgParams,
  body: PatchOrgBody,
  responses: { 200: { description: 'the updated org', schema: 'Org' } },
  problems: [400, 401, 403, 404, 422],
  permissions: { table: 'readwrite' },
} satisfies RouteDef;

export const putTarget = {
  method: 'PUT',
  path: '/orgs/{id}/targets/{year}',
  auth: true,
  scope: { orgBelow: 'id' },
  roles: MANAGERS,
  tag: 'orgs',
  summary: "Set an org's annual targets (by a strict ancestor; the root's own by federation staff)",
  params: TargetParams,
  body: PutTargetBody,
  responses: { 200: { description: 'the target', schema: 'Target' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'readwrite' },
} satisfies RouteDef;

export const getTarget = {
  method: 'GET',
  path: '/orgs/{id}/targets/{year}',
  auth: true,
  tag: 'orgs',
  summary: "An org's targets for a year",
  params: TargetParams,
  responses: { 200: { description: 'the target', schema: 'Target' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read' },
} satisfies RouteDef;
