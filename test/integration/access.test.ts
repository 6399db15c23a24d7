import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { logger } from '../../shared/http/logger';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries as typedEntries } from '../../shared/http/routes';

const routeEntries = typedEntries as [RouteName, RouteDef][];
import { createPlan, createTree, fed, idNumber, marchClock } from '../support/fixtures';
import { as, invoke, uid } from '../support/invoke';

const store = buildDeps();
let tree: Awaited<ReturnType<typeof createTree>>;
let plan: Awaited<ReturnType<typeof createPlan>>;
beforeAll(async () => {
  tree = await createTree(2);
  plan = await createPlan();
});

/** Placeholder path parameters: any well-formed value works, the role check comes first. */
const params = (path: string) =>
  Object.fromEntries(
    [...path.matchAll(/\{(\w+)\}/g)].map(([, k]) => [
      k!,
      k === 'id' && path.startsWith('/enrolments') ? '01ARZ3NDEKTSV4RRFFQ69G5FAV' : k === 'year' ? '2026' : 'root',
    ]),
  );

describe('each function enforces its own route', () => {
  it('the route a handler holds (roles, schemas) is the table entry of its folder', async () => {
    for (const [name, route] of routeEntries) {
      const { handler } = (await import(`../../functions/${name}/handler.ts`)) as { handler: { route: RouteDef } };
      expect(handler.route === route, `functions/${name} holds the route of ${route.method} ${route.path}`).toBe(true);
    }
  });
});

describe('role must fit the org kind (SPEC §2), on every route', () => {
  it('a token whose role does not fit its org is 403 everywhere, before anything else is looked at', async () => {
    const misfits = [
      as('unit_admin', tree.office),
      as('office_staff', tree.units[0]!),
      as('federation_admin', tree.office),
      as('office_staff', 'root'),
    ];
    for (const [name, r] of routeEntries.filter(([, r]) => r.auth)) {
      for (const claims of misfits) {
        const res = await invoke(name as RouteName, { params: params(r.path), body: r.body ? { junk: true } : undefined, claims });
        expect(`${name} ${claims.role}@${claims.org} ${res.status} ${res.body?.code}`).toBe(
          `${name} ${claims.role}@${claims.org} 403 FORBIDDEN`,
        );
      }
    }
    const gone = await invoke('getOrg', { params: { id: 'root' }, claims: as('office_staff', 'deleted-office') });
    expect(gone.status).toBe(403);
  });

  it('a role the route does not admit gets 403, not a lesson on the body schema', async () => {
    for (const [name, r] of routeEntries.filter(([, r]) => r.auth && r.roles)) {
      const outsider = (['federation_admin', 'office_staff', 'unit_admin'] as const).find((role) => !r.roles!.includes(role))!;
      const org = outsider === 'federation_admin' ? 'root' : outsider === 'office_staff' ? tree.office : tree.units[0]!;
      const res = await invoke(name as RouteName, {
        params: params(r.path),
        body: r.body ? { surely: 'invalid' } : undefined,
        claims: as(outsider, org),
      });
      expect(`${name} ${res.status}`).toBe(`${name} 403`);
    }
  });

  it('createPlan needs the root org; createOrg does not tell an office whether a parent outside its subtree exists', async () => {
    const other = await createTree(0);
    const staff = as('office_staff', tree.office);
    const elsewhere = await invoke('createOrg', {
      body: { id: uid('u'), name: 'x', kind: 'unit', parentId: other.office, headcount: 1 },
      claims: staff,
    });
    const nowhere = await invoke('createOrg', {
      body: { id: uid('u'), name: 'x', kind: 'unit', parentId: 'no-such-parent', headcount: 1 },
      claims: staff,
    });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'FORBIDDEN']);
    expect([nowhere.status, nowhere.body.code]).toEqual([403, 'FORBIDDEN']);
    expect(nowhere.body.detail.replace('no-such-parent', 'X')).toBe(elsewhere.body.detail.replace(other.office, 'X'));
    // The federation reaches everything, so it learns nothing new from 422 PARENT_UNKNOWN.
    const fedAnswer = await invoke('createOrg', {
      body: { id: uid('u'), name: 'x', kind: 'unit', parentId: 'no-such-parent', headcount: 1 },
      claims: fed,
    });
    expect(fedAnswer.body.code).toBe('PARENT_UNKNOWN');
  });
});

