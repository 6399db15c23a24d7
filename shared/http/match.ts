import { type RouteName, routeEntries } from './routes';

/**
 * Matching a request against the route table, as API Gateway does: the
 * local gateway routes with it, and the catch-all function uses it to tell a
 * wrong method on a known path (405 + Allow) from an unknown path (404).
 */
interface CompiledRoute {
  name: RouteName;
  method: string;
  regex: RegExp;
  paramNames: string[];
}

const compiled: CompiledRoute[] = routeEntries.map(([name, r]) => {
  const paramNames: string[] = [];
  const pattern = r.path
    .split('/')
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (!m) return seg.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      paramNames.push(m[1]!);
      return '([^/]+)';
    })
    .join('/');
  return { name, method: r.method, regex: new RegExp(`^${pattern}$`), paramNames };
});

export type RouteMatch =
  | { kind: 'route'; name: RouteName; params: Record<string, string> }
  /** The path exists with other methods. */
  | { kind: 'method'; allow: string[] }
  | { kind: 'none' };

/** Path parameters stay percent-encoded here; decoding (and refusing bad encodings) is the caller's. */
export const matchRoute = (method: string, path: string): RouteMatch => {
  const allow = new Set<string>();
  for (const r of compiled) {
    const m = r.regex.exec(path);
    if (!m) continue;
    if (r.method === method) return { kind: 'route', name: r.name, params: Object.fromEntries(r.paramNames.map((n, i) => [n, m[i + 1]!])) };
    allow.add(r.method);
  }
  return allow.size > 0 ? { kind: 'method', allow: [...allow].sort() } : { kind: 'none' };
};
