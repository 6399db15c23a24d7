import { home } from '../../shared/http/routes/meta';
import { staticHandler, staticResult } from '../../shared/http/staticHandler';

/** `/` → the API reference (relative, so it works behind any stage or host). */
export const handler = staticHandler('home', home, async () =>
  staticResult(302, '', 'text/plain; charset=utf-8', { headers: { location: 'docs' } }),
);
