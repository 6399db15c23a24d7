import { idTokenClaims } from '../infra/local/jwt';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '../shared/ids';
import { esbuildOptions } from '../infra/bundling';
import { repoRoot } from '../infra/cors';
import { buildHttpEvent, lambdaContext } from '../infra/local/event';
import { asInvocation } from '../infra/local/invocation';
import type { Deps } from '../shared/deps';
import { s3Of } from '../shared/objects/client';
import { putObject } from '../shared/objects/inspect';
import { objectKeys } from '../shared/objects/keys';
import { keys } from '../shared/store/keys';
import { type RouteName, routes } from '../shared/http/routes';
import { prepareClaims } from './approvals';
import { median } from './stats';

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

interface Side {
  wallMs: number;
  cpuMs: number;
  /** Import of the bundle in a fresh process (median). */
  initMs: number;
  /** Import plus the first invocation in that fresh process: the cold start a caller waits for (median). */
  firstMs: number;
  bytes: number;
}
export interface CaseResult {
  name: string;
  prod: Side;
  bare: Side;
  dominant: { input: string; bytes: number }[];
}

/**
 * The functions measured, each against a bare bundle doing the same calls.
 * getClaim twice: a claim without documents (one GetItem, as the issue
 * compares: the same DynamoDB work) and one with two uploaded documents (the
 * usual case once a claim is submitted), whose bare bundle makes the same S3
 * calls and so carries the S3 client too.
 */
const CASES = [
  { name: 'createClaim', fn: 'createClaim', bare: 'createClaim' },
  { name: 'getClaim', fn: 'getClaim', bare: 'getClaim' },
  { name: 'getClaim, 2 documents', fn: 'getClaim', bare: 'getClaimWithDocuments' },
  { name: 'decideClaim', fn: 'decideClaim', bare: 'decideClaim' },
] as const;
type CaseName = (typeof CASES)[number]['name'];

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

/**
 * Measured invocations come in this many rounds, alternating which side goes
 * first. A sub-millisecond call's CPU moves ±10–20 % between windows of a
 * few hundred calls on this 2-core machine (GC and JIT threads count in the
 * process's CPU, DynamoDB Local's JVM competes for the cores): many short
 * alternating rounds and their median keep one burst from deciding a ratio.
 */
const ROUNDS = 20;

/**
 * One cold start in a fresh Node process, as Lambda's runtime does it: the
 * import of the bundle (init), then, given an event, its first invocation
 * (the first answer waits for both). Deps are built on first use, so part of
 * a handler's start-up only shows in the second figure.
 */
