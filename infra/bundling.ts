import type { BuildOptions } from 'esbuild';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled, in one place: the CDK stack passes it to
 * NodejsFunction, and the bundle test and the benchmarks build the very same
 * bundle with esbuild directly (test/bundles, bench/), so what runs in CI is
 * what Lambda runs. ESM on Node 22, the AWS SDK bundled (tree-shaken, faster
 * cold starts than the runtime's copy), and a `require` shim for the CommonJS
 * dependencies that call it inside an ES module.
 */
export const BUNDLE = {
  target: 'node22',
  minify: true,
  /**
   * Function names survive minification, so a stack trace in the logs still
   * says where it happened without --enable-source-maps, which costs 10–20 ms
   * of every cold start (it parses the map at load). The .map ships beside
   * the bundle for offline symbolication.
   */
  keepNames: true,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
} as const;

export const nodejsBundling = (): BundlingOptions => ({
  minify: BUNDLE.minify,
  keepNames: BUNDLE.keepNames,
  sourceMap: BUNDLE.sourceMap,
  sourcesContent: BUNDLE.sourcesContent,
  format: OutputFormat.ESM,
  target: BUNDLE.target,
  mainFields: [...BUNDLE.mainFields],
  bundleAwsSDK: true,
  banner: BUNDLE.banner,
  forceDockerBundling: false,
});

/**
 * The same bundles as esbuild options (NodejsFunction writes `index.mjs` with a handler export).
 * Several entry points in one call give the same per-entry bundles (no code splitting), faster.
 */
export const esbuildOptions = (entryPoints: Record<string, string>, outdir: string): BuildOptions => ({
  entryPoints,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: BUNDLE.target,
  minify: BUNDLE.minify,
  keepNames: BUNDLE.keepNames,
  sourcemap: BUNDLE.sourceMap,
  sourcesContent: BUNDLE.sourcesContent,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  external: [],
  logLevel: 'warning',
  metafile: true,
});
