import { msg } from '../../shared/messages/catalogue';
import { gzipSync } from 'node:zlib';
import { readAsset } from '../../shared/http/assets';
import { DOCS_INIT_SCRIPT } from '../../shared/http/docsPage';
import { docsAsset } from '../../shared/http/routes/meta';
import { notFound } from '../../shared/http/problem';
import { staticHandler, staticResult } from '../../shared/http/staticHandler';

/** The renderer (from swagger-ui-dist, copied into the bundle by the stack), its style sheet and our start script. */
const FILES: Record<string, { type: string; read: () => Buffer }> = {
  'swagger-ui-bundle.js': { type: 'text/javascript; charset=utf-8', read: () => readAsset('swagger-ui-dist/swagger-ui-bundle.js') },
  'swagger-ui.css': { type: 'text/css; charset=utf-8', read: () => readAsset('swagger-ui-dist/swagger-ui.css') },
  'init.js': { type: 'text/javascript; charset=utf-8', read: () => Buffer.from(DOCS_INIT_SCRIPT, 'utf8') },
};

const gzipped = new Map<string, Buffer>();

export const handler = staticHandler('docsAsset', docsAsset, async (event) => {
  const { file } = event.parsed.params as { file: string };
  const f = Object.hasOwn(FILES, file) ? FILES[file] : undefined;
  if (!f) throw notFound(msg('NOT_FOUND.asset', { file }));
  const headers = { 'cache-control': 'public, max-age=86400', vary: 'accept-encoding' };
  // 1.8 MB of JavaScript is 0.5 MB gzipped; Lambda answers at most 6 MB either way.
  if (/\bgzip\b/.test(event.headers?.['accept-encoding'] ?? '')) {
    let gz = gzipped.get(file);
    if (!gz) gzipped.set(file, (gz = gzipSync(f.read())));
    return staticResult(200, gz, f.type, { headers: { ...headers, 'content-encoding': 'gzip' } });
  }
  return staticResult(200, f.read().toString('utf8'), f.type, { headers });
});