const coldStart = (file: string, event?: unknown): Promise<{ initMs: number; firstMs: number }> => {
  const script = [
    'const t0 = performance.now();',
    `const m = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const t1 = performance.now();',
    'let t2 = t1;',
    'if (process.env.COLD_EVENT) {',
    "  const ctx = { functionName: 'cold', awsRequestId: 'cold-start', getRemainingTimeInMillis: () => 29000 };",
    '  const r = await m.handler(JSON.parse(process.env.COLD_EVENT), ctx);',
    "  if (r.statusCode >= 300) throw new Error('first invocation answered ' + r.statusCode + ': ' + r.body);",
    '  t2 = performance.now();',
    '}',
    // Keep-alive sockets would hold the process open (Lambda freezes it instead): leave once written.
    'process.stdout.write(JSON.stringify({ initMs: t1 - t0, firstMs: t2 - t0 }), () => process.exit(0));',
  ].join('\n');
  const env: NodeJS.ProcessEnv = { ...process.env, ...(event === undefined ? {} : { COLD_EVENT: JSON.stringify(event) }) };
  delete env.AWS_LAMBDA_MAX_CONCURRENCY;
  // Asynchronously: s3rver runs in this process, and must keep answering while the child calls it.
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`cold start of ${file} failed (${signal ?? code}): ${err.slice(0, 500)}`));
      else resolve(JSON.parse(out) as { initMs: number; firstMs: number });
    });
  });
};

/** Medians of `runs` cold starts of each side, alternating prod and bare so neither runs on a warmer machine. */
const coldStarts = async (
  runs: number,
  prod: (i: number) => { file: string; event?: unknown },
  bare: (i: number) => { file: string; event?: unknown },
) => {
  const p: { initMs: number; firstMs: number }[] = [];
  const b: { initMs: number; firstMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const x = prod(i);
    const y = bare(i);
    if (i % 2 === 0) {
      p.push(await coldStart(x.file, x.event));
      b.push(await coldStart(y.file, y.event));
    } else {
      b.push(await coldStart(y.file, y.event));
      p.push(await coldStart(x.file, x.event));
    }
  }
  const med = (xs: { initMs: number; firstMs: number }[]) => ({
    initMs: median(xs.map((x) => x.initMs)),
    firstMs: median(xs.map((x) => x.firstMs)),
  });
  return { prod: med(p), bare: med(b) };
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
    for (const c of CASES) {
      entries[c.fn] = join(repoRoot, 'functions', c.fn, 'handler.ts');
      entries[`bare-${c.bare}`] = join(repoRoot, 'bench', 'bare', `${c.bare}.ts`);
    }
    const built = await build({ ...esbuildOptions(entries, outdir), absWorkingDir: repoRoot });
    const meta = built.metafile!;
    const file = (name: string) => join(outdir, `${name}.mjs`);
    const load = async (name: string) => ((await import(pathToFileURL(file(name)).href)) as { handler: Handler }).handler;

    const n = opts.warmup + opts.count;
    // Items for the warm invocations, then one more for each cold start (filing and deciding change what they touch).
    const m = n + opts.coldRuns;
    opts.log(`   preparing data: ${4 * m} members, ${2 * m} submitted claims…`);
    const tag = Date.now().toString(36);
    // Members with no claim yet (filing), and submitted claims one per member (decisions: no contention here).
    const fileProd = await prepareClaims(opts.deps, `${tag}fp`, m, 0, 800_000);
    const fileBare = await prepareClaims(opts.deps, `${tag}fb`, m, 0, 810_000);
    const decProd = await prepareClaims(opts.deps, `${tag}dp`, m, m, 820_000);
    const decBare = await prepareClaims(opts.deps, `${tag}db`, m, m, 830_000);

    const reviewer = (path: string[]) => idTokenClaims({ sub: 'bench-reviewer', role: 'office_staff', org: path[1]! });
    const clerk = (path: string[]) => idTokenClaims({ sub: 'bench-clerk', role: 'unit_admin', org: path[2]! });
    const event = (name: RouteName, params: Record<string, string>, body: unknown, claims: Record<string, string>) => {
      const r = routes[name];
      return buildHttpEvent({
        method: r.method,
        routePath: r.path,
        rawPath: r.path.replace(/\{(\w+)\}/g, (_m: string, k: string) => params[k] ?? ''),
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        pathParameters: params,
        body: body === undefined ? undefined : JSON.stringify(body),
        claims,
      });
    };
    const expectStatus = (r: { statusCode: number; body: string }, status: number, what: string) => {
      if (r.statusCode !== status) throw new Error(`${what} answered ${r.statusCode}: ${r.body.slice(0, 300)}`);
      return r;
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
    /**
     * The bare filing writes the very item the app wrote for its first claim
     * (breakdown, history and all), re-keyed to a new claim of a bare member:
     * the same bytes to marshal and send, not a smaller stand-in.
     */
    let template: { item: Record<string, unknown>; claimId: string; enrolmentId: string } | undefined;
    const loadTemplate = async () => {
      if (template) return;
      const claimId = created.prod[0]!;
      const got = await opts.deps.db.send(new GetCommand({ TableName: opts.deps.config.tableName, Key: keys.claim(claimId) }));
      const { pk: _pk, sk: _sk, ...item } = got.Item!;
      template = { item, claimId, enrolmentId: String(item.enrolmentId) };
    };
    const bareFiling = (i: number) => {
      const t = template!;
      const enrolmentId = fileBare.enrolments[i]!.enrolmentId;
      const claimId = `${newId()}${enrolmentId}`;
      const claim = JSON.parse(JSON.stringify(t.item).replaceAll(t.claimId, claimId).replaceAll(t.enrolmentId, enrolmentId)) as Record<
        string,
        unknown
      >;
      return { claimId, event: { body: JSON.stringify({ claim, unitId: fileBare.unit.id }) } };
    };
    const created: { prod: string[] } = { prod: [] };
    const prodEvent = {
      createClaim: (i: number) => event('createClaim', {}, filing(fileProd.enrolments[i]!.enrolmentId), clerk(fileProd.unit.path)),
      getClaim: (i: number) => event('getClaim', { id: created.prod[i]! }, undefined, clerk(fileProd.unit.path)),
      decideClaim: (i: number) =>
        event('decideClaim', { id: decProd.claims[i]!.claimId }, { decision: 'approve' }, reviewer(decProd.unit.path)),
    };
    const decideBare = (i: number) => ({
      pathParameters: { id: decBare.claims[i]!.claimId },
      body: JSON.stringify({ benefitFen: decBare.claims[i]!.estimatedBenefitFen }),
    });
    /** A claim with two uploaded documents (made before its case runs): invoice and discharge summary, real PDFs in S3. */
    let withDocuments = '';
    const addDocuments = async () => {
      const c = (await opts.deps.claims.get(created.prod[0]!, true))!;
      let record = c;
      const s3 = s3Of(opts.deps);
      for (const kind of ['invoice', 'discharge_summary'] as const) {
        const documentId = newId();
        const bytes = Buffer.from(`%PDF-1.7\n% ${kind}\n`.padEnd(2048, '.'));
        record = await opts.deps.claims.declareDocument(
          record,
          {
            documentId,
            kind,
            contentType: 'application/pdf',
            sizeBytes: bytes.length,
            declaredAt: new Date().toISOString(),
            declaredBy: 'bench',
          },
          new Date().toISOString(),
          {
            at: new Date().toISOString(),
            actor: 'bench',
            role: 'unit_admin',
            from: record.status,
            to: record.status,
            action: 'document_declared',
            documentId,
            documentKind: kind,
          },
        );
        await putObject(s3, opts.deps.config.bucketName, objectKeys.claimDocument(c.claimId, documentId), bytes, 'application/pdf');
      }
      withDocuments = c.claimId;
    };
    const documentsServed = (r: { body: string }, what: string) => {
      const docs = (JSON.parse(r.body) as { documents: { downloadUrl?: string }[] }).documents;
      if (docs.length !== 2 || docs.some((d) => !d.downloadUrl))
        throw new Error(`${what} did not serve both documents: ${r.body.slice(0, 300)}`);
    };

    /**
     * A bare invocation runs in an InvokeStore context like the app's
     * (asInvocation: the bench process is in Lambda's multi-concurrency mode,
     * as the local stack sets it), so both pay the same per-invocation
     * context propagation and only the handlers' own work differs.
     */
    const bareInvoke = (name: string, e: unknown) => asInvocation(() => bareHandlers[name]!(e));
    const invoke = async (name: 'createClaim' | 'getClaim' | 'decideClaim', e: ReturnType<typeof event>) =>
      asInvocation(() => prodHandlers[name]!(e, lambdaContext(name)), e.requestContext.requestId);

    interface Calls {
      prepare?: () => Promise<void>;
      prod: (i: number) => Promise<void>;
      bare: (i: number) => Promise<void>;
      /** The event of the i-th cold start (undefined: import only). */
      coldProd: (k: number) => unknown;
      coldBare: (k: number) => unknown;
    }
    const calls: Record<CaseName, Calls> = {
      createClaim: {
        prod: async (i) => {
          const r = expectStatus(await invoke('createClaim', prodEvent.createClaim(i)), 201, 'createClaim');
          created.prod.push(JSON.parse(r.body).claimId);
        },
        bare: async (i) => {
          await loadTemplate();
          expectStatus(await bareInvoke('createClaim', bareFiling(i).event), 201, 'bare createClaim');
        },
        coldProd: (k) => prodEvent.createClaim(n + k),
        coldBare: (k) => bareFiling(n + k).event,
      },
      getClaim: {
        prod: async (i) => void expectStatus(await invoke('getClaim', prodEvent.getClaim(i)), 200, 'getClaim'),
        // The same claims as the app reads: the same item to fetch and unmarshal.
        bare: async (i) =>
          void expectStatus(await bareInvoke('getClaim', { pathParameters: { id: created.prod[i]! } }), 200, 'bare getClaim'),
        coldProd: () => prodEvent.getClaim(0),
        coldBare: () => ({ pathParameters: { id: created.prod[0]! } }),
      },
      'getClaim, 2 documents': {
        prepare: addDocuments,
        prod: async () => {
          const e = event('getClaim', { id: withDocuments }, undefined, clerk(fileProd.unit.path));
          documentsServed(expectStatus(await invoke('getClaim', e), 200, 'getClaim'), 'getClaim');
        },
        bare: async () =>
          documentsServed(
            expectStatus(await bareInvoke('getClaimWithDocuments', { pathParameters: { id: withDocuments } }), 200, 'bare getClaim'),
            'bare getClaim',
          ),
        coldProd: () => event('getClaim', { id: withDocuments }, undefined, clerk(fileProd.unit.path)),
        coldBare: () => ({ pathParameters: { id: withDocuments } }),
      },
      decideClaim: {
        prod: async (i) => void expectStatus(await invoke('decideClaim', prodEvent.decideClaim(i)), 200, 'decideClaim'),
        bare: async (i) => void expectStatus(await bareInvoke('decideClaim', decideBare(i)), 200, 'bare decideClaim'),
        coldProd: (k) => prodEvent.decideClaim(n + k),
        coldBare: (k) => decideBare(n + k),
      },
    };
    const prodHandlers: Partial<Record<string, Handler>> = {};
    const bareHandlers: Partial<Record<string, Handler>> = {};
    for (const c of CASES) {
      prodHandlers[c.fn] ??= await load(c.fn);
      bareHandlers[c.bare] ??= await load(`bare-${c.bare}`);
    }
    const results: CaseResult[] = [];
    for (const c of CASES) {
      const k = calls[c.name];
      await k.prepare?.();
      opts.log(
        `   ${c.name}: warm-up ${opts.warmup}, then ${opts.count} invocations each in ${ROUNDS} rounds, bundled handler and bare SDK`,
      );
      for (let i = 0; i < opts.warmup; i++) {
        await k.prod(i);
        await k.bare(i);
      }
      // Rounds in alternating order, so neither side always runs on a warmer JVM; the median round of each side.
      const per = Math.floor(opts.count / ROUNDS);
      const prodRounds: { wallMs: number; cpuMs: number }[] = [];
      const bareRounds: { wallMs: number; cpuMs: number }[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const from = opts.warmup + r * per;
        const sides = [
          async () => prodRounds.push(await measure(per, (i) => k.prod(from + i))),
          async () => bareRounds.push(await measure(per, (i) => k.bare(from + i))),
        ];
        for (const side of r % 2 === 0 ? sides : sides.reverse()) await side();
      }
      const mid = (xs: { wallMs: number; cpuMs: number }[]) => ({
        wallMs: median(xs.map((x) => x.wallMs)),
        cpuMs: median(xs.map((x) => x.cpuMs)),
      });
      opts.log(`   ${c.name}: ${opts.coldRuns} cold starts each, in fresh processes`);
      const cold = await coldStarts(
        opts.coldRuns,
        (i) => ({ file: file(c.fn), event: k.coldProd(i) }),
        (i) => ({ file: file(`bare-${c.bare}`), event: k.coldBare(i) }),
      );
      const out = (name: string) => Object.keys(meta.outputs).find((o) => o.endsWith(`/${name}.mjs`))!;
      results.push({
        name: c.name,
        prod: { ...mid(prodRounds), ...cold.prod, bytes: statSync(file(c.fn)).size },
        bare: { ...mid(bareRounds), ...cold.bare, bytes: statSync(file(`bare-${c.bare}`)).size },
        dominant: dominantInputs(meta, out(c.fn)),
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
    `The bundles the stack deploys (infra/bundling.ts) imported from their output directory and invoked in this process with payload-2.0 events, one at a time, ${counts.warmup} warm-up invocations each (a container serves many: JIT-compiled code is the steady state), then ${counts.count} measured in ${ROUNDS} rounds alternating which side goes first (the median round of each side); bare: bundles of bench/bare/ making the same calls with nothing else. DynamoDB Local **${mode}**, s3rver for S3. CPU is this Node process (the handler's own work; DynamoDB Local's JVM is not counted).`,
    '',
    `Cold start, in fresh Node processes (median of ${counts.coldRuns}, prod and bare alternating): **init** is the import of the bundle (what Lambda's Init phase runs); **first answer** is init plus the first invocation, what the first caller waits for (the app builds its clients on first use, the bare bundles at import, so only this figure compares all of it).`,
    '',
    '| function | wall ms prod / bare | ratio | CPU ms prod / bare | ratio (goal ≤ 1.1) | init ms prod / bare | ratio (goal ≤ 1.2) | first answer ms prod / bare | ratio | bundle prod / bare | largest parts of the prod bundle |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.prod.wallMs)} / ${f(r.bare.wallMs)} | ${f(r.prod.wallMs / r.bare.wallMs)}× | ${f(r.prod.cpuMs)} / ${f(r.bare.cpuMs)} | ${verdict(r.prod.cpuMs / r.bare.cpuMs, INVOCATION_GOAL)} | ${f(r.prod.initMs, 1)} / ${f(r.bare.initMs, 1)} | ${verdict(r.prod.initMs / r.bare.initMs, INIT_GOAL)} | ${f(r.prod.firstMs, 1)} / ${f(r.bare.firstMs, 1)} | ${f(r.prod.firstMs / r.bare.firstMs)}× | ${kb(r.prod.bytes)} / ${kb(r.bare.bytes)} | ${r.dominant.map((d) => `${d.input} ${kb(d.bytes)}`).join(', ')} |`,
    ),
    ...sameBundleNote(rows, f),
  ].join('\n');
};

/**
 * The two getClaim rows time one and the same prod bundle against two bare
 * ones: DynamoDB only (what a claim without documents needs), and DynamoDB
 * with S3 (what one with documents needs). A bundle cannot know which claim
 * it will be asked for, so say what separates the two bare figures.
 */
const sameBundleNote = (rows: CaseResult[], f: (n: number, d?: number) => string): string[] => {
  const plain = rows.find((r) => r.name === 'getClaim');
  const docs = rows.find((r) => r.name === 'getClaim, 2 documents');
  if (!plain || !docs) return [];
  return [
    '',
    `Both getClaim rows are the same prod bundle (${f(plain.prod.initMs, 1)} and ${f(docs.prod.initMs, 1)} ms init). Against the bare bundle that can answer every GET /claims/{id} — DynamoDB and S3 clients, since a claim may have documents to check and link — its init is ${f(docs.prod.initMs / docs.bare.initMs)}×; against DynamoDB alone it is ${f(plain.prod.initMs / plain.bare.initMs)}×, and the difference is the S3 client (${f(docs.bare.initMs - plain.bare.initMs, 1)} ms between the two bare bundles), which any function reading receipts must carry.`,
  ];
};
