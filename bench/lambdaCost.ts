import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { ulid } from 'ulid';
import { esbuildOptions } from '../infra/bundling';
import { repoRoot } from '../infra/cors';
import { buildHttpEvent, lambdaContext } from '../infra/local/event';
import { asInvocation } from '../infra/local/invocation';
import type { Deps } from '../shared/deps';
import { type RouteName, routes } from '../shared/http/routes';
import { prepareClaims } from './approvals';

/**
 * What one Lambda invocation costs (issue 7, benchmark 2). The bundled
 * production handlers of POST /claims, GET /claims/{id} and the decision —
 * the very files the stack deploys (infra/bundling.ts) — are imported and
 * invoked in this process with payload-2.0 events (API Gateway does HTTP and
 * JWT in AWS, so no gateway here), one at a time after a warm-up; against
 * bare-SDK bundles (bench/bare/) making the same DynamoDB calls. Cold init
 * is the import of each bundle in a fresh Node process.
 */
type Handler = (event: unknown, context?: unknown) => Promise<{ statusCode: number; body: string }>;

export interface CaseResult {
  name: string;
  prod: { wallMs: number; cpuMs: number; initMs: number; bytes: number };
  bare: { wallMs: number; cpuMs: number; initMs: number; bytes: number };
  dominant: { input: string; bytes: number }[];
}

const CASES = ['createClaim', 'getClaim', 'decideClaim'] as const;

