import { beforeAll, describe, expect, it } from 'vitest';
import { makeDocClient, makeDynamoClient } from '../../shared/store/client';
import { loadConfig } from '../../shared/config';
import { as, invoke, uid } from '../support/invoke';

const fed = as('federation_admin', 'root');

/** A small tree per test file: root → office A (unit A1, agency A2) and office B (unit B1). */
const tree = { a: uid('oa'), a1: uid('ua'), a2: uid('ga'), b: uid('ob'), b1: uid('ub') };
const create = (body: Record<string, unknown>, claims = fed) => invoke('createOrg', { body, claims });

beforeAll(async () => {
  for (const [id, kind, parentId] of [
    [tree.a, 'office', 'root'],
    [tree.b, 'office', 'root'],
    [tree.a1, 'unit', tree.a],
    [tree.a2, 'agency', tree.a],
    [tree.b1, 'unit', tree.b],
  ] as const) {
    const r = await create({ id, name: `Org ${id}`, kind, parentId, ...(kind === 'unit' ? { headcount: 120 } : {}) });
    expect(r.status).toBe(201);
  }
});

describe('POST /orgs', () => {
  it('creates an org with its path and answers 201 + Location', async () => {
    const id = uid('u');
    const r = await create({ id, name: '第一机床厂工会', kind: 'unit', parentId: tree.a2, headcount: 0 }, as('office_staff', tree.a));
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/orgs/${id}`);
    expect(r.body).toMatchObject({
      id,
      kind: 'unit',
      parentId: tree.a2,
      path: ['root', tree.a, tree.a2, id],
      headcount: 0,
      name: '第一机床厂工会',
    });
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('401 without claims', async () => {
    const r = await invoke('createOrg', { body: { id: uid(), name: 'x', kind: 'office', parentId: 'root' } });
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(r.body.code).toBe('UNAUTHORIZED');
  });

  it('403 for a unit admin, and for an office creating under another branch', async () => {
    expect((await create({ id: uid(), name: 'x', kind: 'unit', parentId: tree.a1, headcount: 1 }, as('unit_admin', tree.a1))).status).toBe(
      403,
    );
    const r = await create({ id: uid(), name: 'x', kind: 'unit', parentId: tree.b, headcount: 1 }, as('office_staff', tree.a));
    expect(r.status).toBe(403);
    expect(r.body.code).toBe('FORBIDDEN');
  });

  it('403 for an unknown role claim', async () => {
    const r = await create({ id: uid(), name: 'x', kind: 'office', parentId: 'root' }, {
      sub: 'x',
      role: 'superuser',
      org: 'root',
    } as never);
    expect(r.status).toBe(403);
  });

  it('422 PARENT_IS_UNIT under a unit, 422 PARENT_UNKNOWN for a missing parent', async () => {
    const r = await create({ id: uid(), name: 'x', kind: 'unit', parentId: tree.a1, headcount: 3 });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('PARENT_IS_UNIT');
    const r2 = await create({ id: uid(), name: 'x', kind: 'office', parentId: 'no-such-org' });
    expect(r2.status).toBe(422);
    expect(r2.body.code).toBe('PARENT_UNKNOWN');
  });

  it('409 ALREADY_EXISTS on a taken id, also when racing', async () => {
    const id = uid();
    const results = await Promise.all(Array.from({ length: 6 }, () => create({ id, name: 'x', kind: 'office', parentId: 'root' })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'ALREADY_EXISTS')).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(5);
  });

  it('400 VALIDATION_FAILED naming every bad field', async () => {
    const r = await create({ id: '-bad', name: '', kind: 'planet', parentId: 'root', headcount: 1.5, extra: 1 });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    const paths = r.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.id', 'body.name', 'body.kind', 'body.headcount']));
    // The unknown key is reported too, on the body itself.
    expect(r.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: 'body', message: expect.stringMatching(/extra/) })]),
    );
  });

  it('400 when a unit has no headcount', async () => {
    const r = await create({ id: uid(), name: 'x', kind: 'unit', parentId: tree.a });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ path: 'body.headcount', message: '基层单位须填写职工人数' }]);
  });

  it.each([
    ['truncated JSON', '{"id":"x","name":'],
    ['a JSON array', '[1,2]'],
    ['a __proto__ key', '{"id":"abc","name":"x","kind":"office","parentId":"root","__proto__":{"admin":true}}'],
    ['a constructor key', '{"id":"abc","name":"x","kind":"office","parentId":"root","constructor":{"prototype":{}}}'],
    ['a 100 kB name', JSON.stringify({ id: 'abc', name: 'x'.repeat(100_000), kind: 'office', parentId: 'root' })],
    ['an empty body', ''],
    ['a huge number', '{"id":"abc","name":"x","kind":"unit","parentId":"root","headcount":1e400}'],
  ])('400 for %s, never 5xx', async (_label, raw) => {
    const r = await invoke('createOrg', { raw, headers: { 'content-type': 'application/json' }, claims: fed });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
  });

  it('415 for a body that is not JSON', async () => {
    const r = await invoke('createOrg', { raw: 'id=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, claims: fed });
    expect(r.status).toBe(415);
  });

  it('honours Idempotency-Key: same body replays, different body is 422', async () => {
    const id = uid();
    const key = uid('key');
    const body = { id, name: 'Idem', kind: 'office', parentId: 'root' };
    const first = await invoke('createOrg', { body, claims: fed, headers: { 'idempotency-key': key } });
    const again = await invoke('createOrg', { body, claims: fed, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await invoke('createOrg', { body: { ...body, name: 'Other' }, claims: fed, headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // The original record survives the mismatched retry.
    const third = await invoke('createOrg', { body, claims: fed, headers: { 'idempotency-key': key } });
    expect(third.status).toBe(201);
    // Without the key, the same body is a plain duplicate.
    expect((await create(body)).status).toBe(409);
    // A key must be 1–255 visible ASCII characters.
    for (const bad of ['', 'x'.repeat(256), 'ключ']) {
      const r = await invoke('createOrg', { body: { ...body, id: uid() }, claims: fed, headers: { 'idempotency-key': bad } });
      expect(r.status).toBe(400);
      expect(r.body.errors[0].path).toBe('headers.idempotency-key');
    }
  });
});

describe('GET /orgs/{id}', () => {
  it('returns the org with its path', async () => {
    const r = await invoke('getOrg', { params: { id: tree.a1 }, claims: as('office_staff', tree.a) });
    expect(r.status).toBe(200);
    expect(r.body.path).toEqual(['root', tree.a, tree.a1]);
    expect(Object.keys(r.body).sort()).toEqual(['createdAt', 'headcount', 'id', 'kind', 'name', 'parentId', 'path', 'updatedAt']);
  });
  it('404 unknown, 403 sibling or ancestor, 400 malformed id', async () => {
    expect((await invoke('getOrg', { params: { id: 'nope-nope' }, claims: fed })).status).toBe(404);
    expect((await invoke('getOrg', { params: { id: tree.b1 }, claims: as('office_staff', tree.a) })).status).toBe(403);
    expect((await invoke('getOrg', { params: { id: tree.a }, claims: as('unit_admin', tree.a1) })).status).toBe(403);
    expect((await invoke('getOrg', { params: { id: 'root' }, claims: as('office_staff', tree.a) })).status).toBe(403);
    const bad = await invoke('getOrg', { params: { id: '../x' }, claims: fed });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('params.id');
  });
  it('a unit admin reads its own unit', async () => {
    expect((await invoke('getOrg', { params: { id: tree.a1 }, claims: as('unit_admin', tree.a1) })).status).toBe(200);
  });
});

describe('GET /orgs/{id}/children', () => {
  it('pages through all children with opaque cursors', async () => {
    const parent = uid('p');
    expect((await create({ id: parent, name: 'P', kind: 'office', parentId: 'root' })).status).toBe(201);
    const ids = Array.from({ length: 7 }, () => uid('c'));
    for (const id of ids) expect((await create({ id, name: id, kind: 'unit', parentId: parent, headcount: 1 })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 10; i++) {
      const r = await invoke('listOrgChildren', {
        params: { id: parent },
        query: { limit: 3, ...(cursor ? { cursor } : {}) },
        claims: fed,
      });
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...r.body.items.map((o: { id: string }) => o.id));
      if (!r.body.nextCursor) break;
      cursor = r.body.nextCursor;
    }
    expect(seen.sort()).toEqual([...ids].sort());
  });
  it('rejects a cursor from another parent and garbage cursors with 400', async () => {
    const r = await invoke('listOrgChildren', { params: { id: 'root' }, query: { limit: 1 }, claims: fed });
    expect(r.body.nextCursor).toBeTruthy();
    const forged = await invoke('listOrgChildren', {
      params: { id: tree.a },
      query: { cursor: r.body.nextCursor },
      claims: as('office_staff', tree.a),
    });
    expect(forged.status).toBe(400);
    for (const cursor of ['%%%', 'bm90IGpzb24', Buffer.from('{"gsi1pk":1}').toString('base64url')]) {
      expect((await invoke('listOrgChildren', { params: { id: tree.a }, query: { cursor }, claims: fed })).status).toBe(400);
    }
  });
  it('400 for a limit outside 1..500, 403 outside scope', async () => {
    expect((await invoke('listOrgChildren', { params: { id: 'root' }, query: { limit: 0 }, claims: fed })).status).toBe(400);
    expect((await invoke('listOrgChildren', { params: { id: 'root' }, query: { limit: 501 }, claims: fed })).status).toBe(400);
    expect((await invoke('listOrgChildren', { params: { id: 'root' }, query: { limit: 'ten' }, claims: fed })).status).toBe(400);
    expect((await invoke('listOrgChildren', { params: { id: tree.b }, claims: as('office_staff', tree.a) })).status).toBe(403);
  });
});

describe('PATCH /orgs/{id}', () => {
  it('renames and changes headcount', async () => {
    const r = await invoke('patchOrg', {
      params: { id: tree.a1 },
      body: { name: '新名字', headcount: 300 },
      claims: as('office_staff', tree.a),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: tree.a1, name: '新名字', headcount: 300, path: ['root', tree.a, tree.a1] });
    const got = await invoke('getOrg', { params: { id: tree.a1 }, claims: fed });
    expect(got.body.name).toBe('新名字');
  });
  it('400 empty patch or unknown field, 403 unit admin or other branch, 404 unknown', async () => {
    expect((await invoke('patchOrg', { params: { id: tree.a1 }, body: {}, claims: fed })).status).toBe(400);
    expect((await invoke('patchOrg', { params: { id: tree.a1 }, body: { kind: 'office' }, claims: fed })).status).toBe(400);
    expect((await invoke('patchOrg', { params: { id: tree.a1 }, body: { name: 'x' }, claims: as('unit_admin', tree.a1) })).status).toBe(
      403,
    );
    expect((await invoke('patchOrg', { params: { id: tree.b1 }, body: { name: 'x' }, claims: as('office_staff', tree.a) })).status).toBe(
      403,
    );
    expect((await invoke('patchOrg', { params: { id: 'nope-nope' }, body: { name: 'x' }, claims: fed })).status).toBe(404);
  });
});

describe('PUT/GET /orgs/{id}/targets/{year}', () => {
  it('the federation sets an office target, the office its unit target', async () => {
    const r = await invoke('putTarget', {
      params: { id: tree.a, year: '2026' },
      body: { enrolmentTarget: 5000, contributionTargetFen: 25_000_000 },
      claims: fed,
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ orgId: tree.a, year: 2026, enrolmentTarget: 5000, contributionTargetFen: 25_000_000, setBy: fed.sub });
    const u = await invoke('putTarget', {
      params: { id: tree.a1, year: '2026' },
      body: { enrolmentTarget: 100 },
      claims: as('office_staff', tree.a, 'staff-1'),
    });
    expect(u.status).toBe(200);
    expect(u.body.contributionTargetFen).toBeNull();
    const got = await invoke('getTarget', { params: { id: tree.a1, year: '2026' }, claims: as('unit_admin', tree.a1) });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ enrolmentTarget: 100, setBy: 'staff-1' });
    // PUT replaces.
    await invoke('putTarget', { params: { id: tree.a1, year: '2026' }, body: { enrolmentTarget: 90 }, claims: fed });
    expect((await invoke('getTarget', { params: { id: tree.a1, year: '2026' }, claims: fed })).body.enrolmentTarget).toBe(90);
  });
  it('403 for its own target or another branch, 403 for unit admins', async () => {
    expect(
      (
        await invoke('putTarget', {
          params: { id: tree.a, year: '2026' },
          body: { enrolmentTarget: 1 },
          claims: as('office_staff', tree.a),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await invoke('putTarget', {
          params: { id: tree.b1, year: '2026' },
          body: { enrolmentTarget: 1 },
          claims: as('office_staff', tree.a),
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await invoke('putTarget', {
          params: { id: tree.a1, year: '2026' },
          body: { enrolmentTarget: 1 },
          claims: as('unit_admin', tree.a1),
        })
      ).status,
    ).toBe(403);
  });
  it("federation staff set the root's own target (nobody is above it); nobody else may", async () => {
    // A year no other test uses: the root of this shared table is everyone's.
    const put = (claims: Record<string, string>, enrolmentTarget: number) =>
      invoke('putTarget', { params: { id: 'root', year: '2039' }, body: { enrolmentTarget, contributionTargetFen: 123_456 }, claims });
    const r = await put(fed, 250_000);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ orgId: 'root', year: 2039, enrolmentTarget: 250_000, contributionTargetFen: 123_456, setBy: fed.sub });
    const got = await invoke('getTarget', { params: { id: 'root', year: '2039' }, claims: fed });
    expect(got.body).toMatchObject({ orgId: 'root', enrolmentTarget: 250_000 });
    // An office or a unit never reaches the root (403 before anything else); the root's target stays.
    expect((await put(as('office_staff', tree.a), 1)).status).toBe(403);
    expect((await put(as('unit_admin', tree.a1), 1)).status).toBe(403);
    expect((await invoke('getTarget', { params: { id: 'root', year: '2039' }, claims: fed })).body.enrolmentTarget).toBe(250_000);
  });

  it('400 for negative or fractional targets and bad years; 404 unknown org or unset target', async () => {
    const bad = await invoke('putTarget', {
      params: { id: tree.a, year: '20x6' },
      body: { enrolmentTarget: -1, contributionTargetFen: 10.5 },
      claims: fed,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.contributionTargetFen',
      'body.enrolmentTarget',
      'params.year',
    ]);
    expect(
      (await invoke('putTarget', { params: { id: 'nope-nope', year: '2026' }, body: { enrolmentTarget: 1 }, claims: fed })).status,
    ).toBe(404);
    expect((await invoke('getTarget', { params: { id: tree.b, year: '2031' }, claims: fed })).status).toBe(404);
  });
});

describe('store unavailable', () => {
  it('answers 503 with Retry-After when DynamoDB is unreachable', async () => {
    const config = { ...loadConfig(), dynamoEndpoint: 'http://127.0.0.1:9' };
    const ddb = makeDynamoClient(config);
    const db = makeDocClient(ddb);
    const r = await invoke('getOrg', {
      params: { id: tree.a },
      claims: fed,
      deps: { config, ddb, db },
    });
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.body.code).toBe('SERVICE_UNAVAILABLE');
  });
});
