import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, importJWK, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/http/logger';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, loadOrCreateKey, signToken } from '../../infra/local/jwt';
import { startLocalStack, type LocalStack } from '../../infra/local/stack';
import { routeEntries } from '../../shared/http/routes';
import type { Role } from '../../shared/domain/scope';
import { shanghaiToday } from '../../shared/domain/dates';
import { planOpenOn } from '../support/examplePlan';
import { idNumber } from '../support/fixtures';

/** The whole local stack over HTTP, with tokens as `npm run token` makes them. */
let stack: LocalStack;
let dir: string;
let key: Awaited<ReturnType<typeof loadOrCreateKey>>;
const token = (role: Role, org: string) => signToken(key, { sub: `${role}-${org}`, role, org });

const call = async (method: string, path: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
  const res = await fetch(`${stack.url}${path}`, {
    method,
    headers: {
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(opts.headers ?? {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'huzhu-e2e-'));
  stack = await startLocalStack({ port: 0, dataDir: dir, inMemory: true, tableName: 'huzhu-e2e', bucketName: 'huzhu-e2e' });
  key = await loadOrCreateKey(join(dir, 'jwt-key.json'));
}, 60_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('local stack over HTTP', () => {
  it('serves /health and /openapi.json without a token', async () => {
    const h = await call('GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body.status).toBe('ok');
    const doc = await call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    // Every route of the table is documented, with its method.
    for (const [name, r] of routeEntries) {
      expect(doc.body.paths[r.path]?.[r.method.toLowerCase()]?.operationId).toBe(name);
    }
    expect(doc.body.components.schemas.CreateOrg).toBeDefined();
  });

  it('runs the orgs API end to end with real tokens', async () => {
    const fed = await token('federation_admin', 'root');
    const office = await call('POST', '/orgs', {
      token: fed,
      body: { id: 'e2e-office', name: '东城区办事处', kind: 'office', parentId: 'root' },
    });
    expect(office.status).toBe(201);
    const staff = await token('office_staff', 'e2e-office');
    const unit = await call('POST', '/orgs', {
      token: staff,
      body: { id: 'e2e-unit', name: '机床厂工会', kind: 'unit', parentId: 'e2e-office', headcount: 800 },
    });
    expect(unit.status).toBe(201);
    expect(unit.headers.get('location')).toBe('/orgs/e2e-unit');
    const got = await call('GET', '/orgs/e2e-unit', { token: await token('unit_admin', 'e2e-unit') });
    expect(got.body.path).toEqual(['root', 'e2e-office', 'e2e-unit']);
    const target = await call('PUT', '/orgs/e2e-unit/targets/2026', { token: staff, body: { enrolmentTarget: 600 } });
    expect(target.status).toBe(200);
    const kids = await call('GET', '/orgs/e2e-office/children?limit=10', { token: staff });
    expect(kids.body.items.map((o: { id: string }) => o.id)).toEqual(['e2e-unit']);
    expect((await call('GET', '/orgs/root', { token: staff })).status).toBe(403);
  });

  it('enrols a CSV roster over HTTP and reads it back masked', async () => {
    const fed = await token('federation_admin', 'root');
    const plan = planOpenOn(shanghaiToday(new Date()), 'e2e-plan');
    expect((await call('POST', '/plans', { token: fed, body: plan })).status).toBe(201);
    const [a, b] = [idNumber('1985-02-03', 11), idNumber('1990-07-08', 22)];
    const res = await fetch(`${stack.url}/units/e2e-unit/enrolments?planId=e2e-plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await token('unit_admin', 'e2e-unit')}`, 'content-type': 'text/csv' },
      body: `\uFEFFidNumber,name,shares,phone\r\n${a},"张三",2,13800138000\r\n${b},李四,,\r\n${a},张三,1,\r\n`,
    });
    expect(res.status).toBe(200);
    const r = (await res.json()) as {
      accepted: number;
      enrolments: { row: number; enrolmentId: string }[];
      rejected: { row: number; code: string }[];
    };
    expect(r.accepted).toBe(2);
    expect(r.rejected).toEqual([expect.objectContaining({ row: 3, code: 'DUPLICATE_IN_REQUEST' })]);
    const got = await call('GET', `/enrolments/${r.enrolments[0]!.enrolmentId}`, { token: fed });
    expect(got.body).toMatchObject({
      name: '张三',
      shares: 2,
      contributionFen: 10000,
      idNumberMasked: `${a.slice(0, 6)}********${a.slice(14)}`,
    });
    expect(JSON.stringify(got.body)).not.toContain(a);
  });

  it('answers 401 as the JWT authorizer would, before any handler runs', async () => {
    const claims = { role: 'federation_admin', org: 'root' };
    const priv = await importJWK(key.privateJwk, 'ES256');
    const expired = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(priv);
    const wrongAud = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience('someone-else')
      .setExpirationTime('1h')
      .sign(priv);
    const wrongIss = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('x')
      .setIssuer('https://evil')
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(priv);
    const unsigned = new UnsecuredJWT(claims)
      .setSubject('x')
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .encode();
    const good = await token('federation_admin', 'root');
    const tampered = good.slice(0, -4) + (good.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const t of [undefined, 'garbage', expired, wrongAud, wrongIss, unsigned, tampered]) {
      const r = await call('GET', '/orgs/root', t === undefined ? {} : { token: t });
      // Exactly what API Gateway's JWT authorizer sends: its own body, not problem+json (SPEC §3).
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
      expect(r.body).toEqual({ message: 'Unauthorized' });
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    expect((await call('GET', '/orgs/root', { token: good })).status).toBe(200);
  });

  it('answers unknown routes with a 404 problem, a wrong method with 405 + Allow, and never a 5xx for junk', async () => {
    const nope = await call('GET', '/nope');
    expect(nope.status).toBe(404);
    expect(nope.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(nope.body.code).toBe('NOT_FOUND');
    const wrong = await call('DELETE', '/orgs/root');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PATCH');
    expect(wrong.body.code).toBe('METHOD_NOT_ALLOWED');
    expect((await call('PUT', '/plans')).headers.get('allow')).toBe('GET, POST');
    const fed = await token('federation_admin', 'root');
    const res = await fetch(`${stack.url}/orgs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fed}`, 'content-type': 'application/json' },
      body: '{"id":',
    });
    expect(res.status).toBe(400);
    expect((await call('GET', '/orgs/%E0%A4%A', { token: fed })).status).toBe(400);
  });

  it("keeps each request's log keys to that request when many run at once (per-invocation context)", async () => {
    const fed = await token('federation_admin', 'root');
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation(((c: unknown) => {
      lines.push(String(c));
      return true;
    }) as never);
    const levelReset = vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    logger.setLogLevel('INFO');
    const paths = Array.from({ length: 30 }, (_, i) => (i % 3 === 0 ? '/health' : i % 3 === 1 ? '/orgs/root' : '/plans?limit=1'));
    let answers: { path: string; requestId: string | null }[];
    try {
      answers = await Promise.all(
        paths.map(async (p) => {
          const r = await fetch(`${stack.url}${p}`, { headers: { authorization: `Bearer ${fed}` } });
          await r.text();
          return { path: p, requestId: r.headers.get('apigw-requestid') };
        }),
      );
    } finally {
      logger.setLogLevel('SILENT');
      levelReset.mockRestore();
      spy.mockRestore();
    }
    const logged = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { message: string; requestId?: string; route?: string })
      .filter((l) => l.message === 'request');
    const routeOf: Record<string, string> = { '/health': 'GET /health', '/orgs/root': 'GET /orgs/{id}', '/plans?limit=1': 'GET /plans' };
    for (const a of answers) {
      const mine = logged.filter((l) => l.requestId === a.requestId);
      expect(mine, a.path).toHaveLength(1);
      expect(mine[0]!.route).toBe(routeOf[a.path]);
    }
  });

  it('answers CORS preflight for configured origins only', async () => {
    const ok = await fetch(`${stack.url}/orgs`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(ok.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const no = await fetch(`${stack.url}/orgs`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(no.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the API reference page (SPEC §8: GET /docs, no outside network; / leads there)', () => {
  it('/ links to the page, which loads only files this API serves', async () => {
    const root = await fetch(`${stack.url}/`);
    expect(root.status).toBe(200);
    expect(root.headers.get('content-security-policy')).toContain("default-src 'none'");
    const home = await root.text();
    expect(home).toContain('lang="zh-CN"');
    expect(home).not.toMatch(/<script/);
    const links = [...home.matchAll(/href="([^"]+)"/g)].map((m) => new URL(m[1]!, `${stack.url}/`));
    for (const u of links) expect((await fetch(u)).status, u.pathname).toBe(200);
    const page = links.find((u) => u.pathname === '/docs')!;
    expect(page).toBeDefined();
    const res = await fetch(page);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    const html = await res.text();
    expect(html).toContain('lang="zh-CN"');
    // No inline script: every <script> has a src, and no URL names another host.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => new URL(m[1]!, page));
    expect(refs.map((u) => u.pathname).sort()).toEqual([
      '/docs/init.js',
      '/docs/swagger-ui-bundle.js',
      '/docs/swagger-ui.css',
      '/openapi.json',
    ]);
    for (const u of refs) {
      const r = await fetch(u);
      expect(r.status, u.pathname).toBe(200);
      expect((await r.arrayBuffer()).byteLength, u.pathname).toBeGreaterThan(100);
    }
    // The start script points the renderer at this API's own document.
    expect(await (await fetch(new URL('/docs/init.js', page))).text()).toContain("url: 'openapi.json'");
  });

  it('serves the renderer gzipped to clients that accept it, and 404 problem+json for any other file', async () => {
    const plain = await fetch(`${stack.url}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'identity' } });
    const js = await plain.text();
    expect(plain.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js).toContain('SwaggerUIBundle');
    // fetch() decodes gzip itself: the same text arrives, in fewer bytes on the wire.
    const gz = await fetch(`${stack.url}/docs/swagger-ui-bundle.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(Number(gz.headers.get('content-length'))).toBeLessThan(js.length / 2);
    expect(await gz.text()).toBe(js);
    for (const bad of ['index.html', '..%2Fpackage.json', 'constructor']) {
      const r = await fetch(`${stack.url}/docs/${bad}`);
      expect(r.status, bad).toBe(404);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });
});

describe('the local gateway at its limits (as API Gateway: 10 MiB bodies)', () => {
  it('answers a body over 10 MiB with 413 problem+json instead of resetting the connection', async () => {
    const { request } = await import('node:http');
    const url = new URL(`${stack.url}/orgs`);
    const big = Buffer.alloc(11 * 1024 * 1024, 0x61);
    const bearer = await token('federation_admin', 'root');
    for (const declared of [true, false]) {
      // Declared (Content-Length) and streamed (chunked) bodies alike.
      const answer = await new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: {
              authorization: `Bearer ${bearer}`,
              'content-type': 'application/json',
              ...(declared ? { 'content-length': String(big.length) } : {}),
            },
          },
          (res) => {
            let text = '';
            res.on('data', (c: Buffer) => (text += c.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body: text }));
          },
        );
        req.on('error', reject);
        req.end(big);
      });
      expect(answer.status, `declared=${declared}`).toBe(413);
      expect(answer.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    }
  });
});
