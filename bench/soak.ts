/**
 * `npm run soak` (issue 19): a bounded soak over loopback. Starts its own
 * local stack (DynamoDB Local in memory, s3rver, the gateway on 127.0.0.1),
 * then 32 workers mix enrolment, claims (file, receipts, submit), approvals,
 * payments and reads for SOAK_SECONDS (default 60); a tenth of the creating
 * requests are sent twice with the same Idempotency-Key (a client retry).
 * It fails (exit 1) on any 5xx, any answer it did not expect, any lost or
 * duplicated write (every enrolment and claim the workers were told about is
 * listed exactly once, in the state they left it), or any reconcile drift.
 * Figures go to bench/results.md (the "Soak" section).
 */
import { postPresignedForm } from '../infra/local/forms';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ulid } from 'ulid';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = process.env.SOAK_LOG_LEVEL ?? 'WARN';
process.env.DYNAMO_START_SECONDS ??= '120';

const { startLocalStack } = await import('../infra/local/stack');
const { loadOrCreateKey, signToken } = await import('../infra/local/jwt');
const { buildDeps } = await import('../shared/deps');
const { shanghaiToday } = await import('../shared/domain/dates');
const { runReconcile, driftLine } = await import('../shared/report/reconcileRun');
const { makeClient } = await import('./http');
const { members, openPlanBody } = await import('./fixtures');

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.SOAK_CONCURRENCY ?? 32);
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