describe('GET /enrolments/{id}/identity and GET /identity-access (SPEC §4.3)', () => {
  it('reveals the full identity to any role in scope, records every access, and lists them for the federation', async () => {
    const id18 = idNumber('1981-06-07', 335, 44);
    const r = await invoke('enrolMembers', {
      params: { unitId: tree.units[0]! },
      body: { planId: plan.id, members: [{ idNumber: id18, name: '欧阳修', phone: '13912345678' }] },
      claims: fed,
      deps: { clock: marchClock },
    });
    const enrolmentId = r.body.enrolments[0].enrolmentId;
    const t0 = new Date().toISOString();
    const clerk = as('unit_admin', tree.units[0]!, 'clerk-1');
    const got = await invoke('getIdentity', { params: { id: enrolmentId }, query: { purpose: 'member_service' }, claims: clerk });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ idNumber: id18, name: '欧阳修', phone: '13912345678' });
    const staff = as('office_staff', tree.office, 'staff-7');
    expect((await invoke('getIdentity', { params: { id: enrolmentId }, query: { purpose: 'claim_review' }, claims: staff })).status).toBe(
      200,
    );

    // Out of scope, unknown purpose, unknown enrolment: nothing revealed, nothing recorded.
    expect(
      (
        await invoke('getIdentity', {
          params: { id: enrolmentId },
          query: { purpose: 'member_service' },
          claims: as('unit_admin', tree.units[1]!),
        })
      ).status,
    ).toBe(403);
    expect((await invoke('getIdentity', { params: { id: enrolmentId }, query: { purpose: 'curiosity' }, claims: clerk })).status).toBe(400);
    expect((await invoke('getIdentity', { params: { id: enrolmentId }, claims: clerk })).status).toBe(400);
    expect(
      (await invoke('getIdentity', { params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, query: { purpose: 'correction' }, claims: fed })).status,
    ).toBe(404);
    expect((await invoke('getIdentity', { params: { id: enrolmentId }, query: { purpose: 'correction' } })).status).toBe(401);

    const today = t0.slice(0, 10);
    const list = await invoke('listIdentityAccess', {
      query: { orgId: tree.office, from: '2000-01-01', to: '2100-01-01', limit: 50 },
      claims: fed,
    });
    expect(list.status).toBe(200);
    const mine = list.body.items.filter((a: { enrolmentId: string }) => a.enrolmentId === enrolmentId);
    expect(mine.map((a: { actor: string; role: string; orgId: string; purpose: string }) => [a.actor, a.role, a.orgId, a.purpose])).toEqual(
      [
        ['clerk-1', 'unit_admin', tree.units[0], 'member_service'],
        ['staff-7', 'office_staff', tree.office, 'claim_review'],
      ],
    );
    for (const a of mine) expect(a.at >= t0).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(id18);
    // Another office's subtree holds none of them; a day range before today holds none either.
    const otherOffice = (await createTree(0)).office;
    expect((await invoke('listIdentityAccess', { query: { orgId: otherOffice }, claims: fed })).body.items).toEqual([]);
    const before = await invoke('listIdentityAccess', { query: { orgId: tree.office, from: '2000-01-01', to: '2000-01-02' }, claims: fed });
    expect(before.body.items).toEqual([]);
    expect(today).toMatch(/^\d{4}-/);
    // Only the federation lists accesses.
    expect((await invoke('listIdentityAccess', { query: {}, claims: staff })).status).toBe(403);
    expect((await invoke('listIdentityAccess', { query: { from: '2026-02-01', to: '2026-01-01' }, claims: fed })).status).toBe(400);
  });
});

describe('privacy: the birth date (and so the ID number) never leaks', () => {
  afterEach(() => {
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();
  });

  it('no answer, log line or stored clear attribute holds the number, the birth date in any form, or both halves of the number', async () => {
    const birth = '1983-11-29';
    const id18 = idNumber(birth, 246, 37);
    const name = '司马相如';
    const forms = [id18, birth, birth.replaceAll('-', ''), birth.replaceAll('-', '/'), '1983年11月29日', id18.slice(6, 14), '13800000007'];
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(((c: unknown) => {
      lines.push(String(c));
      return true;
    }) as never);
    vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    logger.setLogLevel('DEBUG');
    const answers: string[] = [];
    const unit = tree.units[1]!;
    const enrolled = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: {
        planId: plan.id,
        members: [
          { idNumber: id18, name, phone: '13800000007' },
          { idNumber: id18.slice(0, 17), name: 'x' },
        ],
      },
      claims: fed,
      deps: { clock: marchClock },
    });
    answers.push(enrolled.text);
    const enrolmentId = enrolled.body.enrolments[0].enrolmentId;
    answers.push((await invoke('getEnrolment', { params: { id: enrolmentId }, claims: fed })).text);
    answers.push((await invoke('listUnitEnrolments', { params: { unitId: unit }, query: { planId: plan.id }, claims: fed })).text);
    answers.push(
      (await invoke('transferEnrolment', { params: { id: enrolmentId }, body: { toUnitId: tree.units[0]! }, claims: fed })).text,
    );
    // A CSV without a header: its first row must not come back in the 400.
    const headerless = await invoke('enrolMembers', {
      params: { unitId: unit },
      query: { planId: plan.id },
      raw: `${id18},${name},1,13800000007\n`,
      headers: { 'content-type': 'text/csv' },
      claims: fed,
    });
    expect(headerless.status).toBe(400);
    answers.push(headerless.text);
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();

    const scan = await store.db.send(new ScanCommand({ TableName: store.config.tableName }));
    // Sealed blobs are ciphertext; everything else is what a reader of the table sees in clear.
    const clear = JSON.stringify((scan.Items ?? []).map(({ pii: _sealed, ...rest }) => rest));
    for (const [where, text] of [
      ['answers', answers.join('\n')],
      ['logs', lines.join('')],
      ['table', clear],
    ] as const) {
      for (const f of forms) expect(text.includes(f), `${where} holds ${f}`).toBe(false);
      // The name is shown to callers in scope (GET /enrolments/{id}), but never logged or stored in clear.
      if (where !== 'answers') expect(text.includes(name), `${where} holds the name`).toBe(false);
      // Reconstruction: a masked number (first 6, last 4) next to the 8 birth-date digits.
      expect(text.includes(id18.slice(0, 6)) && text.includes(id18.slice(6, 14)), `${where} can rebuild the number`).toBe(false);
    }
    // The answer still tells the member's gender (SPEC) and the masked number.
    const view = JSON.parse(answers[1]!);
    expect(view.idNumberMasked).toBe(`${id18.slice(0, 6)}********${id18.slice(14)}`);
    expect(view).not.toHaveProperty('birthDate');
  });
});
