/**
 * `npx tsx bench/evaluation-only.ts`: the evaluation benchmark alone
 * (bench/evaluationBench.ts), printed as the markdown section bench/results.md gets.
 */
import { evaluationBench, evaluationBenchMarkdown } from './evaluationBench';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL ??= 'WARN';
const r = await evaluationBench({ log: (s) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}`) });
console.log(evaluationBenchMarkdown(r));
process.exit(0);
