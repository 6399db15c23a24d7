/**
 * The one zod every function uses: zod/mini, the tree-shakable build of the
 * same zod (one core, the same parse and the same messages), with its English
 * messages switched on. Classic zod gives each schema instance ~40 methods
 * when it is made; a function that makes its schemas at cold start pays for
 * that, and for the 100 KB it bundles: about 7 ms against 1.5 ms here
 * (bench/results.md §5). Import it as `import * as z from './zod'`, never from 'zod' itself, so the
 * messages are always configured before the first parse.
 */
import { config, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

// Re-exported statically (never as a namespace value), so esbuild still bundles only what is used.
export * from 'zod/mini';
/** Any schema (mini's base type); what the route table holds. */
export type Schema = ZodMiniType;
