/**
 * `npx tsx bench/seed-only.ts [--memory]`: the seed benchmark alone (bench/seedBench.ts),
 * printed as the markdown section bench/results.md gets.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL ??= 'WARN';
// Imported after the environment is set: the logger reads LOG_LEVEL when its module loads.
const { machineInfo } = await import('./machine');
const { seedBench, seedBenchMarkdown } = await import('./seedBench');
const r = await seedBench({
  storage: process.argv.includes('--memory') ? 'memory' : 'disk',
  log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`),
});
const m = machineInfo();
console.log(seedBenchMarkdown(r, new Date().toISOString(), `${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}`));
process.exit(0);
export {};