/** Bytes in the output by package (node_modules/<pkg>, or our own code), largest first. */
const dominantInputs = (meta: Metafile, out: string): { input: string; bytes: number }[] => {
  const byPkg = new Map<string, number>();
  for (const [path, v] of Object.entries(meta.outputs[out]?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
    const key = m ? m[1]! : path.startsWith('shared/') || path.startsWith('functions/') ? '(huzhu code)' : path;
    byPkg.set(key, (byPkg.get(key) ?? 0) + v.bytesInOutput);
  }
  return [...byPkg]
    .map(([input, bytes]) => ({ input, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 4);
};

/** Median import time of a bundle in fresh Node processes (the environment as the handler sees it in the stack). */
const coldInit = (file: string, runs: number): number => {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: process.env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cold init of ${file} failed: ${r.stderr.slice(0, 300)}`);
    samples.push(Number(r.stdout));
  }
  return samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;
};

/** Per-invocation wall and CPU of `n` sequential calls (after the caller's warm-up). */
const measure = async (n: number, call: (i: number) => Promise<void>) => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs: wall / n, cpuMs: (cpu.user + cpu.system) / 1000 / n };
};

export const lambdaCostBench = async (opts: {
  deps: Deps;
  warmup: number;
  count: number;
  coldRuns: number;
  log: (s: string) => void;
}): Promise<CaseResult[]> => {
  const outdir = mkdtempSync(join(tmpdir(), 'huzhu-cost-'));
  try {
    const entries: Record<string, string> = {};
    for (const n of CASES) {
      entries[n] = join(repoRoot, 'functions', n, 'handler.ts');
      entries[`bare-${n}`] = join(repoRoot, 'bench', 'bare', `${n}.ts`);
    }
    const built = await build({ ...esbuildOptions(entries, outdir), absWorkingDir: repoRoot });
    const meta = built.metafile!;
    const load = async (name: string) => ((await import(pathToFileURL(join(outdir, `${name}.mjs`)).href)) as { handler: Handler }).handler;

    const n = opts.warmup + opts.count;
    opts.log(`   preparing data: ${4 * n} members, ${2 * n} submitted claims…`);
    const tag = Date.now().toString(36);
    // Members with no claim yet (filing), and submitted claims one per member (decisions: no contention here).
    const fileProd = await prepareClaims(opts.deps, `${tag}fp`, n, 0, 800_000);
    const fileBare = await prepareClaims(opts.deps, `${tag}fb`, n, 0, 810_000);
    const decProd = await prepareClaims(opts.deps, `${tag}dp`, n, n, 820_000);
    const decBare = await prepareClaims(opts.deps, `${tag}db`, n, n, 830_000);

    const reviewer = (path: string[]) => ({ sub: 'bench-reviewer', role: 'office_staff', org: path[1]! });
    const clerk = (path: string[]) => ({ sub: 'bench-clerk', role: 'unit_admin', org: path[2]! });
    const event = (name: RouteName, params: Record<string, string>, body: unknown, claims: Record<string, string>) => {
      const r = routes[name];
      return buildHttpEvent({
        method: r.method,
        routePath: r.path,
        rawPath: r.path.replace(/\{(\w+)\}/g, (_m, k: string) => params[k] ?? ''),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        pathParameters: params,
        body: body === undefined ? undefined : JSON.stringify(body),
        claims,
      });
    };
    const expectStatus = (r: { statusCode: number; body: string }, status: number, what: string) => {
      if (r.statusCode !== status) throw new Error(`${what} answered ${r.statusCode}: ${r.body.slice(0, 300)}`);
    };
    const filing = (enrolmentId: string) => ({
      enrolmentId,
      hospital: '基准医院',
      admissionDate: '2026-03-02',
      dischargeDate: '2026-03-05',
      diagnosis: '基准诊断',
      accident: false,
      totalExpenseFen: 2_000_000,
      insuranceReimbursedFen: 0,
      selfPaidInScopeFen: 1_234_567,
    });
    const created: { prod: string[]; bare: string[] } = { prod: [], bare: [] };

    const calls: Record<(typeof CASES)[number], { prod: (i: number) => Promise<void>; bare: (i: number) => Promise<void> }> = {
      createClaim: {
        prod: async (i) => {
          const e = event('createClaim', {}, filing(fileProd.enrolments[i]!.enrolmentId), clerk(fileProd.unit.path));
          const r = await asInvocation(() => prodHandlers.createClaim!(e, lambdaContext('createClaim')), e.requestContext.requestId);
          expectStatus(r, 201, 'createClaim');
          created.prod.push(JSON.parse(r.body).claimId);
        },
        bare: async (i) => {
          const claimId = ulid();
          const claim = {
            claimId,
            ...filing(fileBare.enrolments[i]!.enrolmentId),
            status: 'draft',
            planId: fileBare.plan.id,
            unitId: fileBare.unit.id,
            version: 1,
          };
          expectStatus(
            await bareHandlers.createClaim!({ body: JSON.stringify({ claim, unitId: fileBare.unit.id }) }),
            201,
            'bare createClaim',
          );
          created.bare.push(claimId);
        },
      },
      getClaim: {
        prod: async (i) => {
          const e = event('getClaim', { id: created.prod[i]! }, undefined, clerk(fileProd.unit.path));
          expectStatus(
            await asInvocation(() => prodHandlers.getClaim!(e, lambdaContext('getClaim')), e.requestContext.requestId),
            200,
            'getClaim',
          );
        },
        bare: async (i) => expectStatus(await bareHandlers.getClaim!({ pathParameters: { id: created.bare[i]! } }), 200, 'bare getClaim'),
      },
      decideClaim: {
        prod: async (i) => {
          const e = event('decideClaim', { id: decProd.claims[i]!.claimId }, { decision: 'approve' }, reviewer(decProd.unit.path));
          expectStatus(
            await asInvocation(() => prodHandlers.decideClaim!(e, lambdaContext('decideClaim')), e.requestContext.requestId),
            200,
            'decideClaim',
          );
        },
        bare: async (i) =>
          expectStatus(
            await bareHandlers.decideClaim!({
              pathParameters: { id: decBare.claims[i]!.claimId },
              body: JSON.stringify({ benefitFen: decBare.claims[i]!.estimatedBenefitFen }),
            }),
            200,
            'bare decideClaim',
          ),
      },
    };
    const prodHandlers: Partial<Record<string, Handler>> = {};
    const bareHandlers: Partial<Record<string, Handler>> = {};
    for (const c of CASES) {
      prodHandlers[c] = await load(c);
      bareHandlers[c] = await load(`bare-${c}`);
    }
    const results: CaseResult[] = [];
    for (const c of CASES) {
      opts.log(`   ${c}: warm-up ${opts.warmup}, then ${opts.count} invocations each, bundled handler and bare SDK, alternating halves`);
      for (let i = 0; i < opts.warmup; i++) {
        await calls[c].prod(i);
        await calls[c].bare(i);
      }
      // Two halves in opposite order, so neither side always runs on a warmer JVM.
      const half = Math.floor(opts.count / 2);
      const a1 = await measure(half, (i) => calls[c].prod(opts.warmup + i));
      const b1 = await measure(half, (i) => calls[c].bare(opts.warmup + i));
      const b2 = await measure(opts.count - half, (i) => calls[c].bare(opts.warmup + half + i));
      const a2 = await measure(opts.count - half, (i) => calls[c].prod(opts.warmup + half + i));
      const avg = (x: { wallMs: number; cpuMs: number }, y: { wallMs: number; cpuMs: number }) => ({
        wallMs: (x.wallMs + y.wallMs) / 2,
        cpuMs: (x.cpuMs + y.cpuMs) / 2,
      });
      const out = (name: string) => Object.keys(meta.outputs).find((k) => k.endsWith(`/${name}.mjs`))!;
      results.push({
        name: c,
        prod: { ...avg(a1, a2), initMs: coldInit(join(outdir, `${c}.mjs`), opts.coldRuns), bytes: statSync(join(outdir, `${c}.mjs`)).size },
        bare: {
          ...avg(b1, b2),
          initMs: coldInit(join(outdir, `bare-${c}.mjs`), opts.coldRuns),
          bytes: statSync(join(outdir, `bare-${c}.mjs`)).size,
        },
        dominant: dominantInputs(meta, out(c)),
      });
    }
    return results;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
};

export const INVOCATION_GOAL = 1.1;
export const INIT_GOAL = 1.2;

export const renderLambdaCost = (rows: CaseResult[], mode: string, counts: { warmup: number; count: number; coldRuns: number }): string => {
  const f = (n: number, d = 2) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const kb = (b: number) => `${Math.round(b / 1024).toLocaleString('en-US')} KB`;
  const verdict = (ratio: number, goal: number) => `${f(ratio)}×${ratio <= goal ? '' : ' (over)'}`;
  return [
    `The bundles the stack deploys (infra/bundling.ts) imported from their output directory and invoked in this process with payload-2.0 events, one at a time, ${counts.warmup} warm-up invocations then ${counts.count} measured (two halves, in opposite order with the bare runs); bare: bundles of bench/bare/ making the same DynamoDB calls with nothing else. DynamoDB Local **${mode}**. CPU is this Node process (the handler's own work; DynamoDB Local's JVM is not counted). Cold init: the import of the bundle in a fresh Node process, median of ${counts.coldRuns}.`,
    '',
    '| function | wall ms prod / bare | ratio | CPU ms prod / bare | ratio (goal ≤ 1.1) | cold init ms prod / bare | ratio (goal ≤ 1.2) | bundle prod / bare | largest parts of the prod bundle |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.prod.wallMs)} / ${f(r.bare.wallMs)} | ${f(r.prod.wallMs / r.bare.wallMs)}× | ${f(r.prod.cpuMs)} / ${f(r.bare.cpuMs)} | ${verdict(r.prod.cpuMs / r.bare.cpuMs, INVOCATION_GOAL)} | ${f(r.prod.initMs, 1)} / ${f(r.bare.initMs, 1)} | ${verdict(r.prod.initMs / r.bare.initMs, INIT_GOAL)} | ${kb(r.prod.bytes)} / ${kb(r.bare.bytes)} | ${r.dominant.map((d) => `${d.input} ${kb(d.bytes)}`).join(', ')} |`,
    ),
  ].join('\n');
};
