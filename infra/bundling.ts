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
  /**
   * Whitespace and syntax minified, identifiers kept. Names then survive as
   * written, so a stack trace in the logs says where it happened without
   * --enable-source-maps (10–20 ms of every cold start: it parses the map at
   * load) and without esbuild's keepNames, which wraps every function and
   * class in a defineProperty call: thousands at import, and one for each
   * closure a request creates. Import of the bundle in a fresh Node process
   * (median of 31, 2026-11-26, this repo's 2-core machine): getClaim 47.9 →
   * 44.4 ms, decideClaim 39.3 → 36.1 ms, the bare-SDK bundles 2–3 ms less
   * too, for bundles some 50 % larger (V8 pre-parses function bodies
   * lazily: bytes were not the cost, the calls were). The .map ships beside
   * the bundle for offline symbolication.
   */
  minifyWhitespace: true,
  minifySyntax: true,
  minifyIdentifiers: false,
  keepNames: false,
  sourceMap: true,
  sourcesContent: false,
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module';const require = createRequire(import.meta.url);",
} as const;

/** The minification flags as esbuild's command line spells them (NodejsFunction has only an all-or-nothing `minify`). */
export const minifyArgs = (): Record<string, boolean> => ({
  ...(BUNDLE.minifyWhitespace ? { '--minify-whitespace': true } : {}),
  ...(BUNDLE.minifySyntax ? { '--minify-syntax': true } : {}),
  ...(BUNDLE.minifyIdentifiers ? { '--minify-identifiers': true } : {}),
});

export const nodejsBundling = (): BundlingOptions => ({
  minify: false,
  esbuildArgs: minifyArgs(),
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
  minifyWhitespace: BUNDLE.minifyWhitespace,
  minifySyntax: BUNDLE.minifySyntax,
  minifyIdentifiers: BUNDLE.minifyIdentifiers,
  keepNames: BUNDLE.keepNames,
  sourcemap: BUNDLE.sourceMap,
  sourcesContent: BUNDLE.sourcesContent,
  mainFields: [...BUNDLE.mainFields],
  banner: { js: BUNDLE.banner },
  external: [],
  logLevel: 'warning',
  metafile: true,
});
