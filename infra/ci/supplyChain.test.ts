import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkSupplyChain, type Lockfile, type PackageJson, packageKey, packageName, scriptDecisions } from './supplyChain';

const read = (f: string) => readFileSync(new URL(`../../${f}`, import.meta.url), 'utf8');
const pkg = JSON.parse(read('package.json')) as PackageJson;
const lock = JSON.parse(read('package-lock.json')) as Lockfile;
const readme = read('README.md');
const copy = <T>(x: T): T => structuredClone(x);

describe('supply-chain checks (.ci/run)', () => {
  it('the repository passes them', () => {
    expect(checkSupplyChain(pkg, lock, readme)).toEqual([]);
  });

  it('names packages and their lockfile keys from bundle inputs', () => {
    expect(packageName('node_modules/@aws-sdk/client-s3/dist-es/index.js')).toBe('@aws-sdk/client-s3');
    expect(packageKey('node_modules/a/node_modules/@s/b/lib/x.js')).toBe('node_modules/a/node_modules/@s/b');
    expect(packageKey('shared/http/handler.ts')).toBeUndefined();
  });

  it('fails on an entry without integrity, a tarball outside the registry, or a new install script', () => {
    const l = copy(lock);
    delete l.packages['node_modules/zod']!.integrity;
    l.packages['node_modules/ulid']!.resolved = 'https://evil.example/ulid.tgz';
    l.packages['node_modules/p-limit']!.hasInstallScript = true;
    expect(checkSupplyChain(pkg, l, readme)).toEqual([
      'node_modules/ulid resolves outside the registry: https://evil.example/ulid.tgz',
      'node_modules/zod has no integrity hash',
      "p-limit has an install script that package.json's allowScripts does not decide (true runs it, false never does)",
      "p-limit's install script has no reason in infra/ci/supplyChain.ts INSTALL_SCRIPT_REASONS",
    ]);
  });

  it("install scripts: package.json's allowScripts decides (a pinned name@version too), and stale entries are named", () => {
    // The repository's decisions: esbuild runs (.ci/run rebuilds it), swagger-ui-dist's analytics never do.
    expect([...scriptDecisions(pkg)]).toEqual([
      ['esbuild', true],
      ['@scarf/scarf', false],
    ]);
    const p = copy(pkg);
    const esbuild = lock.packages['node_modules/esbuild']!.version;
    p.allowScripts = { [`esbuild@${esbuild}`]: true, '@scarf/scarf@1.4.0': false, zod: true };
    expect(scriptDecisions(p).get('@scarf/scarf')).toBe(false);
    expect(checkSupplyChain(p, lock, readme)).toEqual([
      "package.json's allowScripts names zod, which installs no script (npm install-scripts prune)",
    ]);
    delete p.allowScripts.zod;
    delete p.allowScripts['@scarf/scarf@1.4.0'];
    expect(checkSupplyChain(p, lock, readme)).toEqual([
      "@scarf/scarf has an install script that package.json's allowScripts does not decide (true runs it, false never does)",
    ]);
  });

  it('fails when package.json and the lockfile disagree', () => {
    const p = copy(pkg);
    p.dependencies!.zod = '^5.0.0';
    p.devDependencies!['left-pad'] = '1.3.0';
    const problems = checkSupplyChain(p, lock, readme);
    expect(problems).toContain(`dependency zod: package.json says ^5.0.0, the lockfile ${pkg.dependencies!.zod}`);
    expect(problems).toContain('devDependency left-pad: package.json says 1.3.0, the lockfile (absent)');
    expect(problems).toContain('left-pad is in package.json but not installed by the lockfile');
  });

  it('fails when a runtime dependency is not explained in README, or README names one that is not', () => {
    const p = copy(pkg);
    delete p.dependencies!.ulid;
    p.dependencies!.lodash = '^4.0.0';
    const problems = checkSupplyChain(
      p,
      { ...lock, packages: { ...lock.packages, 'node_modules/lodash': { integrity: 'sha512-x' } } },
      readme,
    );
    expect(problems.filter((x) => x.startsWith('README'))).toEqual([
      `README's "Runtime dependencies" does not say why lodash is there`,
      `README's "Runtime dependencies" names ulid, which is not one`,
    ]);
  });
});
