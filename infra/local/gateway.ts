import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { JWTPayload } from 'jose';
import type { HttpHandler } from '../../shared/http/handler';
import { HttpProblem } from '../../shared/http/problem';
import { problemJson } from '../../shared/http/respond';
import { routeEntries, type RouteName } from '../../shared/http/routes';
import type { HttpResult } from '../../shared/http/types';
import { CORS } from '../cors';
import { buildHttpEvent, lambdaContext } from './event';

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  name: RouteName;
  method: string;
  path: string;
  auth: boolean;
  regex: RegExp;
  paramNames: string[];
}

const compile = (): CompiledRoute[] =>
  routeEntries.map(([name, r]) => {
    const paramNames: string[] = [];
    const pattern = r.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a: string, b: string) => {
      paramNames.push(a ?? b);
      return '([^/]+)';
    });
    return { name, method: r.method, path: r.path, auth: r.auth, regex: new RegExp(`^${pattern}$`), paramNames };
  });

export interface GatewayOptions {
  verify: (token: string) => Promise<JWTPayload>;
  loadHandler: (name: RouteName) => Promise<HttpHandler>;
  corsOrigins: string[];
}

const problem = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  problemJson(status, new HttpProblem(status, code, detail).toBody(), headers);

const readBody = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpProblem(413, 'PAYLOAD_TOO_LARGE', 'The body exceeds 10 MB.'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/**
 * The local stand-in for API Gateway HTTP API: matches the shared route
 * table, runs the JWT authorizer (401 before any handler runs), applies the
 * CORS settings, and invokes the same handler modules with payload-2.0 events.
 */
export const createGateway = (opts: GatewayOptions): Server => {
  const compiled = compile();

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
    let match: { route: CompiledRoute; params: Record<string, string> } | undefined;
    for (const r of compiled) {
      if (r.method !== method) continue;
      const m = r.regex.exec(url.pathname);
      if (!m) continue;
      try {
        match = { route: r, params: Object.fromEntries(r.paramNames.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
      } catch {
        return problem(400, 'VALIDATION_FAILED', 'The path is not valid percent-encoding.');
      }
      break;
    }
    if (!match) return problem(404, 'NOT_FOUND', `No route ${method} ${url.pathname}.`);

    let claims: Record<string, string | number> | undefined;
    if (match.route.auth) {
      const header = req.headers.authorization ?? '';
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      if (!token) return problem(401, 'UNAUTHORIZED', 'A bearer token is required.', { 'www-authenticate': 'Bearer' });
      try {
        const payload = await opts.verify(token);
        claims = Object.fromEntries(
          Object.entries(payload).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'string' ? v : JSON.stringify(v)]),
        );
      } catch {
        return problem(401, 'UNAUTHORIZED', 'The token is invalid or expired.', {
          'www-authenticate': 'Bearer error="invalid_token"',
        });
      }
    }
    const body = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const event = buildHttpEvent({
      method,
      routePath: match.route.path,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      pathParameters: match.params,
      body,
      claims,
      sourceIp: req.socket.remoteAddress,
    });
    const handler = await opts.loadHandler(match.route.name);
    return handler(event, lambdaContext(match.route.name));
  };

  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const origin = req.headers.origin;
    handle(req)
      .catch((e: unknown) =>
        e instanceof HttpProblem
          ? problemJson(e.status, e.toBody())
          : problem(500, 'INTERNAL', 'The local gateway failed to invoke the handler.'),
      )
      .then((r) => {
        const headers = { ...(r.headers ?? {}), ...corsHeaders(origin) };
        const payload = r.isBase64Encoded ? Buffer.from(r.body ?? '', 'base64') : Buffer.from(r.body ?? '', 'utf8');
        res.writeHead(r.statusCode, { ...headers, 'content-length': String(payload.length) });
        res.end(payload);
      });
  });
};
