import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ConsoleMode = 'localstack' | 'aws';
export const consoleDir = fileURLToPath(new URL('.', import.meta.url));
export const consoleDist = (mode: ConsoleMode): string => join(consoleDir, 'dist', mode);

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
    0,
  );

/** Builds the console with Vite (`outDir` overrides dist/<mode>); returns the output directory. */
export const buildConsole = async (mode: ConsoleMode, outDir?: string): Promise<string> => {
  const { build } = await import('vite');
  const out = outDir ?? consoleDist(mode);
  await build({ configFile: join(consoleDir, 'vite.config.ts'), mode, build: { outDir: out, emptyOutDir: true } });
  return out;
};

/** Builds only when the sources are newer than the last build (npm start on a fresh clone builds once). */
export const ensureConsoleBuilt = async (mode: ConsoleMode): Promise<string> => {
  const index = join(consoleDist(mode), 'index.html');
  const sources = Math.max(newest(join(consoleDir, 'src')), statSync(join(consoleDir, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return consoleDist(mode);
  return buildConsole(mode);
};
