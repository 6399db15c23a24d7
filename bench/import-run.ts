/**
 * The roster-import benchmark on its own: `npx tsx bench/import-run.ts`.
 * Starts a local stack with DynamoDB Local on disk in a temp dir, runs
 * importBench and prints its section (`npm run bench` writes all sections
 * to bench/results.md).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'WARN';

const { mkdtempSync, rmSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { startLocalStack } = await import('../infra/local/stack');
const { importBench, renderImportSection } = await import('./importBench');
const { machineInfo } = await import('./machine');

const TABLE = 'huzhu-bench';
const dataDir = mkdtempSync(join(tmpdir(), 'huzhu-import-bench-'));
let code = 0;
try {
  const stack = await startLocalStack({ port: 0, dataDir, inMemory: false, tableName: TABLE, bucketName: TABLE });
  try {
    const figures = await importBench({ tableName: TABLE, dataDir });
    const m = machineInfo();
    console.log(
      `${renderImportSection(figures)}\n\nRun ${new Date().toISOString()} on ${m.cpuModel}, ${m.cores} cores; Node ${process.version}.`,
    );
  } finally {
    await stack.stop();
  }
} catch (e) {
  console.error(`IMPORT BENCH FAILED: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  code = 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(code);
export {};
