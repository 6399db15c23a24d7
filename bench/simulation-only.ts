/**
 * `npx tsx bench/simulation-only.ts [claims…]`: the plan simulation benchmark alone
 * (bench/simulationBench.ts; default 100,000 and 1,000,000 claims), printed as the
 * markdown section bench/results.md gets.
 */
import './quiet';
import { simulationBench, simulationBenchMarkdown } from './simulationBench';

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => Number.isSafeInteger(n) && n > 0);
const r = await simulationBench({
  ...(sizes.length ? { claims: sizes } : {}),
  log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`),
});
console.log(simulationBenchMarkdown(r));
process.exit(0);
