import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapStore } from '../../infra/local/bootstrap';
import { ENV } from '../../shared/config';
import { buildDeps } from '../../shared/deps';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries } from '../../shared/http/routes';
import { startTestGateway } from '../support/gateway';
import { idNumber } from '../support/fixtures';
import { uid } from '../support/invoke';

/**
 * Fuzzing (issue 19, SPEC §3/§7): generated malformed bodies, query strings,
 * headers, path parameters, oversized payloads and hostile files thrown at
 * every route through the local gateway, with a valid federation token (the
 * widest reach). Every answer is < 500, every 4xx is problem+json (the
 * gateway's own 401/413 aside), no answer echoes the personal data planted in
 * the request, and the table holds exactly what it held before.
 *
 * This file's handlers run on a table of their own (set in process.env before
 * any handler is loaded; each test file is its own process), so "nothing
 * changed" is a scan of that table, untouched by other test files.
 */
const suffix = uid('fz').slice(-10);
process.env[ENV.tableName] = `huzhu-fuzz-${suffix}`;
process.env[ENV.rootOrgId] = `fuzz-root-${suffix}`;
const ROOT = process.env[ENV.rootOrgId]!;

/** Planted personal data: a valid ID number, its birth date, a name and a phone. None may come back. */
const ID = idNumber('1977-08-19', 482, 44);
const SECRETS = [ID, '19770819', '1977-08-19', '欧阳震华', '13912345678'];

let gw: Awaited<ReturnType<typeof startTestGateway>>;
let token: string;
const world = { office: `fz-off-${suffix}`, unit: `fz-unit-${suffix}`, plan: `fz-plan-${suffix}` };

