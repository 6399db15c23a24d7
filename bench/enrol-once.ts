/**
 * Child process for the memory benchmark: `node --import tsx bench/enrol-once.ts baseline`
 * only imports the handler; `... enrol <planId> <unitId> <from> <count>` also invokes it
 * once with a <count>-row JSON roster, as API Gateway would (payload 2.0, verified claims).
 * Prints one line `BENCH_RESULT {json}`. Configuration comes from the environment,
 * exactly as startLocalStack sets it.
 */
import { idTokenClaims } from '../infra/local/jwt';
import { handler } from '../functions/enrolMembers/handler';
import { buildHttpEvent, lambdaContext } from '../infra/local/event';
import { members } from './fixtures';

const [mode = 'baseline', planId = '', unitId = '', from = '0', count = '0'] = process.argv.slice(2);
const MB = 1024 * 1024;

let peakHeap = process.memoryUsage().heapUsed;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 5);

const result: Record<string, unknown> = { mode };
if (mode === 'enrol') {
  const roster = members(Number(count), Number(from));
  const body = JSON.stringify({ planId, members: roster });
  const path = `/units/${unitId}/enrolments`;
  const event = buildHttpEvent({
    method: 'POST',
    routePath: '/units/{unitId}/enrolments',
    rawPath: path,
    headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
    pathParameters: { unitId },
    body,
    claims: idTokenClaims({ sub: 'bench@root', role: 'federation_admin', org: 'root' }),
  });
  const t0 = performance.now();
  const res = await handler(event, lambdaContext('enrolMembers'));
  result.handlerMs = performance.now() - t0;
  result.status = res.statusCode;
  result.requestBytes = Buffer.byteLength(body);
  result.responseBytes = Buffer.byteLength(res.body);
  if (res.statusCode === 200) {
    const parsed = JSON.parse(res.body) as { accepted: number; rejected: unknown[] };
    result.accepted = parsed.accepted;
    result.rejected = parsed.rejected.length;
  } else result.error = res.body.slice(0, 300);
}
clearInterval(sampler);
const mem = process.memoryUsage();
peakHeap = Math.max(peakHeap, mem.heapUsed);
Object.assign(result, {
  maxRssKB: process.resourceUsage().maxRSS,
  rssMB: mem.rss / MB,
  heapUsedMB: mem.heapUsed / MB,
  peakHeapUsedMB: peakHeap / MB,
  externalMB: mem.external / MB,
});
process.stdout.write(`\nBENCH_RESULT ${JSON.stringify(result)}\n`);
// The SDK keeps sockets open; the parent only needs the line above.
process.exit(0);
