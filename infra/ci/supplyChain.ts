import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Supply-chain checks that can be made on this machine (the registry's audit
 * endpoint cannot be reached from here): `.ci/run` runs them right after
 * `npm ci --ignore-scripts`, before any install script may run.
 *
 * - every lockfile entry carries an integrity hash (entries shipped inside
 *   another package's tarball, `inBundle`, are covered by that tarball's hash);
 * - package.json and the lockfile's root agree, spec for spec;
 * - no package has an install script unless INSTALL_SCRIPTS names it:
 *   `run` ones are rebuilt by `.ci/run` (`npm rebuild …`), `skip` ones never run;
 * - the runtime dependencies are at most MAX_RUNTIME_DEPENDENCIES, and
 *   README's "Runtime dependencies" list names each of them (and no other).
 */

/**
 * Packages allowed to have an install script. To add one (e.g. a front-end tool that fetches a binary), name it
 * under `run` with why it must run, or under `skip` with why the app works without it.
 */
export const INSTALL_SCRIPTS: { run: Record<string, string>; skip: Record<string, string> } = {
  run: {
    esbuild: 'checks that its platform binary (an optional dependency) is installed; CDK and the bundle test build with it',
  },
  skip: {
    '@scarf/scarf': "swagger-ui-dist's install-time download analytics: a network call, nothing the app needs",
  },
};

/** Deliberately few: adding one means raising this and saying why in README. */
export const MAX_RUNTIME_DEPENDENCIES = 20;

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  inBundle?: boolean;
  dev?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}
export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}
export interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `node_modules/a/node_modules/@s/b/…` → `@s/b`. */
export const packageName = (path: string): string | undefined => {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
};

/** The lockfile key of the package a file belongs to: `node_modules/x/node_modules/y/lib/z.js` → `node_modules/x/node_modules/y`. */
export const packageKey = (file: string): string | undefined => {
  const name = packageName(file);
  if (!name) return undefined;
  const at = file.lastIndexOf('node_modules/');
  return `${file.slice(0, at)}node_modules/${name}`;
};

const sameSpecs = (what: string, a: Record<string, string> = {}, b: Record<string, string> = {}): string[] => {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (a[k] !== b[k]) out.push(`${what} ${k}: package.json says ${a[k] ?? '(absent)'}, the lockfile ${b[k] ?? '(absent)'}`);
  }
  return out;
};

/** Every problem found; empty when all is well. */
export const checkSupplyChain = (pkg: PackageJson, lock: Lockfile, readme: string): string[] => {
  const problems: string[] = [];
  if (lock.lockfileVersion < 3) problems.push(`lockfileVersion ${lock.lockfileVersion}: use npm ≥ 9 (version 3)`);
  const root = lock.packages[''] ?? {};
  problems.push(...sameSpecs('dependency', pkg.dependencies, root.dependencies));
  problems.push(...sameSpecs('devDependency', pkg.devDependencies, root.devDependencies));
  for (const name of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]) {
    if (!lock.packages[`node_modules/${name}`]) problems.push(`${name} is in package.json but not installed by the lockfile`);
  }
  for (const [key, e] of Object.entries(lock.packages)) {
    if (key === '' || e.link) continue;
    if (!e.inBundle && !e.integrity) problems.push(`${key} has no integrity hash`);
    if (!e.inBundle && e.resolved && !e.resolved.startsWith('https://registry.npmjs.org/'))
      problems.push(`${key} resolves outside the registry: ${e.resolved}`);
    const name = packageName(key)!;
    if (e.hasInstallScript && !(name in INSTALL_SCRIPTS.run) && !(name in INSTALL_SCRIPTS.skip))
      problems.push(`${key} has an install script and is not on the allow-list (infra/ci/supplyChain.ts INSTALL_SCRIPTS)`);
  }
  const runtime = Object.keys(pkg.dependencies ?? {});
  if (runtime.length > MAX_RUNTIME_DEPENDENCIES)
    problems.push(`${runtime.length} runtime dependencies, more than ${MAX_RUNTIME_DEPENDENCIES}: each ships in the functions`);
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^#+ Runtime dependencies\s*$/.test(l));
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l));
  const section = start < 0 ? undefined : lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
  if (!section) problems.push('README has no "Runtime dependencies" section');
  else {
    const named = new Set([...section.matchAll(/^- `([^`]+)`\s*(?:—|-|:)\s*\S/gm)].map((m) => m[1]!));
    for (const d of runtime) if (!named.has(d)) problems.push(`README's "Runtime dependencies" does not say why ${d} is there`);
    for (const d of named) if (!runtime.includes(d)) problems.push(`README's "Runtime dependencies" names ${d}, which is not one`);
  }
  return problems;
};

/** `tsx infra/ci/supplyChain.ts [--print-rebuild]`: exits 1 with every problem, or prints the packages whose scripts may run. */
if (process.argv[1]?.endsWith('supplyChain.ts')) {
  const dir = process.cwd();
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  if (process.argv.includes('--print-rebuild')) {
    console.log(Object.keys(INSTALL_SCRIPTS.run).join(' '));
  } else {
    const problems = checkSupplyChain(JSON.parse(read('package.json')), JSON.parse(read('package-lock.json')), read('README.md'));
    for (const p of problems) console.error(`supply chain: ${p}`);
    if (problems.length > 0) process.exit(1);
    console.log('supply chain: ok (integrity hashes, package.json = lockfile, install scripts allow-listed, runtime dependencies named)');
  }
}
