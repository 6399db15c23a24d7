import { ENV } from '../../shared/config';
import { home } from '../../shared/http/routes/meta';
import { homePage, PAGE_CSP } from '../../shared/http/docsPage';
import { staticHandler, staticResult } from '../../shared/http/staticHandler';

/** `/`: a short Chinese page that leads to the console (CONSOLE_URL in AWS, /console/ locally) and the API reference. */
export const handler = staticHandler('home', home, async () =>
  staticResult(200, homePage(process.env[ENV.consoleUrl] || 'console/'), 'text/html; charset=utf-8', {
    csp: PAGE_CSP,
    headers: { 'cache-control': 'public, max-age=300' },
  }),
);
