import { ulid } from 'ulid';
import { buildHttpEvent, lambdaContext } from '../../infra/local/event';
import { idTokenClaims } from '../../infra/local/jwt';
import type { Deps } from '../../shared/deps';
import type { Role } from '../../shared/domain/scope';
import type { HttpHandler } from '../../shared/http/handler';
import { routes, type RouteName } from '../../shared/http/routes';

/** Claims as API Gateway's JWT authorizer passes them on. */
export const as = (role: Role, org: string, sub = `${role}@${org}`) => ({ sub, role, org });

export interface Call {
  params?: Record<string, string>;
  query?: Record<string, string | number>;
  body?: unknown;
  /** Raw body (sent as is) — e.g. CSV or broken JSON; bytes that are not UTF-8 text go base64-encoded, as API Gateway sends them. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** `{ sub, role, org }` (as `as()` makes them) are sent as a Cognito ID token's claims; anything else as given. */
  claims?: Record<string, string>;
  deps?: Partial<Deps>;
}

export interface Answer<T = any> {
  status: number;
  headers: Record<string, string>;
  body: T;
  text: string;
}

const modules = new Map<RouteName, Promise<HttpHandler>>();
const load = (name: RouteName) => {
  let m = modules.get(name);
  if (!m) {
    m = import(`../../functions/${name}/handler.ts`).then((x: { handler: HttpHandler }) => x.handler);
    modules.set(name, m);
  }
  return m;
};

/** A plain `{ sub, role, org }` as the ID token the authorizer would pass on; claims already in a token's shape as they are. */
const asIdToken = (c: Record<string, string>): Record<string, string> =>
  'role' in c && 'org' in c && 'sub' in c && Object.keys(c).length === 3 ? idTokenClaims({ sub: c.sub!, role: c.role!, org: c.org! }) : c;

/** Invokes a route's handler module with a payload-2.0 event, as API Gateway would after its authorizer. */
export const invoke = async <T = any>(name: RouteName, call: Call = {}): Promise<Answer<T>> => {
  const route = routes[name];
  const params = call.params ?? {};
  const rawPath = route.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
  const qs = new URLSearchParams(Object.entries(call.query ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
  const headers: Record<string, string> = { ...(call.headers ?? {}) };
  let body: string | Buffer | undefined;
  if (call.raw !== undefined) body = call.raw;
  else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] ??= 'application/json';
  }
  const base = await load(name);
  const handler = call.deps ? base.withDeps(call.deps) : base;
  const res = await handler(
    buildHttpEvent({
      method: route.method,
      routePath: route.path,
      rawPath,
      rawQueryString: qs,
      headers,
      pathParameters: params,
      body,
      claims: call.claims && asIdToken(call.claims),
    }),
    lambdaContext(name),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(res.body);
  } catch {
    parsed = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body: parsed as T, text: res.body };
};

/** A fresh id, unique per test, valid as an org/plan id. */
export const uid = (prefix = 't') => `${prefix}-${ulid().toLowerCase()}`;
