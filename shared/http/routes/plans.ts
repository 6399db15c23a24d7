import type { RouteDef } from '../route';
import { CreatePlanBody, PlanParams, PlansQuery } from '../schemas/plans';
import { FEDERATION } from './access';

export const createPlan = {
  method: 'POST',
  path: '/plans',
  auth: true,
  roles: FEDERATION,
  tag: 'plans',
  summary: 'Create a plan (federation_admin; immutable)',
  body: CreatePlanBody,
  idempotent: true,
  responses: { 201: { description: 'created', schema: 'Plan' } },
  problems: [400, 401, 403, 409, 422],
  permissions: { table: 'readwrite' },
} satisfies RouteDef;

export const listPlans = {
  method: 'GET',
  path: '/plans',
  auth: true,
  tag: 'plans',
  summary: 'Plans, newest coverage first',
  query: PlansQuery,
  responses: { 200: { description: 'a page of plans', schema: 'PlanList' } },
  problems: [400, 401, 403],
  permissions: { table: 'read', cursors: true },
} satisfies RouteDef;

export const getPlan = {
  method: 'GET',
  path: '/plans/{id}',
  auth: true,
  tag: 'plans',
  summary: 'One plan',
  params: PlanParams,
  responses: { 200: { description: 'the plan', schema: 'Plan' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read' },
} satisfies RouteDef;
