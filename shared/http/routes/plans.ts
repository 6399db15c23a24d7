import type { RouteDef } from '../route';
import { CreatePlanBody, PlanParams, PlansQuery, SimulationBody } from '../schemas/plans';
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

/** SPEC §4.6 plan simulation (测算): reads only (the plan, its counters, its approval facts); nothing is stored. */
export const simulatePlan = {
  method: 'POST',
  path: '/plans/{id}/simulations',
  auth: true,
  roles: FEDERATION,
  tag: 'plans',
  summary:
    "Replay every approved or paid claim of the plan under candidate rules and reprice its enrolments (federation_admin; reads only). A banded plan takes banded rules; a lump-sum plan takes lump-sum rules (each approved condition paid again at the candidate's amount for its code, 0 if left out, under the candidate's cap); 422 BENEFIT_KIND_MISMATCH for the other kind, 422 SIMULATION_OUT_OF_RANGE for figures beyond exact integers, 409 SIMULATION_MISMATCH when the replay of the plan's own rules disagrees with its counters (run the reconciliation), 409 CONCURRENT_CHANGE when the plan kept changing while it was read",
  params: PlanParams,
  body: SimulationBody,
  responses: { 200: { description: 'the actual and candidate figures', schema: 'PlanSimulation' } },
  problems: [400, 401, 403, 404, 409, 422],
  permissions: { table: 'read' },
  memoryMb: 1024,
} satisfies RouteDef;
