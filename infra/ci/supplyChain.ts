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
 * - every package with an install script is decided in package.json's `allowScripts` (npm ≥ 11 reads it:
 *   `true` runs the script, `false` never does) and its reason is in INSTALL_SCRIPT_REASONS; `.ci/run`
 *   installs with `--ignore-scripts` and then rebuilds the `true` ones (`npm rebuild …`);
 * - the runtime dependencies are at most MAX_RUNTIME_DEPENDENCIES, and
 *   README's "Runtime dependencies" list names each of them (and no other).
 */

/**
 * Why each package with an install script is decided as it is in package.json's `allowScripts` (which holds the
 * decision: npm ≥ 11 runs a dependency's install script only when it says `true`). To add one, decide it there
 * (`npm install-scripts approve <pkg>` or `deny <pkg>`) and say why here.
 */
export const INSTALL_SCRIPT_REASONS: Record<string, string> = {
  esbuild: 'runs: checks that its platform binary (an optional dependency) is installed; CDK and the bundle test build with it',
  '@scarf/scarf': "never runs: swagger-ui-dist's install-time download analytics, a network call, nothing the app needs",
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
  /** npm ≥ 11: which dependencies may run install scripts (`name` or `name@version` → true / false). */
  allowScripts?: Record<string, boolean>;
}

/** `allowScripts` keys are a name or a pinned `name@version`: `@s/b@1.2.3` → `@s/b`. */
const allowedName = (key: string): string => /^(@?[^@]+)/.exec(key)![1]!;

/** The decision package.json's `allowScripts` makes for each package name. */
export const scriptDecisions = (pkg: PackageJson): Map<string, boolean> =>
  new Map(Object.entries(pkg.allowScripts ?? {}).map(([k, v]) => [allowedName(k), v]));

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
  const withScripts = new Set<string>();
  for (const [key, e] of Object.entries(lock.packages)) {
    if (key === '' || e.link) continue;
    if (!e.inBundle && !e.integrity) problems.push(`${key} has no integrity hash`);
    if (!e.inBundle && e.resolved && !e.resolved.startsWith('https://registry.npmjs.org/'))
      problems.push(`${key} resolves outside the registry: ${e.resolved}`);
    if (e.hasInstallScript) withScripts.add(packageName(key)!);
  }
  const decided = scriptDecisions(pkg);
  for (const name of [...withScripts].sort()) {
    if (!decided.has(name))
      problems.push(`${name} has an install script that package.json's allowScripts does not decide (true runs it, false never does)`);
    if (!(name in INSTALL_SCRIPT_REASONS))
      problems.push(`${name}'s install script has no reason in infra/ci/supplyChain.ts INSTALL_SCRIPT_REASONS`);
  }
  for (const name of decided.keys())
    if (!withScripts.has(name))
      problems.push(`package.json's allowScripts names ${name}, which installs no script (npm install-scripts prune)`);
  for (const name of Object.keys(INSTALL_SCRIPT_REASONS))
    if (!withScripts.has(name)) problems.push(`INSTALL_SCRIPT_REASONS names ${name}, which installs no script`);
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
    const pkg: PackageJson = JSON.parse(read('package.json'));
    console.log([...scriptDecisions(pkg)].flatMap(([name, runs]) => (runs ? [name] : [])).join(' '));
  } else {
    const problems = checkSupplyChain(JSON.parse(read('package.json')), JSON.parse(read('package-lock.json')), read('README.md'));
    for (const p of problems) console.error(`supply chain: ${p}`);
    if (problems.length > 0) process.exit(1);
    console.log('supply chain: ok (integrity hashes, package.json = lockfile, install scripts decided, runtime dependencies named)');
  }
}
