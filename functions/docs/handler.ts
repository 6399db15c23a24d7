import { docs } from '../../shared/http/routes/meta';
import { DOCS_PAGE, DOCS_CSP } from '../../shared/http/docsPage';
import { staticHandler, staticResult } from '../../shared/http/staticHandler';

export const handler = staticHandler('docs', docs, async () =>
  staticResult(200, DOCS_PAGE, 'text/html; charset=utf-8', { csp: DOCS_CSP, headers: { 'cache-control': 'public, max-age=300' } }),
);
