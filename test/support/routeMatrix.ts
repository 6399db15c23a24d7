import { expect } from 'vitest';
import type { Clock } from '../../shared/clock';
import type { Role } from '../../shared/domain/scope';
import type { RouteName } from '../../shared/http/routes';
import { augustClock, clerkOf, decide, julyClock, PDF, type postForm, stay, submitted, upload } from './claims';
import { createPlan, createTree, fed, marchClock, people, planBody } from './fixtures';
import { as, type Call, invoke, uid } from './invoke';

/**
 * One valid request for every route of the route table, against a small world
 * (root ─ office A ─ units A1, A2; root ─ office B ─ unit B1), with who may
 * send it (SPEC §2). Used by the authorization matrix, the fuzzing and the
 * fault tests (test/integration/authz-matrix, fuzz, faults). "Inside" is
 * federation_admin@root, office_staff@A and unit_admin@A1 on a resource of
 * unit A1; "outside" is office_staff@B and unit_admin@A2 (a sibling unit).
 */
export type World = {
  planId: string;
  officeA: string;
  a1: string;
  a2: string;
  officeB: string;
  enrolment: string;
  draftClaim: string;
  submittedClaim: string;
  paymentId: string;
  importId: string;
};

export type Cell = Role | 'outside_office_staff' | 'outside_unit_admin';
export const ALL: Role[] = ['federation_admin', 'office_staff', 'unit_admin'];
const MANAGERS: Role[] = ['federation_admin', 'office_staff'];
const FEDERATION: Role[] = ['federation_admin'];

export interface Row {
  /** Roles SPEC §2 admits on this route (public routes: every caller, token or not). */
  allow: Role[];
  /** Whether the route reaches one org's subtree (then an outsider gets 403); plans and the federation's lists are not scoped. */
  scoped: boolean;
  /** What an admitted caller inside scope gets (a number, or one per role). */
  ok: number | Partial<Record<Role, number>>;
  /** The request; called once per cell, so a consuming action (submit, withdraw, decide) gets a fresh resource. */
  call: (w: World, cell: Cell) => Promise<Omit<Call, 'claims'>> | Omit<Call, 'claims'>;
  clock?: Clock;
}

