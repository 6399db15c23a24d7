import { routes } from '../shared/http/routes';
import type { Stage } from './breakdown';
import type { EnrolResults } from './enrolment';
import type { LatencyResult } from './latency';
import type { MachineInfo } from './machine';
import type { ChildResult } from './memory';
import { fmt } from './stats';

export interface Report {
  machine: MachineInfo;
  limits: { enrol: { rows: number; perRequest: number; warmupRows: number; concurrency: number }; memoryRows: number };
  jvmIdleMsPerSec: number;
  latency: LatencyResult;
  /** On disk, as `npm start` runs DynamoDB Local. */
  enrol: EnrolResults;
  /** The same comparison on an in-memory DynamoDB Local, as the tests run it. */
  enrolInMemory: EnrolResults;
  stages: Stage[];
  baseline: ChildResult;
  once: ChildResult;
}

const API_GATEWAY_LIMIT_MS = 29_000;
const LAMBDA_MB = 512;
export const ENROL_RATIO_GOAL = 0.7;

const busy = (c: { wallMs: number; nodeMs: number; jvmMs: number }) => fmt((c.nodeMs + c.jvmMs) / c.wallMs, 2);
const fastestRaw = (e: EnrolResults) => (e.batch.rowsPerSec >= e.tx.rowsPerSec ? e.batch : e.tx);

export const writerTable = (e: EnrolResults): string[] => {
  const best = fastestRaw(e);
  return [
    '| writer | rows | DynamoDB calls | in flight | wall s | rows/s | Node CPU s | JVM CPU s | cores busy |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...[e.api, e.repo, e.tx, ...(e.txread ? [e.txread] : []), e.batch].map(
      (x) =>
        `| ${x.label}${x === best ? ' (**baseline**)' : ''} | ${fmt(x.rows, 0)} | ${x === e.api ? '—' : fmt(x.calls, 0)} | ${x.concurrency} | ${fmt(x.cpu.wallMs / 1000, 2)} | ${fmt(x.rowsPerSec, 0)} | ${fmt(x.cpu.nodeMs / 1000, 2)} | ${fmt(x.cpu.jvmMs / 1000, 2)} | ${busy(x.cpu)} |`,
    ),
  ];
};

export const ratioLines = (e: EnrolResults): string[] => {
  const ratio = e.api.rowsPerSec / fastestRaw(e).rowsPerSec;
  return [
    `**API / raw = ${fmt(ratio, 2)}** against the faster raw writer (goal ≥ ${ENROL_RATIO_GOAL}: ${ratio >= ENROL_RATIO_GOAL ? 'met' : '**not met**'}). ` +
      `Decomposed: API / app write path = ${fmt(e.api.rowsPerSec / e.repo.rowsPerSec, 2)} (HTTP, parsing, judging, crypto), ` +
      `app write path / raw transactions = ${fmt(e.repo.rowsPerSec / e.tx.rowsPerSec, 2)}, raw transactions / raw batches = ${fmt(e.tx.rowsPerSec / e.batch.rowsPerSec, 2)} (what DynamoDB Local charges for conditional, transactional writes against plain batches). ` +
      `Counters checked after the API run: ${fmt(e.api.rows, 0)} enrolled, contributions as expected. ` +
      'The raw BatchWriteItem run has no uniqueness guarantee (no conditions); the raw transactions write exactly what the app writes.',
  ];
};

