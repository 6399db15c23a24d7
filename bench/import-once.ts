/**
 * Child process for the import benchmark: `node --import tsx bench/import-once.ts baseline`
 * only imports the job's handler; `... run <importId>` also invokes it once with
 * the S3 event of that import's upload, as Lambda would. Prints one line
 * `BENCH_IMPORT {json}` with the wall time and the process's peak memory
 * (run it with --expose-gc to also get the heap a full GC leaves).
 * Configuration comes from the environment, exactly as startLocalStack sets it.
 */
import type { S3Event } from 'aws-lambda';
import { handler } from '../functions/rosterImport/handler';
import { objectKeys } from '../shared/objects/keys';

const [mode = 'baseline', importId = ''] = process.argv.slice(2);
const MB = 1024 * 1024;
let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 5);
// What the run keeps alive, apart from garbage V8 has not collected yet: the heap after a full GC, every 2 s (≈ 1 % of the time).
const gc = (globalThis as { gc?: () => void }).gc;
let retainedHeap = 0;
const gcSampler = gc
  ? setInterval(() => {
      gc();
      retainedHeap = Math.max(retainedHeap, process.memoryUsage().heapUsed);
    }, 2000)
  : undefined;

const result: Record<string, unknown> = { mode };
if (mode === 'run') {
  const bucket = process.env.BUCKET_NAME ?? '';
  const event = {
    Records: [{ eventName: 'ObjectCreated:Post', s3: { bucket: { name: bucket }, object: { key: objectKeys.rosterImport(importId) } } }],
  } as unknown as S3Event;
  result.startedAtMs = Date.now();
  const t0 = performance.now();
  try {
    result.outcome = (await handler(event))[0]?.outcome;
  } catch (e) {
    result.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  result.handlerMs = performance.now() - t0;
}
clearInterval(sampler);
clearInterval(gcSampler);
Object.assign(result, {
  maxRssKB: process.resourceUsage().maxRSS,
  peakHeapUsedMB: Math.max(peakHeap, process.memoryUsage().heapUsed) / MB,
  retainedHeapMB: retainedHeap / MB,
});
process.stdout.write(`\nBENCH_IMPORT ${JSON.stringify(result)}\n`);
process.exit(0);
