import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { type ParsedEvent, parseRequest } from './middleware/parseRequest';
import { problems } from './middleware/problems';
import { requestLog } from './middleware/requestLog';
import { SECURITY_HEADERS } from './respond';
import type { RouteDef } from './route';
import type { RouteName, routes } from './routes';
import type { Context, HttpEvent, HttpResult } from './types';

/**
 * Public, read-only routes whose answer is not JSON (the API reference page,
 * its static files, the redirect at `/`): the same request log, problem
 * answers and parameter validation as every route (./handler.ts), but the
 * function answers a whole HTTP result. Nothing here reads the table, so
 * there are no deps to replace.
 */
export type StaticFn = (event: ParsedEvent) => Promise<HttpResult>;

export type StaticHandler = ((event: HttpEvent, context: Context) => Promise<HttpResult>) & { readonly route: RouteDef };

export const staticHandler = <N extends RouteName>(name: N, route: (typeof routes)[N], fn: StaticFn): StaticHandler => {
  const r: RouteDef = route;
  if (r.auth || r.method !== 'GET') throw new Error(`${name}: staticHandler serves public GET routes only`);
  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(requestLog(`${r.method} ${r.path}`))
    .use(problems())
    .use(httpHeaderNormalizer())
    .use(parseRequest(r))
    .handler((event) => fn(event as ParsedEvent));
  return Object.assign((event: HttpEvent, context: Context) => handler(event, context), { route: r });
};

/** A static answer with the security headers; `csp` replaces the API's `default-src 'none'` for pages. */
export const staticResult = (
  statusCode: number,
  body: string | Buffer,
  contentType: string,
  more: { csp?: string; headers?: Record<string, string> } = {},
): HttpResult => {
  const binary = Buffer.isBuffer(body);
  return {
    statusCode,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': contentType,
      ...(more.csp ? { 'content-security-policy': more.csp } : {}),
      ...(more.headers ?? {}),
    },
    body: binary ? body.toString('base64') : body,
    ...(binary ? { isBase64Encoded: true } : {}),
  };
};