type Op = 'enrol' | 'claim' | 'approve' | 'pay' | 'read';
const WEIGHTS: [Op, number][] = [
  ['enrol', 3],
  ['claim', 3],
  ['approve', 2],
  ['pay', 1],
  ['read', 4],
];

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-soak-'));
  const started = Date.now();
  const stack = await startLocalStack({ port: 0, dataDir: dir, inMemory: true, tableName: 'huzhu-soak', bucketName: 'huzhu-soak' });
  const startupMs = Date.now() - started;
  try {
    const key = await loadOrCreateKey(join(dir, 'jwt-key.json'));
    const today = shanghaiToday(new Date());
    const http = makeClient(stack.url.replace('localhost', '127.0.0.1'), CONCURRENCY * 2);
    const fed = await signToken(key, { sub: 'soak-fed', role: 'federation_admin', org: 'root' });
    const run = ulid().toLowerCase().slice(-8);
    const office = `soak-off-${run}`;
    const units = Array.from({ length: 4 }, (_, i) => `soak-u${i}-${run}`);
    const planId = `soak-plan-${run}`;
    await http.json('POST', '/orgs', fed, { id: office, name: '压测办事处', kind: 'office', parentId: 'root' }, 201);
    for (const u of units)
      await http.json('POST', '/orgs', fed, { id: u, name: '压测单位', kind: 'unit', parentId: office, headcount: 100_000 }, 201);
    await http.json('POST', '/plans', fed, { ...openPlanBody(planId), waitingDays: 0 }, 201);
    const staff = await signToken(key, { sub: 'soak-staff', role: 'office_staff', org: office });
    const clerks = await Promise.all(units.map((u) => signToken(key, { sub: `soak-clerk-${u}`, role: 'unit_admin', org: u })));

    // What the workers were told happened: the truth the store is checked against afterwards.
    const enrolled = new Map<string, string>(); // enrolmentId → unit
    const unclaimed: { enrolmentId: string; unit: number }[] = [];
    const claimState = new Map<string, 'submitted' | 'approved' | 'paid'>();
    const toApprove: string[] = [];
    const toPay: string[] = [];
    const latencies: Record<Op, number[]> = { enrol: [], claim: [], approve: [], pay: [], read: [] };
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let requests = 0;
    let replays = 0;
    let nextMember = 0;

    const send = async (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) => {
      requests++;
      const r = await http.call(method, path, token, body, headers);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      return r;
    };
    const expectStatus = (what: string, r: { status: number; text: string }, want: number) => {
      if (r.status !== want) failures.push(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
      return r.status === want;
    };
    /** A creating POST; one in ten is sent again with the same key and must answer the same. */
    const create = async (what: string, path: string, token: string, body: unknown, want: number) => {
      const key = ulid();
      const r = await send('POST', path, token, body, { 'idempotency-key': key });
      if (!expectStatus(what, r, want)) return undefined;
      if (Math.random() < 0.1) {
        replays++;
        const again = await send('POST', path, token, body, { 'idempotency-key': key });
        if (again.status !== r.status || again.text !== r.text) failures.push(`${what} replay answered differently: ${again.status}`);
      }
      return JSON.parse(r.text);
    };

    const ops: Record<Op, () => Promise<void>> = {
      enrol: async () => {
        const u = Math.floor(Math.random() * units.length);
        const batch = members(5, (nextMember += 5) - 5 + 1_000_000);
        const r = await create('enrol', `/units/${units[u]}/enrolments`, clerks[u]!, { planId, members: batch }, 200);
        if (!r) return;
        if (r.accepted !== 5) failures.push(`enrol: accepted ${r.accepted} of 5`);
        for (const e of r.enrolments as { enrolmentId: string }[]) {
          if (enrolled.has(e.enrolmentId)) failures.push(`enrol: ${e.enrolmentId} answered twice`);
          enrolled.set(e.enrolmentId, units[u]!);
          unclaimed.push({ enrolmentId: e.enrolmentId, unit: u });
        }
      },
      claim: async () => {
        const m = unclaimed.shift();
        if (!m) return ops.enrol();
        const clerk = clerks[m.unit]!;
        const stay = {
          enrolmentId: m.enrolmentId,
          hospital: '市第一人民医院',
          admissionDate: today,
          dischargeDate: today,
          diagnosis: '急性阑尾炎',
          icd10: 'K35.8',
          accident: false,
          totalExpenseFen: 800_000,
          insuranceReimbursedFen: 0,
          selfPaidInScopeFen: 500_000,
        };
        const c = await create('file claim', '/claims', clerk, stay, 201);
        if (!c) return;
        for (const kind of ['invoice', 'discharge_summary']) {
          const d = await create(
            'declare receipt',
            `/claims/${c.claimId}/documents`,
            clerk,
            { kind, fileName: `${kind}.pdf`, contentType: 'application/pdf', sizeBytes: PDF.length },
            201,
          );
          if (!d) return;
          const up = await postPresignedForm(d.upload, { bytes: PDF, type: 'application/pdf', name: 'r.pdf' });
          if (up.status !== 204) return void failures.push(`upload: ${up.status}`);
        }
        const s = await send('POST', `/claims/${c.claimId}/submit`, clerk);
        if (!expectStatus('submit', s, 200)) return;
        claimState.set(c.claimId, 'submitted');
        toApprove.push(c.claimId);
      },
      approve: async () => {
        const id = toApprove.shift();
        if (!id) return ops.claim();
        const r = await send('POST', `/claims/${id}/decision`, Math.random() < 0.5 ? staff : fed, { decision: 'approve' });
        if (!expectStatus('approve', r, 200)) return;
        claimState.set(id, 'approved');
        toPay.push(id);
      },
      pay: async () => {
        if (toPay.length === 0) return ops.approve();
        const ids = toPay.splice(0, 20);
        const r = await create('pay', '/payments', fed, { claimIds: ids, paidDate: today, reference: `SOAK-${ulid()}` }, 201);
        if (r) for (const id of ids) claimState.set(id, 'paid');
      },
      read: async () => {
        const u = Math.floor(Math.random() * units.length);
        const pick = Math.random();
        const claimIds = [...claimState.keys()];
        if (pick < 0.3 && claimIds.length) {
          expectStatus('get claim', await send('GET', `/claims/${claimIds[Math.floor(Math.random() * claimIds.length)]}`, staff), 200);
        } else if (pick < 0.6) {
          expectStatus('list enrolments', await send('GET', `/units/${units[u]}/enrolments?planId=${planId}&limit=50`, clerks[u]!), 200);
        } else if (pick < 0.8) {
          expectStatus('list claims', await send('GET', `/claims?orgId=${office}&limit=50`, staff), 200);
        } else {
          expectStatus('get org', await send('GET', `/orgs/${units[u]}`, clerks[u]!), 200);
        }
      },
    };
    const total = WEIGHTS.reduce((s, [, w]) => s + w, 0);
    const pickOp = (): Op => {
      let x = Math.random() * total;
      for (const [op, w] of WEIGHTS) if ((x -= w) < 0) return op;
      return 'read';
    };

    console.log(`soak: ${CONCURRENCY} workers for ${SECONDS} s against ${stack.url} (stack up in ${startupMs} ms)`);
    const until = Date.now() + SECONDS * 1000;
    const soakStart = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (Date.now() < until) {
          const op = pickOp();
          const t0 = performance.now();
          try {
            await ops[op]();
          } catch (e) {
            failures.push(`${op}: ${e instanceof Error ? e.message : String(e)}`);
          }
          latencies[op].push(performance.now() - t0);
        }
      }),
    );
    const soakMs = Date.now() - soakStart;

    // No lost or duplicated write: every enrolment listed once, exactly those the workers were told of.
    for (const u of units) {
      const listed: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: { enrolmentId: string }[]; nextCursor: string | null } = await http.json(
          'GET',
          `/units/${u}/enrolments?planId=${planId}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          fed,
        );
        listed.push(...page.items.map((e) => e.enrolmentId));
        cursor = page.nextCursor;
      } while (cursor);
      const want = [...enrolled].filter(([, unit]) => unit === u).map(([id]) => id);
      if (new Set(listed).size !== listed.length) failures.push(`${u}: an enrolment is listed twice`);
      if (listed.length !== want.length || want.some((id) => !listed.includes(id)))
        failures.push(`${u}: ${listed.length} enrolments listed, ${want.length} made`);
    }
    // Every claim the workers moved is in the state they left it.
    const listedClaims = new Map<string, string>();
    let cursor: string | null = null;
    do {
      const page: { items: { claimId: string; status: string }[]; nextCursor: string | null } = await http.json(
        'GET',
        `/claims?orgId=${office}&limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        fed,
      );
      for (const c of page.items) {
        if (listedClaims.has(c.claimId)) failures.push(`claim ${c.claimId} listed twice`);
        listedClaims.set(c.claimId, c.status);
      }
      cursor = page.nextCursor;
    } while (cursor);
    for (const [id, status] of claimState) {
      if (listedClaims.get(id) !== status) failures.push(`claim ${id}: ${listedClaims.get(id) ?? 'missing'}, expected ${status}`);
    }

    const rec = await runReconcile(buildDeps(), { planIds: [planId], by: 'soak' });
    const drifts = [
      ...rec.plans.flatMap((p) => p.drifts.map((d) => driftLine(d, p.planId))),
      ...rec.paymentDrifts.map((d) => driftLine(d)),
    ];
    http.close();

    const fives = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const pct = (xs: number[], p: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!) : 0;
    };
    const counted = [...claimState.values()];
    const figures = {
      date: new Date().toISOString().slice(0, 16).replace('T', ' '),
      seconds: Math.round(soakMs / 1000),
      requests,
      perSec: Math.round((requests / soakMs) * 1000),
      fives,
      replays,
      staleSocketRetries: http.staleSocketRetries(),
      enrolments: enrolled.size,
      claims: claimState.size,
      approved: counted.filter((s) => s !== 'submitted').length,
      paid: counted.filter((s) => s === 'paid').length,
      statuses: [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, c]) => `${s}×${c}`)
        .join(', '),
      drifts: drifts.length,
      failures: failures.length,
    };
    console.log(JSON.stringify(figures));
    const table = (Object.keys(latencies) as Op[])
      .map((op) => `| ${op} | ${latencies[op].length} | ${pct(latencies[op], 50)} | ${pct(latencies[op], 99)} |`)
      .join('\n');
    const section = `<!-- soak:start -->
## Soak (issue 19): \`npm run soak\`

${figures.date} UTC, this repository's shared 2-core machine, one process (gateway, handlers) beside DynamoDB Local
in memory and s3rver (load average ${loadavg()[0]!.toFixed(1)} when it ended); ${CONCURRENCY} workers for ${figures.seconds} s over loopback. A tenth of the creating requests
were sent twice with the same Idempotency-Key.

- ${figures.requests} requests (${figures.perSec}/s), statuses ${figures.statuses}; **5xx: ${figures.fives}**
- ${figures.enrolments} enrolments, ${figures.claims} claims filed and submitted with 2 receipts each, ${figures.approved} approved, ${figures.paid} paid; ${figures.replays} replays
- lost or duplicated writes: ${failures.filter((f) => /listed|missing|made|twice/.test(f)).length}; reconcile drifts: ${figures.drifts}; failures: ${figures.failures}

| operation (one worker step) | count | p50 ms | p99 ms |
| --- | ---: | ---: | ---: |
${table}
<!-- soak:end -->`;
    const file = join(import.meta.dirname, 'results.md');
    const md = readFileSync(file, 'utf8');
    const at = md.indexOf('<!-- soak:start -->');
    const end = md.indexOf('<!-- soak:end -->');
    writeFileSync(
      file,
      at >= 0 && end > at ? `${md.slice(0, at)}${section}${md.slice(end + '<!-- soak:end -->'.length)}` : `${md.trimEnd()}\n\n${section}\n`,
    );
    for (const f of failures.slice(0, 20)) console.error(`soak: ${f}`);
    for (const d of drifts.slice(0, 20)) console.error(`soak: drift ${d}`);
    if (fives > 0 || failures.length > 0 || drifts.length > 0) {
      console.error(`SOAK FAILED: ${fives} 5xx, ${failures.length} failures, ${drifts.length} drifts`);
      return 1;
    }
    console.log('soak: ok (zero 5xx, no lost or duplicated write, reconcile clean); wrote bench/results.md');
    return 0;
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};

try {
  process.exit(await main());
} catch (e) {
  console.error(`SOAK FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