export const freshEnrolment = async (unitId: string, planId: string, p = people(1)[0]) => {
  const r = await invoke('enrolMembers', {
    params: { unitId },
    body: { planId, members: [{ ...p!, name: '张三' }] },
    claims: fed,
    deps: { clock: marchClock },
  });
  if (r.status !== 200) throw new Error(r.text);
  return r.body.enrolments[0].enrolmentId as string;
};
const freshDraft = async (w: World) => {
  const r = await invoke('createClaim', {
    body: stay(await freshEnrolment(w.a1, w.planId)),
    claims: clerkOf(w.a1),
    deps: { clock: julyClock },
  });
  if (r.status !== 201) throw new Error(r.text);
  return r.body.claimId as string;
};
const declared = async (w: World, claimId: string) => {
  const r = await invoke('declareClaimDocument', {
    params: { id: claimId },
    body: { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
    claims: clerkOf(w.a1),
    deps: { clock: julyClock },
  });
  if (r.status !== 201) throw new Error(r.text);
  return r as { body: { documentId: string; upload: Parameters<typeof postForm>[0] } };
};
/** Only admitted cells consume a resource: refused cells reuse the shared one (they must not touch it). */
const admitted = (cell: Cell) => cell === 'federation_admin' || cell === 'office_staff' || cell === 'unit_admin';

export const matrix: Record<RouteName, Row> = {
  // Public (SPEC §2: anyone, no token).
  health: { allow: ALL, scoped: false, ok: 200, call: () => ({}) },
  openapi: { allow: ALL, scoped: false, ok: 200, call: () => ({}) },
  home: { allow: ALL, scoped: false, ok: 200, call: () => ({}) },
  docs: { allow: ALL, scoped: false, ok: 200, call: () => ({}) },
  docsAsset: { allow: ALL, scoped: false, ok: 200, call: () => ({ params: { file: 'swagger-ui.css' } }) },
  listDisclosures: { allow: ALL, scoped: false, ok: 200, call: (w) => ({ params: { planId: w.planId } }) },
  // Orgs and targets: managers write, everyone in scope reads.
  createOrg: {
    allow: MANAGERS,
    scoped: true,
    ok: 201,
    call: (w) => ({ body: { id: uid('u'), name: '新单位', kind: 'unit', parentId: w.officeA, headcount: 10 } }),
  },
  getOrg: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { id: w.a1 } }) },
  listOrgChildren: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { id: w.a1 } }) },
  patchOrg: { allow: MANAGERS, scoped: true, ok: 200, call: (w) => ({ params: { id: w.a1 }, body: { name: '机床厂工会' } }) },
  putTarget: {
    allow: MANAGERS,
    scoped: true,
    ok: 200,
    call: (w) => ({ params: { id: w.a1, year: '2026' }, body: { enrolmentTarget: 300 } }),
  },
  getTarget: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { id: w.a1, year: '2026' } }) },
  // Plans: the federation creates, everyone reads every plan.
  createPlan: { allow: FEDERATION, scoped: false, ok: 201, call: () => ({ body: planBody() }) },
  simulatePlan: {
    allow: FEDERATION,
    scoped: false,
    ok: 200,
    call: (w) => {
      const { contributionPerShareFen, benefit } = planBody();
      return { params: { id: w.planId }, body: { contributionPerShareFen, benefit } };
    },
  },
  getPlan: { allow: ALL, scoped: false, ok: 200, call: (w) => ({ params: { id: w.planId } }) },
  listPlans: { allow: ALL, scoped: false, ok: 200, call: () => ({}) },
  // Enrolment.
  enrolMembers: {
    allow: ALL,
    scoped: true,
    ok: 200,
    clock: marchClock,
    call: (w) => ({ params: { unitId: w.a1 }, body: { planId: w.planId, members: people(1).map((p) => ({ ...p, name: '李四' })) } }),
  },
  listUnitEnrolments: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { unitId: w.a1 }, query: { planId: w.planId } }) },
  getEnrolment: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { id: w.enrolment } }) },
  getIdentity: {
    allow: ALL,
    scoped: true,
    ok: 200,
    call: (w) => ({ params: { id: w.enrolment }, query: { purpose: 'member_service' } }),
  },
  // A fresh enrolment per admitted call: a correction to the name it already has writes nothing.
  patchEnrolment: {
    allow: ALL,
    scoped: true,
    ok: 200,
    call: async (w, cell) => ({
      params: { id: admitted(cell) ? await freshEnrolment(w.a1, w.planId) : w.enrolment },
      body: { name: '王五' },
    }),
  },
  cancelEnrolment: {
    allow: ALL,
    scoped: true,
    ok: 200,
    clock: marchClock,
    call: async (w, cell) => ({
      params: { id: admitted(cell) ? await freshEnrolment(w.a1, w.planId) : w.enrolment },
      body: { reason: '录入错误' },
    }),
  },
  lookupEnrolments: {
    allow: ALL,
    scoped: true,
    ok: 200,
    call: async (w) => {
      const [p] = people(1);
      await freshEnrolment(w.a1, w.planId, p);
      return { body: { idNumber: p!.idNumber } };
    },
  },
  listIdentityAccess: { allow: FEDERATION, scoped: false, ok: 200, call: () => ({}) },
  transferEnrolment: {
    allow: MANAGERS,
    scoped: true,
    ok: 200,
    call: async (w, cell) => ({
      params: { id: admitted(cell) ? await freshEnrolment(w.a1, w.planId) : w.enrolment },
      body: { toUnitId: w.a2 },
    }),
  },
  // Claims.
  createClaim: {
    allow: ALL,
    scoped: true,
    ok: 201,
    clock: julyClock,
    call: async (w, cell) => ({ body: stay(admitted(cell) ? await freshEnrolment(w.a1, w.planId) : w.enrolment) }),
  },
  getClaim: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { id: w.submittedClaim } }) },
  listClaims: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ query: { orgId: w.a1 } }) },
  declareClaimDocument: {
    allow: ALL,
    scoped: true,
    ok: 201,
    clock: julyClock,
    call: (w) => ({
      params: { id: w.draftClaim },
      body: { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
    }),
  },
  removeClaimDocument: {
    allow: ALL,
    scoped: true,
    ok: 200,
    clock: julyClock,
    call: async (w) => ({ params: { id: w.draftClaim, documentId: (await declared(w, w.draftClaim)).body.documentId } }),
  },
  submitClaim: {
    allow: ALL,
    scoped: true,
    ok: 200,
    clock: julyClock,
    call: async (w, cell) => {
      if (!admitted(cell)) return { params: { id: w.draftClaim } };
      const id = await freshDraft(w);
      for (const kind of ['invoice', 'discharge_summary'] as const) await upload(id, clerkOf(w.a1), kind);
      return { params: { id } };
    },
  },
  withdrawClaim: {
    allow: ALL,
    scoped: true,
    ok: 200,
    call: async (w, cell) => ({ params: { id: admitted(cell) ? await freshDraft(w) : w.draftClaim } }),
  },
  decideClaim: {
    allow: MANAGERS,
    scoped: true,
    ok: 200,
    clock: julyClock,
    call: async (w, cell) => ({
      params: { id: admitted(cell) ? await submitted(w.a1, await freshEnrolment(w.a1, w.planId)) : w.submittedClaim },
      body: { decision: 'return', reason: '请补充出院小结' },
    }),
  },
  // Payments: the federation only.
  createPayment: {
    allow: FEDERATION,
    scoped: false,
    ok: 201,
    clock: augustClock,
    call: async (w, cell) => {
      if (!admitted(cell)) return { body: { claimIds: [w.submittedClaim], paidDate: '2026-08-05', reference: 'B-1' } };
      const id = await submitted(w.a1, await freshEnrolment(w.a1, w.planId));
      const d = await decide(id, { decision: 'approve' }, as('office_staff', w.officeA));
      if (d.status !== 200) throw new Error(d.text);
      return { body: { claimIds: [id], paidDate: '2026-08-05', reference: 'B-1' } };
    },
  },
  getPayment: { allow: FEDERATION, scoped: false, ok: 200, call: (w) => ({ params: { id: w.paymentId } }) },
  // Reports.
  listReports: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ query: { orgId: w.a1 } }) },
  // No report was made that day: 404 inside scope, but an outsider learns nothing (403 first).
  getReport: { allow: ALL, scoped: true, ok: 404, call: (w) => ({ params: { date: '2026-03-09' }, query: { orgId: w.a1 } }) },
  // Roster imports.
  createRosterImport: {
    allow: ALL,
    scoped: true,
    ok: 201,
    clock: marchClock,
    call: (w) => ({
      params: { unitId: w.a1 },
      body: { planId: w.planId, fileName: '名册.csv', contentType: 'text/csv', sizeBytes: 100 },
    }),
  },
  getRosterImport: { allow: ALL, scoped: true, ok: 200, call: (w) => ({ params: { importId: w.importId } }) },
  // Evaluations (SPEC §4.5): the federation sets rules, evaluates, approves and pays out; every role reads its own.
  putEvaluationRules: {
    allow: FEDERATION,
    scoped: false,
    ok: 200,
    call: (w) => ({
      params: { year: '2031' },
      body: {
        planIds: [w.planId],
        checkpoints: [{ id: 'h1', date: '2031-06-30', requiredCompletionPermille: 500 }],
        rewardRatePermille: 50,
        tiers: [],
      },
    }),
  },
  createEvaluation: { allow: FEDERATION, scoped: false, ok: 422, call: () => ({ body: { year: 2032, checkpointId: 'h1' } }) },
  approveEvaluation: { allow: FEDERATION, scoped: false, ok: 404, call: () => ({ params: { id: UNKNOWN } }) },
  payoutEvaluation: {
    allow: FEDERATION,
    scoped: false,
    ok: 404,
    call: () => ({ params: { id: UNKNOWN }, body: { paidDate: '2026-03-01', reference: 'R-1' } }),
  },
  listEvaluations: { allow: ALL, scoped: false, ok: 200, call: () => ({ query: { year: '2026' } }) },
  getEvaluation: { allow: ALL, scoped: false, ok: 404, call: () => ({ params: { id: UNKNOWN } }) },
};

