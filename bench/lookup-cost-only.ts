/**
 * `npx tsx bench/lookup-cost-only.ts [--memory]`: the renewal look-up's cost per key alone
 * (bench/lookupCostBench.ts), printed as the markdown section bench/results.md gets.
 */
import './quiet';
import { lookupCostBench, lookupCostMarkdown } from './lookupCostBench';
import { machineInfo } from './machine';

const r = await lookupCostBench({
  storage: process.argv.includes('--memory') ? 'memory' : 'disk',
  log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`),
});
console.log(lookupCostMarkdown(r, machineInfo()));
process.exit(0);
