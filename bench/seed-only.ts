/**
 * `npx tsx bench/seed-only.ts [--memory]`: the seed benchmark alone (bench/seedBench.ts),
 * printed as the markdown section bench/results.md gets.
 */
import './quiet';
import { machineInfo } from './machine';
import { seedBench, seedBenchMarkdown } from './seedBench';

const r = await seedBench({
  storage: process.argv.includes('--memory') ? 'memory' : 'disk',
  log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`),
});
const m = machineInfo();
console.log(seedBenchMarkdown(r, new Date().toISOString(), `${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}`));
process.exit(0);
