import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER } from '../../infra/local/jwt';
import type { Role } from '../../shared/domain/scope';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries, routes } from '../../shared/http/routes';
import { buildWorld, CELLS, type Cell, matrix, principalOf, type Row, type World } from '../support/routeMatrix';
import { startTestGateway } from '../support/gateway';
import { invoke } from '../support/invoke';

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

let w: World;
beforeAll(async () => {
  w = await buildWorld();
}, 120_000);

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
          claims: principalOf(w, cell),
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
  let gw: Awaited<ReturnType<typeof startTestGateway>>;
  let base: string;
  const good: Record<string, string> = {};
  const bad: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startTestGateway();
    base = gw.base;
    const key = gw.key;
    const priv = await importJWK(key.privateJwk, 'ES256');
    const claims = { role: 'federation_admin', org: 'root', token_use: 'id' };
    const jwt = () => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid }).setSubject('matrix').setIssuedAt();
    // Valid, but outside every resource the requests name: it passes the authorizer and changes nothing.
    good.valid = await gw.token('unit_admin', w.a2);
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

  afterAll(() => gw?.stop());

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