const scanAll = async () => {
  const deps = buildDeps();
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(new ScanCommand({ TableName: deps.config.tableName, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, unknown>[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.map((i) => JSON.stringify(i)).sort();
};

beforeAll(async () => {
  const deps = buildDeps();
  await bootstrapStore(deps.ddb, deps.config.tableName, ROOT, new Date());
  gw = await startTestGateway();
  token = await gw.token('federation_admin', ROOT);
  const post = async (path: string, body: unknown) => {
    const r = await fetch(`${gw.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (r.status !== 201) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  };
  await post('/orgs', { id: world.office, name: '办事处', kind: 'office', parentId: ROOT });
  await post('/orgs', { id: world.unit, name: '单位', kind: 'unit', parentId: world.office, headcount: 10 });
}, 120_000);

afterAll(() => gw?.stop());

/** Hostile strings for URLs (path and query): ids are not secret and may be named back, so no personal data here (SPEC §3 keeps it out of URLs). */
const urlString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u202e\u0000',
    '../../etc/passwd',
    '%00',
    '%',
    '%E4%B8',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '__proto__',
    'constructor',
    '9'.repeat(400),
    '-1',
    '1e309',
    'NaN',
    '2026-02-30',
    'null',
  ),
);
/** Hostile strings for bodies and headers, the planted personal data among them. */
const hostileString = fc.oneof(urlString, fc.constantFrom(...SECRETS));

/** A body: JSON-ish values around the planted data, broken JSON, deep nesting, prototype keys, or raw bytes. */
const hostileBody = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc
    .record({
      idNumber: hostileString,
      name: hostileString,
      members: fc.array(fc.record({ idNumber: hostileString, name: hostileString })),
    })
    .map((v) => JSON.stringify({ ...v, planId: world.plan, echo: ID })),
  fc.constantFrom(
    '{',
    '{"a":',
    `{"idNumber":"${ID}",}`,
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `{"members":[${Array.from({ length: 3000 }, () => `{"idNumber":"${ID}","name":"欧阳震华"}`).join(',')}]}`,
    '\uFEFF{}',
    'null',
    '[]',
    '"x"',
  ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
  // Hostile "files": a zip header (an .xlsx bomb's start), a PDF with script, GBK bytes, a CSV with formulas and the planted ID.
  fc.constantFrom(
    'PK\u0003\u0004\u0014\u0000\u0000\u0000\u0008\u0000',
    '%PDF-1.7\n/JS (app.alert(1))\n%%EOF',
    `身份证号,姓名\n${ID},=HYPERLINK("http://evil")\n`,
    `${ID},欧阳震华,1,13912345678\n`,
  ),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=gbk',
  'text/csv',
  'text/csv; charset=gb18030',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'text/plain',
  '',
  'application/merge-patch+json',
);

const request = fc.record({
  route: fc.constantFrom(...(routeEntries as [RouteName, RouteDef][])),
  params: fc.dictionary(fc.constantFrom('id', 'unitId', 'planId', 'importId', 'year', 'date', 'file', 'documentId'), urlString),
  realIds: fc.boolean(),
  query: fc.array(
    fc.tuple(fc.oneof(fc.constantFrom('limit', 'cursor', 'planId', 'orgId', 'purpose', 'status', 'year'), urlString), urlString),
    {
      maxLength: 4,
    },
  ),
  body: fc.option(hostileBody, { nil: undefined }),
  contentType,
  idempotencyKey: fc.option(hostileString, { nil: undefined }),
  acceptLanguage: fc.option(fc.constantFrom('en', 'zh-CN', '*', 'xx;q=abc', '\u0000'), { nil: undefined }),
});

const pathOf = (r: RouteDef, params: Record<string, string>, realIds: boolean) =>
  r.path.replace(/\{(\w+)\}/g, (_m, k: string) => {
    // Real ids only where nothing but the generated body/query decides: an action without a body on a real resource could succeed.
    const real = realIds && (r.method === 'GET' || r.body) ? { unitId: world.unit, id: world.unit, planId: world.plan }[k] : undefined;
    const v = real ?? params[k] ?? 'x';
    // Mostly encoded as a client would; sometimes raw (a broken percent-escape reaches the gateway as is).
    return /^[\x21-\x7e]*$/.test(v) && !v.includes('/') && !v.includes('?') && !v.includes('#') ? v : encodeURIComponent(v);
  });

describe('fuzzing every route through the local gateway', () => {
  it('malformed input never yields a 5xx, a non-problem 4xx, an echo of personal data or a state change', async () => {
    const before = await scanAll();
    const seen = new Map<number, number>();
    const runs = Number(process.env.FUZZ_RUNS ?? 300);
    await fc.assert(
      fc.asyncProperty(request, async (q) => {
        const [name, r] = q.route;
        const qs = new URLSearchParams(q.query).toString();
        const headers: Record<string, string> = { authorization: `Bearer ${token}` };
        if (q.contentType) headers['content-type'] = q.contentType;
        if (q.idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(q.idempotencyKey)) headers['idempotency-key'] = q.idempotencyKey;
        if (q.acceptLanguage && /^[\x20-\x7e]*$/.test(q.acceptLanguage)) headers['accept-language'] = q.acceptLanguage;
        const hasBody = q.body !== undefined && r.method !== 'GET';
        const res = await fetch(`${gw.base}${pathOf(r, q.params, q.realIds)}${qs ? `?${qs}` : ''}`, {
          method: r.method,
          headers,
          ...(hasBody ? { body: q.body } : {}),
        });
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const where = `${name} ${r.method} → ${res.status} ${text.slice(0, 200)}`;
        expect(res.status, where).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get('content-type'), where).toMatch(/^application\/problem\+json/);
          const body = JSON.parse(text);
          expect(body.status, where).toBe(res.status);
          expect(body.code, where).toMatch(/^[A-Z][A-Z_]+$/);
        }
        for (const s of SECRETS) expect(text.includes(s), `${where} echoes ${s}`).toBe(false);
      }),
      { numRuns: runs, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), endOnFailure: true },
    );
    // The runs reached the handlers' validation, not only the router.
    expect(seen.get(400) ?? 0).toBeGreaterThan(runs / 10);
    expect(await scanAll()).toEqual(before);
  }, 180_000);

  it('an oversized payload is 413 problem+json on every route that takes a body, before any function runs', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20);
    for (const [name, r] of (routeEntries as [RouteName, RouteDef][]).filter(([, r]) => r.body)) {
      const res = await fetch(`${gw.base}${pathOf(r, {}, true)}`, {
        method: r.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: big,
      });
      const text = await res.text();
      expect(`${name} ${res.status} ${res.headers.get('content-type')}`).toMatch(new RegExp(`^${name} 413 application/problem\\+json`));
      expect(JSON.parse(text).code).toBe('PAYLOAD_TOO_LARGE');
    }
  }, 120_000);
});
