/**
 * The roster-import benchmark on its own: `npx tsx bench/import-run.ts`.
 * Starts a local stack with DynamoDB Local on disk in a temp dir, runs
 * importBench, and writes its section into bench/results.md between the
 * markers below (replacing an earlier one), so the rest of the file stays
 * as `npm run bench` wrote it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'WARN';

const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');
const { startLocalStack } = await import('../infra/local/stack');
const { importBench, renderImportSection } = await import('./importBench');
const { machineInfo } = await import('./machine');

const BEGIN = '<!-- roster-import:begin -->';
const END = '<!-- roster-import:end -->';
const TABLE = 'huzhu-bench';
const dataDir = mkdtempSync(join(tmpdir(), 'huzhu-import-bench-'));
let code = 0;
try {
  const stack = await startLocalStack({ port: 0, dataDir, inMemory: false, tableName: TABLE, bucketName: TABLE });
  try {
    const figures = await importBench({ tableName: TABLE, dataDir });
    const m = machineInfo();
    const section = `${BEGIN}\n${renderImportSection(figures)}\n\nRun ${new Date().toISOString()} on ${m.cpuModel}, ${m.cores} cores; Node ${process.version} (\`npx tsx bench/import-run.ts\`).\n${END}`;
    const file = join(import.meta.dirname, 'results.md');
    const md = readFileSync(file, 'utf8');
    const at = md.indexOf(BEGIN);
    const next = at >= 0 ? md.slice(0, at) + section + md.slice(md.indexOf(END) + END.length) : `${md.trimEnd()}\n\n${section}\n`;
    writeFileSync(file, next);
    console.log(`\n${section}\n\nwrote bench/results.md`);
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
