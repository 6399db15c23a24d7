/**
 * `npx tsx bench/report-only.ts [--disk]`: the nightly report benchmark alone
 * (bench/reportBench.ts), printed as the markdown section bench/results.md gets.
 */
import './quiet';
import { reportBench, reportBenchMarkdown } from './reportBench';

const r = await reportBench({
  storage: process.argv.includes('--disk') ? 'disk' : 'memory',
  log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`),
});
console.log(reportBenchMarkdown(r));
process.exit(0);
