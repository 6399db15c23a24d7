import { describe, expect, it } from 'vitest';
import { createPlan, createTree, fed, planBody } from '../support/fixtures';
import { as, invoke, uid } from '../support/invoke';

describe('POST /plans', () => {
  it('creates an immutable plan (201), readable by every role', async () => {
    const body = planBody();
    const r = await invoke('createPlan', { body, claims: fed });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...body, predecessorPlanId: null, createdBy: fed.sub });
    const { office, units } = await createTree(1);
    for (const reader of [as('unit_admin', units[0]!), as('office_staff', office), fed]) {
      const got = await invoke('getPlan', { params: { id: body.id }, claims: reader });
      expect(got.status).toBe(200);
      // Same fields in the same order as the creation answered (DynamoDB keeps no attribute order).
      expect(got.text).toBe(r.text);
    }
    const again = await invoke('createPlan', { body: { ...body, name: 'changed' }, claims: fed });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_EXISTS');
    expect((await invoke('getPlan', { params: { id: body.id }, claims: fed })).body.name).toBe(body.name);
  });

  it('403 for anyone but the federation admin', async () => {
    expect((await invoke('createPlan', { body: planBody(), claims: as('office_staff', 'x-office') })).status).toBe(403);
    expect((await invoke('createPlan', { body: planBody(), claims: as('unit_admin', 'x-unit') })).status).toBe(403);
    expect((await invoke('createPlan', { body: planBody() })).status).toBe(401);
  });

  it('422 PREDECESSOR_UNKNOWN, 201 with a known predecessor', async () => {
    const r = await invoke('createPlan', { body: planBody({ predecessorPlanId: 'no-such-plan' }), claims: fed });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('PREDECESSOR_UNKNOWN');
    const prev = await createPlan({
      coverageStart: '2025-01-01',
      coverageEnd: '2025-12-31',
      enrolmentOpen: '2024-12-01',
      enrolmentClose: '2025-06-30',
    });
    const next = await invoke('createPlan', { body: planBody({ predecessorPlanId: prev.id }), claims: fed });
    expect(next.status).toBe(201);
    expect(next.body.predecessorPlanId).toBe(prev.id);
  });

  it('400 naming every broken rule: date order, bands, rates, fees, shares, ages', async () => {
    const r = await invoke('createPlan', {
      claims: fed,
      body: planBody({
        coverageStart: '2026-12-31',
        coverageEnd: '2026-01-01',
        enrolmentClose: '2027-03-01',
        contributionPerShareFen: 0,
        maxShares: 0,
        minAge: 60,
        maxAge: 18,
        benefit: {
          deductibleFen: 100,
          deductibleBasis: 'per_period',
          bands: [
            { uptoFen: 500, ratePermille: 1001 },
            { uptoFen: 400, ratePermille: 500 },
            { uptoFen: 900, ratePermille: 500 },
          ],
          capPerShareFen: 1,
        },
      }),
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    const paths: string[] = r.body.errors.map((e: { path: string }) => e.path);
    for (const p of ['body.contributionPerShareFen', 'body.maxShares', 'body.benefit.bands.0.ratePermille']) expect(paths).toContain(p);
    // Each date-order rule is named on its own field, with its own message (not one regex over them all).
    expect(r.body.errors).toEqual(
      expect.arrayContaining([
        { path: 'body.coverageEnd', message: '不能早于 coverageStart' },
        { path: 'body.enrolmentClose', message: '不能晚于 coverageEnd' },
        { path: 'body.maxAge', message: '最高年龄不能低于最低年龄' },
      ]),
    );
  });

  it('400 for semantic rules once the shapes are right', async () => {
    const r = await invoke('createPlan', {
      claims: fed,
      body: planBody({
        coverageStart: '2026-12-31',
        coverageEnd: '2026-01-01',
        minAge: 60,
        maxAge: 18,
        benefit: {
          ...planBody().benefit,
          bands: [
            { uptoFen: 500, ratePermille: 500 },
            { uptoFen: 400, ratePermille: 500 },
          ],
        },
      }),
    });
    expect(r.status).toBe(400);
    const paths: string[] = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths.some((p) => p.startsWith('body.coverage'))).toBe(true);
    expect(paths.some((p) => p.startsWith('body.benefit.bands'))).toBe(true);
    expect(paths.some((p) => p.endsWith('Age'))).toBe(true);
  });

  it('400 for floats in *Fen, impossible dates and unknown fields', async () => {
    const r = await invoke('createPlan', {
      claims: fed,
      body: { ...planBody({ contributionPerShareFen: 50.5, coverageStart: '2026-02-30' }), surprise: 1 },
    });
    expect(r.status).toBe(400);
    const paths: string[] = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.contributionPerShareFen', 'body.coverageStart']));
  });

  it('400 for dates outside 2000–2099 and coverage longer than 3 years; nothing is created', async () => {
    const far = await invoke('createPlan', {
      claims: fed,
      body: planBody({ enrolmentOpen: '0001-01-01', coverageEnd: '9999-12-31', enrolmentClose: '2026-12-31' }),
    });
    expect(far.status).toBe(400);
    expect(far.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.coverageEnd', 'body.enrolmentOpen']);
    const long = planBody({ coverageStart: '2026-01-01', coverageEnd: '2029-01-01' });
    const r = await invoke('createPlan', { claims: fed, body: long });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ path: 'body.coverageEnd', message: expect.stringContaining('3 年') }]);
    expect((await invoke('getPlan', { params: { id: long.id }, claims: fed })).status).toBe(404);
  });
});

describe('GET /plans', () => {
  it('lists plans page by page, 404 for an unknown one', async () => {
    const { office } = await createTree(0);
    const mine = [await createPlan(), await createPlan({ coverageStart: '2026-02-01', enrolmentOpen: '2026-01-01' })];
    const listed: { id: string; coverageStart: string }[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 500; i++) {
      const r = await invoke('listPlans', { query: { limit: 7, ...(cursor ? { cursor } : {}) }, claims: as('office_staff', office) });
      expect(r.status).toBe(200);
      listed.push(...(r.body.items as { id: string; coverageStart: string }[]));
      if (!r.body.nextCursor) break;
      cursor = r.body.nextCursor;
    }
    for (const p of mine) expect(listed.map((x) => x.id)).toContain(p.id);
    // A stable order: newest coverage first, then id (descending), across pages.
    const key = (p: { id: string; coverageStart: string }) => `${p.coverageStart}#${p.id}`;
    expect(listed.map(key)).toEqual(listed.map(key).sort().reverse());
    expect((await invoke('getPlan', { params: { id: uid('none') }, claims: fed })).status).toBe(404);
  });
});
