/**
 * `npm run bench`: starts its own local stacks (DynamoDB Local on disk, then
 * in memory; s3rver; the local gateway on 127.0.0.1), runs the bounded
 * benchmarks, writes bench/results.md and stops everything.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
// One access-log line per request would flood the terminal; set BENCH_LOG_LEVEL=INFO to keep it.
process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'WARN';

export {};

const { main } = await import('./main');
try {
  await main();
  process.exit(0);
} catch (e) {
  console.error(`\nBENCH FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  process.exit(1);
}
