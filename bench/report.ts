import { routes } from '../shared/http/routes';
import type { Stage } from './breakdown';
import type { ApiEnrolResult, RawResult } from './enrolment';
import type { LatencyResult } from './latency';
import type { MachineInfo } from './machine';
import type { ChildResult } from './memory';
import { fmt } from './stats';

export interface Report {
  machine: MachineInfo;
  limits: { enrol: { rows: number; perRequest: number; rawConcurrency: number; appConcurrency: number }; memoryRows: number };
  latency: LatencyResult;
  api: ApiEnrolResult;
  rawBatch: RawResult;
  rawTx: RawResult;
  stages: Stage[];
  baseline: ChildResult;
  once: ChildResult;
}

const API_GATEWAY_LIMIT_MS = 29_000;
const LAMBDA_MB = 512;
export const ENROL_RATIO_GOAL = 0.7;

export const renderReport = (r: Report): string => {
  const m = r.machine;
  const l = r.latency;
  const best = r.rawBatch.rowsPerSec >= r.rawTx.rowsPerSec ? r.rawBatch : r.rawTx;
  const ratio = r.api.rowsPerSec / best.rowsPerSec;
  const stageSum = r.stages.reduce((s, x) => s + x.ms, 0);
  const apiPerRequest = r.api.requestMs.reduce((s, x) => s + x, 0) / r.api.requestMs.length;
  const mb = (kb: number) => kb / 1024;
  const incrementMB = mb(r.once.maxRssKB - r.baseline.maxRssKB);
  const configuredMb = (routes.enrolMembers as { memoryMb?: number }).memoryMb;
  const worstRequest = Math.max(...r.api.requestMs, r.once.handlerMs ?? 0);
  const lines = [
    '# Huzhu benchmarks (`npm run bench`)',
    '',
    `Run ${m.date} on ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.java}; ${m.os}.`,
    '',
    '**How to read this:** everything runs on this one machine — the load generator, the local gateway with the handlers (one Node process) and DynamoDB Local (a JVM, in memory) share the same cores, so absolute numbers are not AWS numbers. Read the **ratios**: each API figure is set against the bare DynamoDB call measured in the same run on the same DynamoDB Local. Latencies in ms (lower is better), throughput in requests or rows per second (higher is better). Request logs are off (LOG_LEVEL=WARN).',
    '',
    `## 1. \`GET /orgs/{id}\` through the local gateway vs a bare \`GetItem\``,
    '',
    `${fmt(l.count, 0)} requests after ${fmt(l.warmup, 0)} warm-up, ${l.concurrency} in flight (keep-alive HTTP/1.1 to 127.0.0.1).`,
    '',
    '| path | p50 ms | p99 ms | mean ms | req/s |',
    '|---|---:|---:|---:|---:|',
    `| gateway (JWT verify → middy → GetItem → JSON) | ${fmt(l.gateway.p50Ms, 2)} | ${fmt(l.gateway.p99Ms, 2)} | ${fmt(l.gateway.meanMs, 2)} | ${fmt(l.gateway.throughputPerSec, 0)} |`,
    `| raw GetItem (same item, same client library) | ${fmt(l.raw.p50Ms, 2)} | ${fmt(l.raw.p99Ms, 2)} | ${fmt(l.raw.meanMs, 2)} | ${fmt(l.raw.throughputPerSec, 0)} |`,
    '',
    `Ratio: gateway p50 / raw p50 = **${fmt(l.gateway.p50Ms / l.raw.p50Ms, 2)}×**; gateway throughput / raw throughput = **${fmt(l.gateway.throughputPerSec / l.raw.throughputPerSec, 2)}**.`,
    '',
    `## 2. Enrolment: ${fmt(r.api.rows, 0)} members`,
    '',
    `API: ${r.api.requestMs.length} JSON requests of ${fmt(r.limits.enrol.perRequest, 0)} rows (POST /units/{unitId}/enrolments, federation_admin), one after the other, after a small warm-up request on another plan.`,
    '',
    '| writer | rows | DynamoDB calls | in flight | wall s | rows/s |',
    '|---|---:|---:|---:|---:|---:|',
    `| API (judge, HMAC, seal, 49-row transactions) | ${fmt(r.api.rows, 0)} | — | ${r.limits.enrol.appConcurrency} | ${fmt(r.api.wallMs / 1000, 2)} | ${fmt(r.api.rowsPerSec, 0)} |`,
    ...[r.rawBatch, r.rawTx].map(
      (x) => `| raw ${x.method}${x === best ? ' (baseline)' : ''} | ${fmt(x.rows, 0)} | ${fmt(x.requests, 0)} | ${x.concurrency} | ${fmt(x.wallMs / 1000, 2)} | ${fmt(x.rowsPerSec, 0)} |`,
    ),
    '',
    `Per request wall time: ${r.api.requestMs.map((x) => `${fmt(x / 1000, 2)} s`).join(', ')}.`,
    '',
    `**API / raw = ${fmt(ratio, 2)}** against the faster raw writer (goal ≥ ${ENROL_RATIO_GOAL}: ${ratio >= ENROL_RATIO_GOAL ? 'met' : '**not met**'}). ` +
      `Counters checked after the API run: ${fmt(r.api.rows, 0)} enrolled, contributions as expected. ` +
      'The raw BatchWriteItem run has no uniqueness guarantee (no conditions); the raw transactions write exactly what the app writes.',
    '',
    `Where one ${fmt(r.limits.memoryRows, 0)}-row request spends its time (the handler's steps run one by one in this process, same DynamoDB Local):`,
    '',
    '| step | ms | share |',
    '|---|---:|---:|',
    ...r.stages.map((s) => `| ${s.stage} | ${fmt(s.ms, 1)} | ${fmt((100 * s.ms) / stageSum, 1)} % |`),
    `| sum of steps | ${fmt(stageSum, 1)} | |`,
    `| measured API request (mean of the two) | ${fmt(apiPerRequest, 1)} | |`,
    '',
    `## 3. One ${fmt(r.limits.memoryRows, 0)}-row request vs API Gateway's 29 s and a ${LAMBDA_MB} MB Lambda`,
    '',
    `Wall time: ${r.api.requestMs.map((x) => `${fmt(x / 1000, 2)} s`).join(' and ')} through the gateway (warm); ${fmt((r.once.handlerMs ?? 0) / 1000, 2)} s for the handler in a fresh process (cold: first SDK connection, keys). ` +
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
