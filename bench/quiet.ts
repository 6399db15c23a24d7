/**
 * Imported first by each `bench/*-only.ts` script: sets the environment before any other module loads, since the
 * logger reads LOG_LEVEL when its module is evaluated (one access-log line per request would flood the markdown
 * the script prints). BENCH_LOG_LEVEL=INFO keeps the lines, as for `npm run bench` (bench/run.ts).
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'WARN';

export {};
