/**
 * `npx tsx bench/evaluation-only.ts`: the evaluation benchmark alone
 * (bench/evaluationBench.ts), printed as the markdown section bench/results.md gets.
 */
import './quiet';
import { evaluationBench, evaluationBenchMarkdown } from './evaluationBench';

const r = await evaluationBench({ log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`) });
console.log(evaluationBenchMarkdown(r));
process.exit(0);
