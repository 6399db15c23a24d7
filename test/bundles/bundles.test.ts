import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { ulid } from 'ulid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling';
import { type Lockfile, packageKey } from '../../infra/ci/supplyChain';
import { repoRoot } from '../../infra/cors';
import { buildHttpEvent, lambdaContext } from '../../infra/local/event';
import { shanghaiToday } from '../../shared/domain/dates';
import { readsSecrets } from '../../shared/http/handler';
import type { RouteDef } from '../../shared/http/route';
import { type RouteName, routeEntries, routes } from '../../shared/http/routes';
import { responseSchemas } from '../../shared/http/schemas/responses';
import * as z from '../../shared/http/schemas/zod';
import { jobEntries } from '../../shared/jobs';
import { planOpenOn } from '../support/examplePlan';
import { idNumber } from '../support/fixtures';

/**
 * Runs the bundles Lambda runs: every function built by esbuild with the
 * stack's own bundling options (infra/bundling.ts), imported from the output
 * directory (no TypeScript, no node_modules beside it) and invoked once with a
 * payload-2.0 event carrying JWT claims the way API Gateway passes them for a
 * Cognito ID token (strings, `custom:` attributes). A bundling break — ESM vs
 * require, a missing or dev-only module — fails here instead of in AWS.
 */
type Bundle = {
  handler: (event: unknown, context: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;
};
let outdir: string;
const bundles = new Map<string, Bundle>();
let metafile: Metafile;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'huzhu-bundles-'));
  const names = [...routeEntries.map(([n]) => n as string), ...jobEntries.map(([n]) => n as string)];
  const entries = Object.fromEntries(names.map((n) => [n, join(repoRoot, 'functions', n, 'handler.ts')]));
  const result = await build({ ...esbuildOptions(entries, outdir), absWorkingDir: repoRoot });
  expect(result.errors).toEqual([]);
  metafile = result.metafile!;
  // Package files a function serves go into assets/ beside the bundle, as the stack's bundling hook puts them.
  mkdirSync(join(outdir, 'assets'));
  for (const [, r] of routeEntries as [string, RouteDef][]) {
    for (const f of r.files ?? [])
      copyFileSync(createRequire(join(repoRoot, 'package.json')).resolve(f), join(outdir, 'assets', basename(f)));
  }
  for (const n of names) bundles.set(n, (await import(pathToFileURL(join(outdir, `${n}.mjs`)).href)) as Bundle);
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Claims as the HTTP API JWT authorizer passes a Cognito ID token's: every value a string. */
const cognitoClaims = (role: string, org: string) => ({
  sub: `bundle-${role}`,
  'custom:role': role,
  'custom:org': org,
  token_use: 'id',
  iss: 'https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Example',
  aud: 'example-client',
  exp: String(Math.floor(Date.now() / 1000) + 3600),
});

const call = async (
  name: RouteName,
  req: { params?: Record<string, string>; query?: string; body?: unknown; role?: string; org?: string },
) => {
  const r = routes[name];
  const rawPath = r.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(req.params?.[k] ?? ''));
  const event = buildHttpEvent({
    method: r.method,
    routePath: r.path,
    rawPath,
    rawQueryString: req.query ?? '',
    headers: req.body === undefined ? {} : { 'content-type': 'application/json' },
    pathParameters: req.params,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    claims: r.auth ? cognitoClaims(req.role ?? 'federation_admin', req.org ?? 'root') : undefined,
  });
  const res = await bundles.get(name)!.handler(event, lambdaContext(name));
  const isJson = /json/.test(res.headers['content-type'] ?? '');
  return { status: res.statusCode, body: isJson ? JSON.parse(res.body) : res.body, headers: res.headers };
};