const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

/** Builds the world on the shared test table. */
export const buildWorld = async (): Promise<World> => {
  const plan = await createPlan();
  const a = await createTree(2);
  const b = await createTree(1);
  const w: World = {
    planId: plan.id,
    officeA: a.office,
    a1: a.units[0]!,
    a2: a.units[1]!,
    officeB: b.office,
    enrolment: '',
    draftClaim: '',
    submittedClaim: '',
    paymentId: '',
    importId: '',
  };
  await invoke('putTarget', { params: { id: w.a1, year: '2026' }, body: { enrolmentTarget: 100 }, claims: fed });
  w.enrolment = await freshEnrolment(w.a1, w.planId);
  w.draftClaim = await freshDraft(w);
  w.submittedClaim = await submitted(w.a1, await freshEnrolment(w.a1, w.planId));
  const approved = await submitted(w.a1, await freshEnrolment(w.a1, w.planId));
  expect((await decide(approved, { decision: 'approve' }, fed)).status).toBe(200);
  const paid = await invoke('createPayment', {
    body: { claimIds: [approved], paidDate: '2026-08-05', reference: 'B-0' },
    claims: fed,
    deps: { clock: augustClock },
  });
  expect(paid.status, paid.text).toBe(201);
  w.paymentId = paid.body.paymentId;
  const imp = await invoke('createRosterImport', {
    params: { unitId: w.a1 },
    body: { planId: w.planId, fileName: '名册.csv', contentType: 'text/csv', sizeBytes: 100 },
    claims: fed,
    deps: { clock: marchClock },
  });
  expect(imp.status, imp.text).toBe(201);
  w.importId = imp.body.importId;
  return w;
};

export const principalOf = (w: World, cell: Cell) => {
  switch (cell) {
    case 'federation_admin':
      return fed;
    case 'office_staff':
      return as('office_staff', w.officeA);
    case 'unit_admin':
      return clerkOf(w.a1, 'matrix-clerk');
    case 'outside_office_staff':
      return as('office_staff', w.officeB);
    case 'outside_unit_admin':
      return as('unit_admin', w.a2);
  }
};
export const CELLS: Cell[] = ['federation_admin', 'office_staff', 'unit_admin', 'outside_office_staff', 'outside_unit_admin'];
