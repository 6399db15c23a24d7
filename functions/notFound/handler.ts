import { languageOfHeaders, msg } from '../../shared/messages/catalogue';
import { matchRoute } from '../../shared/http/match';
import { HttpProblem } from '../../shared/http/problem';
import { problemJson } from '../../shared/http/respond';
import type { HttpEvent, HttpResult } from '../../shared/http/types';

/**
 * The HTTP API's `$default` route (and the local gateway's fallback): every
 * request no route matched. Without it API Gateway answers with its own
 * non-problem body. A known path with another method is 405 with `Allow`.
 */
export const handler = async (event: HttpEvent): Promise<HttpResult> => {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const m = matchRoute(method, path);
  const lang = languageOfHeaders(event.headers);
  if (m.kind === 'method') {
    const p = new HttpProblem(405, 'METHOD_NOT_ALLOWED', msg('METHOD_NOT_ALLOWED', { path, method, allow: m.allow }));
    return problemJson(405, p.toBody(lang), { allow: m.allow.join(', ') });
  }
  // Only the method and path are named: they come from the URL, which holds no personal data (SPEC §3).
  return problemJson(404, new HttpProblem(404, 'NOT_FOUND', msg('NOT_FOUND.route', { method, path })).toBody(lang));
};
