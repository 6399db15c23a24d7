import { existsSync, readFileSync } from 'node:fs';
import { createRequire as requireFrom } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Package files a function serves (RouteDef.files). In AWS the stack copies
 * each into `assets/` beside the bundle (infra/routeFunction.ts); locally and
 * in tests they are read from node_modules. Read once per container.
 */
const cache = new Map<string, Buffer>();

const candidates = (moduleFile: string): string[] => {
  const here = dirname(fileURLToPath(import.meta.url));
  const out = [join(here, 'assets', basename(moduleFile))];
  for (const base of [import.meta.url, join(process.cwd(), 'package.json')]) {
    try {
      out.push(requireFrom(base).resolve(moduleFile));
    } catch {
      // not resolvable from there (a bundle has no node_modules beside it)
    }
  }
  return out;
};

export const readAsset = (moduleFile: string): Buffer => {
  const hit = cache.get(moduleFile);
  if (hit) return hit;
  const path = candidates(moduleFile).find((p) => existsSync(p));
  if (!path) throw new Error(`asset ${moduleFile} is not bundled with this function`);
  const data = readFileSync(path);
  cache.set(moduleFile, data);
  return data;
};