export const renderReport = (r: Report): string => {
  const m = r.machine;
  const l = r.latency;
  const { api } = r.enrol;
  const stageSum = r.stages.reduce((s, x) => s + x.ms, 0);
  const apiPerRequest = api.segmentMs.reduce((s, x) => s + x, 0) / api.segmentMs.length;
  const mb = (kb: number) => kb / 1024;
  const incrementMB = mb(r.once.maxRssKB - r.baseline.maxRssKB);
  const configuredMb = (routes.enrolMembers as { memoryMb?: number }).memoryMb;
  const worstRequest = Math.max(...api.segmentMs, r.once.handlerMs ?? 0);
  const perReq = (cpuMs: number, n: number) => fmt(cpuMs / n, 2);
  const lines = [
    '# Huzhu benchmarks (`npm run bench`)',
    '',
    `Run ${m.date} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.java}; ${m.os}.`,
    '',
    '**How to read this:** everything runs on this one machine — the load generator, the local gateway with the handlers (one Node process) and DynamoDB Local (a JVM; on disk for §1–3 as `npm start` runs it, in memory for §2b as the tests run it) share the same cores, so absolute numbers are not AWS numbers. Read the **ratios**: each API figure is set against the bare DynamoDB call measured in the same run on the same DynamoDB Local. Latencies in ms (lower is better), throughput in requests or rows per second (higher is better). Request logs are off (LOG_LEVEL=WARN).',
    '',
    `Before measuring, ${fmt(r.limits.enrol.warmupRows, 0)} rows were written each way (API, transactions, batches) and the run waited for DynamoDB Local to finish its start-up compilation (idle CPU then ${fmt(r.jvmIdleMsPerSec, 0)} ms/s; right after start it burns ≈ 250 ms/s). "Node CPU" is this process (load generator + gateway + handlers), "JVM CPU" is DynamoDB Local; "cores busy" = (Node + JVM CPU) / wall, out of ${m.cores}.`,
    '',
    `## 1. \`GET /orgs/{id}\` through the local gateway vs a bare \`GetItem\``,
    '',
    `${fmt(l.count, 0)} requests each after ${fmt(l.warmup, 0)} warm-up each, ${l.concurrency} in flight (keep-alive HTTP/1.1 to 127.0.0.1), measured in ${l.rounds} alternating rounds. Node CPU includes the load generator.`,
    '',
    '| path | p50 ms | p99 ms | mean ms | req/s | Node CPU ms/req | JVM CPU ms/req |',
    '|---|---:|---:|---:|---:|---:|---:|',
    `| gateway (JWT verify → middy → GetItem → JSON) | ${fmt(l.gateway.p50Ms, 2)} | ${fmt(l.gateway.p99Ms, 2)} | ${fmt(l.gateway.meanMs, 2)} | ${fmt(l.gateway.throughputPerSec, 0)} | ${perReq(l.gateway.cpu.nodeMs, l.count)} | ${perReq(l.gateway.cpu.jvmMs, l.count)} |`,
    `| raw GetItem (same item, AWS SDK v3 low-level client) | ${fmt(l.raw.p50Ms, 2)} | ${fmt(l.raw.p99Ms, 2)} | ${fmt(l.raw.meanMs, 2)} | ${fmt(l.raw.throughputPerSec, 0)} | ${perReq(l.raw.cpu.nodeMs, l.count)} | ${perReq(l.raw.cpu.jvmMs, l.count)} |`,
    '',
    `Ratio: gateway p50 / raw p50 = **${fmt(l.gateway.p50Ms / l.raw.p50Ms, 2)}×**; gateway throughput / raw throughput = **${fmt(l.gateway.throughputPerSec / l.raw.throughputPerSec, 2)}**.`,
    '',
    `## 2. Enrolment: ${fmt(api.rows, 0)} members (DynamoDB Local on disk, as \`npm start\` runs it)`,
    '',
    `API: ${api.segmentMs.length} JSON requests of ${fmt(r.limits.enrol.perRequest, 0)} rows (POST /units/{unitId}/enrolments, federation_admin), one after the other. ` +
      "Every roster is co-funded (行政 10 元 + 工会 15 元 a share, the worker the rest) and 3 rows in 10 renew (enrolled in the plan's predecessor beforehand: the API looks that up and charges the renewal price, 40 元 a share; the other writers carry the same flag on the same share of rows). " +
      'The others write the same items (one enrolment item per row keyed by person and plan, sealed PII, counters) prepared in memory beforehand, on other plans with other people. ' +
      'All four writers were measured in interleaved rounds (API → repo → tx → batch, then reversed), so none gets a warmer JVM or an emptier table.',
    '',
    ...writerTable(r.enrol),
    '',
    `Per request wall time (API): ${api.segmentMs.map((x) => `${fmt(x / 1000, 2)} s`).join(', ')}.`,
    '',
    ...ratioLines(r.enrol),
    '',
    '### 2b. The same on an in-memory DynamoDB Local (as the tests run it)',
    '',
    'Same rows, same writers, same interleaving, on a second, in-memory DynamoDB Local. Here plain batches are cheap and conditional transactions dear — the opposite of on-disk storage.',
    '',
    ...writerTable(r.enrolInMemory),
    '',
    ...ratioLines(r.enrolInMemory),
    '',
    `Where one ${fmt(r.limits.memoryRows, 0)}-row request spends its time (the handler's steps run one by one in this process, same DynamoDB Local):`,
    '',
    '| step | wall ms | Node CPU ms | JVM CPU ms | share of wall |',
    '|---|---:|---:|---:|---:|',
    ...r.stages.map(
      (s) => `| ${s.stage} | ${fmt(s.ms, 1)} | ${fmt(s.nodeCpuMs, 0)} | ${fmt(s.jvmCpuMs, 0)} | ${fmt((100 * s.ms) / stageSum, 1)} % |`,
    ),
    `| sum of steps | ${fmt(stageSum, 1)} | | | |`,
    `| measured API request (mean of the ${api.segmentMs.length}) | ${fmt(apiPerRequest, 1)} | | | |`,
    '',
    `## 3. One ${fmt(r.limits.memoryRows, 0)}-row request vs API Gateway's 29 s and a ${LAMBDA_MB} MB Lambda`,
    '',
    `Wall time: ${api.segmentMs.map((x) => `${fmt(x / 1000, 2)} s`).join(' and ')} through the gateway (warm); ${fmt((r.once.handlerMs ?? 0) / 1000, 2)} s for the handler in a fresh process (cold: first SDK connection, keys). ` +
      `Worst = ${fmt(worstRequest / 1000, 2)} s = ${fmt((100 * worstRequest) / API_GATEWAY_LIMIT_MS, 0)} % of 29 s.`,
    '',
    `Memory, fresh Node process invoking \`functions/enrolMembers/handler.ts\` directly (payload-2.0 event, ${fmt((r.once.requestBytes ?? 0) / 1024, 0)} KiB body, ${fmt((r.once.responseBytes ?? 0) / 1024, 0)} KiB answer):`,
    '',
    '| process | peak RSS MB (maxRSS) | heap used MB (end) | peak heap used MB (sampled) |',
    '|---|---:|---:|---:|',
    `| baseline: imports the handler only | ${fmt(mb(r.baseline.maxRssKB))} | ${fmt(r.baseline.heapUsedMB)} | ${fmt(r.baseline.peakHeapUsedMB)} |`,
    `| enrols ${fmt(r.limits.memoryRows, 0)} rows | ${fmt(mb(r.once.maxRssKB))} | ${fmt(r.once.heapUsedMB)} | ${fmt(r.once.peakHeapUsedMB)} |`,
    `| handler's increment | ${fmt(incrementMB)} | ${fmt(r.once.heapUsedMB - r.baseline.heapUsedMB)} | ${fmt(r.once.peakHeapUsedMB - r.baseline.peakHeapUsedMB)} |`,
    '',
    `Against ${LAMBDA_MB} MB: total peak RSS ${fmt(mb(r.once.maxRssKB))} MB = ${fmt((100 * mb(r.once.maxRssKB)) / LAMBDA_MB, 0)} %, the handler's increment ${fmt(incrementMB)} MB = ${fmt((100 * incrementMB) / LAMBDA_MB, 0)} %. ` +
      `(Local runs load TypeScript through tsx, which adds to the baseline; a bundled Lambda starts smaller. The route table currently gives this function ${configuredMb ?? 'the default'} MB.)`,
    '',
  ];
  return lines.join('\n');
};
