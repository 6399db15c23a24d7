import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type LocalFunction } from '../../infra/local/gateway';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKey, makeVerifier, signToken } from '../../infra/local/jwt';
import type { Clock } from '../../shared/clock';
import type { Role } from '../../shared/domain/scope';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries, routes } from '../../shared/http/routes';
import { augustClock, clerkOf, decide, julyClock, PDF, type postForm, stay, submitted, upload } from '../support/claims';
import { createPlan, createTree, fed, marchClock, people, planBody } from '../support/fixtures';
import { as, type Call, invoke, uid } from '../support/invoke';

/**
 * The authorization matrix (SPEC §2, §3): every route of the route table ×
 * {no token, expired, wrong signature, wrong audience} through the local
 * gateway, and × {each role inside its scope, each role outside it} through
 * the handler, with the exact status each cell must answer. The roles a
 * route admits are written here from SPEC §2, not read from the route table,
 * so dropping a role check (in the table or in the middleware) turns a 403
 * cell into something else. A route without a row fails the first test.
 *
 * The world: root ─ office A ─ units A1, A2; root ─ office B ─ unit B1.
 * "Inside" is federation_admin@root, office_staff@A and unit_admin@A1 on a
 * resource of unit A1; "outside" is office_staff@B and unit_admin@A2 (a
 * sibling unit) on the same resource.
 */

type World = {
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

type Cell = Role | 'outside_office_staff' | 'outside_unit_admin';
const ALL: Role[] = ['federation_admin', 'office_staff', 'unit_admin'];
const MANAGERS: Role[] = ['federation_admin', 'office_staff'];
const FEDERATION: Role[] = ['federation_admin'];

interface Row {
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

const freshEnrolment = async (unitId: string, planId: string) => {
  const [p] = people(1);
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

const matrix: Record<RouteName, Row> = {
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

let w: World;
beforeAll(async () => {
  const plan = await createPlan();
  const a = await createTree(2);
  const b = await createTree(1);
  w = {
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
}, 120_000);

const principalOf = (cell: Cell) => {
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
const CELLS: Cell[] = ['federation_admin', 'office_staff', 'unit_admin', 'outside_office_staff', 'outside_unit_admin'];

/** What SPEC §2/§3 say a cell answers. */
const expected = (name: RouteName, row: Row, cell: Cell): number => {
  const r = routes[name] as RouteDef;
  const okFor = (role: Role) => (typeof row.ok === 'number' ? row.ok : (row.ok[role] ?? 200));
  if (!r.auth) return okFor('federation_admin');
  const role: Role = cell === 'outside_office_staff' ? 'office_staff' : cell === 'outside_unit_admin' ? 'unit_admin' : cell;
  if (!row.allow.includes(role)) return 403;
  if (cell.startsWith('outside_') && row.scoped) return 403;
  return okFor(role);
};

describe('authorization matrix (SPEC §2)', () => {
  it('has one row for every route of the route table, and none for a route that is not there', () => {
    expect(Object.keys(matrix).sort()).toEqual(routeEntries.map(([n]) => n).sort());
  });

  it('every route × every role inside and outside scope answers exactly its status', async () => {
    const wrong: string[] = [];
    for (const [name, row] of Object.entries(matrix) as [RouteName, Row][]) {
      for (const cell of CELLS) {
        const req = await row.call(w, cell);
        const res = await invoke(name, {
          ...req,
          claims: principalOf(cell),
          ...(row.clock ? { deps: { clock: row.clock, ...req.deps } } : {}),
        });
        const want = expected(name, row, cell);
        if (res.status !== want) wrong.push(`${name} ${cell}: ${res.status} ${res.body?.code ?? ''}, expected ${want}`);
        if (res.status === 403) expect(res.body?.code, `${name} ${cell}`).toBe('FORBIDDEN');
      }
    }
    expect(wrong).toEqual([]);
  }, 180_000);
});

describe('tokens at the gateway (SPEC §2: 401 before any function runs)', () => {
  let server: Server;
  let base: string;
  let dir: string;
  const good: Record<string, string> = {};
  const bad: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'huzhu-matrix-'));
    const key = await loadOrCreateKey(join(dir, 'key.json'));
    const handlers = new Map<string, Promise<LocalFunction>>();
    server = createGateway({
      verify: await makeVerifier(key),
      loadHandler: (name) => {
        let h = handlers.get(name);
        if (!h) {
          h = import(`../../functions/${name}/handler.ts`).then((m: { handler: LocalFunction }) => m.handler);
          handlers.set(name, h);
        }
        return h;
      },
      corsOrigins: [],
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const priv = await importJWK(key.privateJwk, 'ES256');
    const claims = { role: 'federation_admin', org: 'root', token_use: 'id' };
    const jwt = () => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setSubject('matrix').setIssuedAt();
    // Valid, but outside every resource the requests name: it passes the authorizer and changes nothing.
    good.valid = await signToken(key, { sub: 'matrix', role: 'unit_admin', org: w.a2 });
    bad.expired = await jwt()
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(priv);
    const other = await generateKeyPair('ES256', { extractable: true });
    bad['wrong signature'] = await jwt()
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(await importJWK(await exportJWK(other.privateKey), 'ES256'));
    bad['wrong audience'] = await jwt().setIssuer(LOCAL_ISSUER).setAudience('someone-else').setExpirationTime('1h').sign(priv);
    bad['wrong issuer'] = await jwt().setIssuer('https://evil.example').setAudience(LOCAL_AUDIENCE).setExpirationTime('1h').sign(priv);
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => {
      server?.close(() => resolve());
      server?.closeAllConnections();
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('every route: no token, expired, wrong signature, wrong audience or issuer → 401 on protected routes; public routes answer anyway', async () => {
    const wrong: string[] = [];
    for (const [name, r] of routeEntries as [RouteName, RouteDef][]) {
      const req = await matrix[name].call(w, 'outside_unit_admin');
      const path = r.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(String(req.params?.[k] ?? 'x')));
      const qs = new URLSearchParams(Object.entries(req.query ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
      const send = (token?: string) =>
        fetch(`${base}${path}${qs ? `?${qs}` : ''}`, {
          method: r.method,
          headers: {
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(req.body !== undefined ? { body: JSON.stringify(req.body) } : {}),
        });
      for (const [what, token] of [['no token', undefined], ...Object.entries(bad)] as [string, string | undefined][]) {
        const res = await send(token);
        const text = await res.text();
        if (r.auth) {
          if (res.status !== 401 || JSON.parse(text).message !== 'Unauthorized')
            wrong.push(`${name} ${what}: ${res.status} ${text.slice(0, 80)}`);
        } else if (res.status !== 200) wrong.push(`${name} ${what}: ${res.status}, a public route`);
      }
      // The same request with a valid token passes the authorizer (the function then answers, here 200 or 403).
      const ok = await send(good.valid);
      if (ok.status === 401 || ok.status >= 500) wrong.push(`${name} valid token: ${ok.status}`);
      await ok.arrayBuffer();
    }
    expect(wrong).toEqual([]);
  }, 60_000);
});