describe('bundled functions (the build the stack deploys)', () => {
  const run = ulid().toLowerCase().slice(-10);
  const office = `bo-${run}`;
  const unitA = `bua-${run}`;
  const unitB = `bub-${run}`;
  const planId = `bp-${run}`;
  const state: { enrolmentId?: string; claimId?: string; documentId?: string; importId?: string } = {};
  const today = shanghaiToday(new Date());
  const clerkA = { role: 'unit_admin', org: unitA };

  /** One invocation per route, in an order that makes each meaningful; the expected status proves the handler ran. */
  const scenario: [RouteName, () => Parameters<typeof call>[1], number][] = [
    ['health', () => ({}), 200],
    ['home', () => ({}), 200],
    ['docs', () => ({}), 200],
    ['docsAsset', () => ({ params: { file: 'swagger-ui.css' } }), 200],
    ['openapi', () => ({}), 200],
    ['getOrg', () => ({ params: { id: 'root' } }), 200],
    ['createOrg', () => ({ body: { id: office, name: '办事处', kind: 'office', parentId: 'root' } }), 201],
    ['patchOrg', () => ({ params: { id: office }, body: { name: '东城区办事处' } }), 200],
    ['listOrgChildren', () => ({ params: { id: 'root' }, query: 'limit=5' }), 200],
    ['putTarget', () => ({ params: { id: office, year: '2026' }, body: { enrolmentTarget: 100 } }), 200],
    ['getTarget', () => ({ params: { id: office, year: '2026' } }), 200],
    ['createPlan', () => ({ body: planOpenOn(shanghaiToday(new Date()), planId) }), 201],
    ['getPlan', () => ({ params: { id: planId } }), 200],
    ['listPlans', () => ({ query: 'limit=2' }), 200],
    [
      'simulatePlan',
      () => ({ params: { id: planId }, body: { contributionPerShareFen: 6000, benefit: planOpenOn(today, planId).benefit } }),
      200,
    ],
    [
      'enrolMembers',
      () => ({ params: { unitId: unitA }, body: { planId, members: [{ idNumber: idNumber('1979-04-05', 777, 33), name: '李雷' }] } }),
      200,
    ],
    ['listUnitEnrolments', () => ({ params: { unitId: unitA }, query: `planId=${planId}` }), 200],
    ['getEnrolment', () => ({ params: { id: state.enrolmentId! } }), 200],
    ['getIdentity', () => ({ params: { id: state.enrolmentId! }, query: 'purpose=member_service' }), 200],
    ['listIdentityAccess', () => ({ query: 'limit=5' }), 200],
    ['patchEnrolment', () => ({ ...clerkA, params: { id: state.enrolmentId! }, body: { name: '李蕾' } }), 200],
    ['lookupEnrolments', () => ({ ...clerkA, body: { idNumber: idNumber('1979-04-05', 777, 33) } }), 200],
    // An accident claim of today (no waiting period), taken through the states a bundle can reach without uploads.
    [
      'createClaim',
      () => ({
        ...clerkA,
        body: {
          enrolmentId: state.enrolmentId!,
          hospital: '市第一医院',
          admissionDate: today,
          dischargeDate: today,
          diagnosis: '骨折',
          accident: true,
          totalExpenseFen: 100_000,
          insuranceReimbursedFen: 0,
          selfPaidInScopeFen: 50_000,
        },
      }),
      201,
    ],
    // A claim was filed on it, so a cancellation is refused (409 ENROLMENT_IN_FORCE).
    ['cancelEnrolment', () => ({ params: { id: state.enrolmentId! }, body: { reason: '录入错误' } }), 409],
    ['getClaim', () => ({ ...clerkA, params: { id: state.claimId! } }), 200],
    ['listClaims', () => ({ query: `orgId=${unitA}` }), 200],
    [
      'declareClaimDocument',
      () => ({
        ...clerkA,
        params: { id: state.claimId! },
        body: { kind: 'invoice', fileName: 'fp.pdf', contentType: 'application/pdf', sizeBytes: 1000 },
      }),
      201,
    ],
    ['removeClaimDocument', () => ({ ...clerkA, params: { id: state.claimId!, documentId: state.documentId! } }), 200],
    ['submitClaim', () => ({ ...clerkA, params: { id: state.claimId! } }), 422],
    ['decideClaim', () => ({ params: { id: state.claimId! }, body: { decision: 'approve' } }), 409],
    ['withdrawClaim', () => ({ ...clerkA, params: { id: state.claimId! } }), 200],
    ['createPayment', () => ({ body: { claimIds: [state.claimId!], paidDate: today, reference: 'bundle' } }), 409],
    ['getPayment', () => ({ params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 404],
    ['listDisclosures', () => ({ params: { planId } }), 200],
    [
      'createRosterImport',
      () => ({ ...clerkA, params: { unitId: unitA }, body: { planId, fileName: 'r.csv', contentType: 'text/csv', sizeBytes: 100 } }),
      201,
    ],
    ['getRosterImport', () => ({ ...clerkA, params: { importId: state.importId! } }), 200],
    ['listReports', () => ({}), 200],
    ['getReport', () => ({ params: { date: '2001-01-01' } }), 404],
    ['transferEnrolment', () => ({ params: { id: state.enrolmentId! }, body: { toUnitId: unitB } }), 200],
    [
      'putEvaluationRules',
      () => ({
        params: { year: '2031' },
        body: {
          planIds: [planId],
          checkpoints: [{ id: 'half-year', date: '2031-06-30', requiredCompletionPermille: 500 }],
          rewardRatePermille: 50,
          tiers: [{ minCompletionPermille: 500, multiplierPermille: 1000 }],
        },
      }),
      200,
    ],
    ['createEvaluation', () => ({ body: { year: 2031, checkpointId: 'half-year' } }), 409],
    ['approveEvaluation', () => ({ params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 404],
    ['payoutEvaluation', () => ({ params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, body: { paidDate: today, reference: 'bundle' } }), 404],
    ['listEvaluations', () => ({ query: 'year=2031' }), 200],
    ['getEvaluation', () => ({ params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } }), 404],
  ];

  it('every route has a step in the scenario', () => {
    expect(scenario.map(([n]) => n).sort()).toEqual(routeEntries.map(([n]) => n).sort());
  });

  it('each bundle answers as its TypeScript source does (statuses, problem+json)', async () => {
    // Units for the enrolment steps, through the createOrg bundle.
    for (const id of [unitA, unitB]) {
      expect((await call('createOrg', { body: { id, name: id, kind: 'unit', parentId: 'root', headcount: 10 } })).status).toBe(201);
    }
    for (const [name, req, status] of scenario) {
      const r = await call(name, req());
      expect(`${name} ${r.status}`, JSON.stringify(r.body)).toBe(`${name} ${status}`);
      if (name === 'enrolMembers') state.enrolmentId = r.body.enrolments[0].enrolmentId;
      if (name === 'createClaim') state.claimId = r.body.claimId;
      if (name === 'declareClaimDocument') state.documentId = r.body.documentId;
      if (name === 'createRosterImport') state.importId = r.body.importId;
    }
    // Unhappy paths come out as problem+json from the bundle too.
    const bad = await call('getOrg', { params: { id: 'no-such-org-x' } });
    expect(bad.status).toBe(404);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    const wrongRole = await call('createPlan', { body: {}, role: 'unit_admin', org: unitA });
    expect(wrongRole.status).toBe(403);
  }, 60_000);

  it('the nightly report and roster import jobs run from their bundles', async () => {
    const summary = await bundles.get('nightlyReport')!.handler({ date: '2026-06-30' }, lambdaContext('nightlyReport'));
    expect(JSON.stringify(summary)).toContain('2026-06-30');
    const got = await call('getReport', { params: { date: '2026-06-30' } });
    expect(got.status).toBe(200);
    expect(got.body.date).toBe('2026-06-30');
    // An S3 event for a key that is no roster upload is ignored, harmlessly.
    const ignored = await bundles
      .get('rosterImport')!
      .handler(
        { Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: 'huzhu-test' }, object: { key: 'claims/x/y', size: 1 } } }] },
        lambdaContext('rosterImport'),
      );
    expect(ignored).toEqual([]);
  });

  it('each function bundles only the schemas of its own route (schemas are most of what zod costs at cold start)', () => {
    const idOf = (schema: unknown) => z.globalRegistry.get(schema as z.ZodMiniType)?.id as string | undefined;
    const bodyIds = routeEntries.flatMap(([, r]: [string, RouteDef]) => (r.body ? [idOf(r.body)!] : []));
    const named = new Set([...bodyIds, ...Object.values(responseSchemas).map((s) => idOf(s)!)]);
    expect(bodyIds.length).toBeGreaterThan(5);
    for (const [name, r] of routeEntries as [string, RouteDef][]) {
      // The document describes every route; the catch-all only matches paths.
      if (name === 'openapi') continue;
      const text = readFileSync(join(outdir, `${name}.mjs`), 'utf8');
      const found = [...text.matchAll(/\bid:"(\w+)"/g)].map((m) => m[1]!).filter((id) => named.has(id));
      expect([...new Set(found)], name).toEqual(r.body ? [idOf(r.body)] : []);
    }
  });

  it('only the functions granted a secret bundle the Secrets Manager client', () => {
    const granted = [...routeEntries, ...jobEntries].filter(([, d]) => readsSecrets(d as RouteDef)).map(([n]) => n as string);
    expect(granted).toEqual(expect.arrayContaining(['listClaims', 'enrolMembers', 'rosterImport']));
    for (const [name] of [...routeEntries, ...jobEntries]) {
      const text = readFileSync(join(outdir, `${name}.mjs`), 'utf8');
      expect(`${name}: ${text.includes('"secretsmanager"')}`).toBe(`${name}: ${granted.includes(name)}`);
    }
  });

  it('the catch-all answers 404, and 405 with Allow for a known path', async () => {
    const h = bundles.get('notFound')!.handler;
    const nf = await h(buildHttpEvent({ method: 'GET', routePath: '$default', rawPath: '/nope' }), lambdaContext('notFound'));
    expect(nf.statusCode).toBe(404);
    const wrong = await h(buildHttpEvent({ method: 'DELETE', routePath: '$default', rawPath: '/orgs/root' }), lambdaContext('notFound'));
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.allow).toBe('GET, PATCH');
  });

  it('ensureRoot answers CloudFormation through the response URL', async () => {
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        received.push(body);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const event = {
        RequestType: 'Create',
        ServiceToken: 'arn',
        ResponseURL: `http://127.0.0.1:${port}/cfn`,
        StackId: 'stack',
        RequestId: 'req-1',
        LogicalResourceId: 'RootOrg',
        ResourceType: 'Custom::HuzhuRootOrg',
        ResourceProperties: { ServiceToken: 'arn', RootOrgId: 'root' },
      };
      await bundles.get('ensureRoot')!.handler(event, lambdaContext('ensureRoot'));
      expect(JSON.parse(received[0]!)).toMatchObject({ Status: 'SUCCESS', RequestId: 'req-1', PhysicalResourceId: 'huzhu-root-org-root' });
    } finally {
      server.close();
    }
  });

  it('no function bundles a package the lockfile marks dev-only (esbuild metafile)', () => {
    const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as Lockfile;
    const inputs = Object.keys(metafile.inputs);
    const fromPackages = inputs.map(packageKey).filter((k): k is string => k !== undefined);
    expect(fromPackages.length).toBeGreaterThan(100);
    const devOnly = [...new Set(fromPackages)].filter((k) => lock.packages[k]?.dev === true);
    const unknown = [...new Set(fromPackages)].filter((k) => !lock.packages[k]);
    expect({ devOnly, unknown }).toEqual({ devOnly: [], unknown: [] });
  });

  it('a function bundles the personal-data vault exactly when its permissions grant personal data (else it fails in AWS: no key)', () => {
    // Locally every function can open the vault (local keys); in AWS only a function granted `pii` gets the KMS
    // key and the HMAC secret. A handler that starts unsealing names without the grant passes every local test
    // and answers 500 in AWS: the esbuild metafile shows which bundles can reach the vault at all.
    const reaches = (name: string) => {
      const [, out] = Object.entries(metafile.outputs).find(([file]) => file.endsWith(`/${name}.mjs`))!;
      return Object.keys(out.inputs).some((i) => i.endsWith('shared/pii/fromConfig.ts'));
    };
    const defs: [string, { permissions?: RouteDef['permissions'] }][] = [...routeEntries, ...jobEntries];
    const mismatched = defs.flatMap(([name, d]) => {
      const granted = d.permissions?.pii !== undefined;
      return reaches(name) === granted ? [] : [`${name}: bundles the vault ${reaches(name)}, granted personal data ${granted}`];
    });
    expect(defs.filter(([name]) => reaches(name)).length).toBeGreaterThan(5);
    expect(mismatched).toEqual([]);
  });

  it('every bundle imports in a plain node process (no vitest-supplied require), its handler a function', async () => {
    const names = [...routeEntries, ...jobEntries].map(([n]) => n as string);
    const script = `for (const n of ${JSON.stringify(names)}) { const m = await import('./' + n + '.mjs'); if (typeof m.handler !== 'function') throw new Error(n + ': no handler'); } process.stdout.write('IMPORTED ' + ${names.length});`;
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|VITEST|TSX)/.test(k)));
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: outdir,
      env,
      timeout: 60_000,
    });
    expect(stdout).toBe(`IMPORTED ${names.length}`);
  }, 90_000);

  it('bundles are self-contained ESM files of a sensible size', () => {
    for (const [name] of [...routeEntries, ...jobEntries]) {
      const size = statSync(join(outdir, `${name}.mjs`)).size;
      expect(size, name).toBeGreaterThan(1000);
      expect(size, name).toBeLessThan(5 * 1024 * 1024);
    }
  });
});
