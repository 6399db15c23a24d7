import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { languageOfHeaders, msg } from '../../shared/messages/catalogue';
import type { JWTPayload } from 'jose';
import { matchRoute } from '../../shared/http/match';
import { HttpProblem } from '../../shared/http/problem';
import { json, problemJson } from '../../shared/http/respond';
import { routes } from '../../shared/http/routes';
import type { Context, HttpEvent, HttpResult } from '../../shared/http/types';
import type { JobName } from '../../shared/jobs';
import { CORS } from '../cors';
import { buildHttpEvent, lambdaContext } from './event';
import { asInvocation } from './invocation';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export type LocalFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

export interface GatewayOptions {
  verify: (token: string) => Promise<JWTPayload>;
  /** A route's or job's handler (`functions/<name>/handler.ts`). */
  loadHandler: (name: keyof typeof routes | JobName) => Promise<LocalFunction>;
  corsOrigins: string[];
  /** Local only: the console, its config and the development sign-in (infra/local/consoleSite.ts). */
  site?: (method: string, path: string, body: () => Promise<Buffer | null>) => Promise<HttpResult | null>;
}

/** API Gateway's own answers (before or instead of a function): `{"message": …}`, not problem+json (SPEC §3). */
const gatewayAnswer = (status: number, message: string, headers: Record<string, string> = {}) => json(status, { message }, headers);

/**
 * The body, or `null` once it passes API Gateway's limit. Past the limit the
 * rest is not kept, and the socket is not torn down mid-request (a client
 * would see a reset instead of an answer): the gateway answers 413 and closes
 * the connection after the answer.
 */
const readBody = (req: IncomingMessage): Promise<Buffer | null> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) return resolve(null);
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        chunks.length = 0;
        resolve(null);
      } else chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * Lambda runs several invocations of one function in one process only in
 * multi-concurrency mode, where each runs inside its own InvokeStore context;
 * the local gateway does the same, so Powertools Logger keeps each request's
 * keys (request id, route) to that request.
 */

/**
 * The local stand-in for API Gateway HTTP API: matches the shared route
 * table, runs the JWT authorizer (401 with API Gateway's own body before any
 * handler runs), applies the CORS settings, sends what no route matches to
 * the same catch-all function as the `$default` route, and invokes the same
 * handler modules with payload-2.0 events.
 */
export const createGateway = (opts: GatewayOptions): Server => {
  const corsHeaders = (origin: string | undefined): Record<string, string> =>
    origin && opts.corsOrigins.includes(origin)
      ? { 'access-control-allow-origin': origin, 'access-control-expose-headers': CORS.exposeHeaders.join(','), vary: 'origin' }
      : {};

  const handle = async (req: IncomingMessage): Promise<HttpResult> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const origin = req.headers.origin;
    if (method === 'OPTIONS' && origin && req.headers['access-control-request-method']) {
      if (!opts.corsOrigins.includes(origin)) return { statusCode: 204, headers: {}, body: '' };
      return {
        statusCode: 204,
        headers: {
          ...corsHeaders(origin),
          'access-control-allow-methods': CORS.allowMethods.join(','),
          'access-control-allow-headers': CORS.allowHeaders.join(','),
          'access-control-max-age': String(CORS.maxAgeSeconds),
        },
        body: '',
      };
    }
    if (opts.site) {
      const served = await opts.site(method, url.pathname, () => readBody(req));
      if (served) return served;
    }
    const match = matchRoute(method, url.pathname);
    let name: keyof typeof routes | JobName = 'notFound';
    let routePath = '$default';
    let params: Record<string, string> = {};
    let claims: Record<string, string | number> | undefined;
    if (match.kind === 'route') {
      name = match.name;
      const route = routes[match.name];
      routePath = route.path;
      try {
        params = Object.fromEntries(Object.entries(match.params).map(([k, v]) => [k, decodeURIComponent(v)]));
      } catch {
        return problemJson(
          400,
          new HttpProblem(400, 'VALIDATION_FAILED', msg('VALIDATION_FAILED.path')).toBody(
            languageOfHeaders(req.headers as Record<string, string>),
          ),
        );
      }
      if (route.auth) {
        const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
        if (!token) return gatewayAnswer(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
        try {
          const payload = await opts.verify(token);
          claims = Object.fromEntries(
            Object.entries(payload).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v)]),
          );
        } catch {
          return gatewayAnswer(401, 'Unauthorized', { 'www-authenticate': 'Bearer error="invalid_token"' });
        }
      }
    }
    const body = await readBody(req);
    if (body === null) {
      const tooLarge = new HttpProblem(413, 'PAYLOAD_TOO_LARGE', msg('PAYLOAD_TOO_LARGE', { mib: MAX_BODY_BYTES / 1024 / 1024 }));
      return problemJson(413, tooLarge.toBody(languageOfHeaders(req.headers as Record<string, string>)), { connection: 'close' });
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const event = buildHttpEvent({
      method,
      routePath,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      pathParameters: params,
      body,
      claims,
      sourceIp: req.socket.remoteAddress,
    });
    const handler = await opts.loadHandler(name);
    const requestId = event.requestContext.requestId;
    const r = await asInvocation(() => handler(event, lambdaContext(name)), requestId);
    // API Gateway names its request id on every answer; logs carry the same id.
    return { ...r, headers: { ...(r.headers ?? {}), 'apigw-requestid': requestId } };
  };

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    handle(req)
      // A function that throws is what API Gateway answers 500 {"message":"Internal Server Error"} for.
      .catch(() => gatewayAnswer(500, 'Internal Server Error'))
      .then((r) => {
        const headers = { ...(r.headers ?? {}), ...corsHeaders(origin) };
        const payload = r.isBase64Encoded ? Buffer.from(r.body ?? '', 'base64') : Buffer.from(r.body ?? '', 'utf8');
        res.writeHead(r.statusCode, { ...headers, 'content-length': String(payload.length) });
        res.end(payload);
      });
  });
};
