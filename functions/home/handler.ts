import { home } from '../../shared/http/routes/meta';
import { HOME_PAGE, PAGE_CSP } from '../../shared/http/docsPage';
import { staticHandler, staticResult } from '../../shared/http/staticHandler';

/** `/`: a short Chinese page that leads on to the API reference (the console takes its place once it exists). */
export const handler = staticHandler('home', home, async () =>
  staticResult(200, HOME_PAGE, 'text/html; charset=utf-8', { csp: PAGE_CSP, headers: { 'cache-control': 'public, max-age=300' } }),
);
