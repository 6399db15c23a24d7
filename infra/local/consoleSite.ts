import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { ROLES, type Role } from '../../shared/domain/scope';
import type { HttpResult } from '../../shared/http/types';
import { consoleCsp, SECURITY_HEADERS } from '../consoleHeaders';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface ConsoleSiteOptions {
  /** The built console (console/dist/localstack). */
  dir: string;
  /** The S3 endpoint the browser uploads receipts and rosters to (connect-src). */
  s3Endpoint: string;
  /** Signs a development token (the local token tool's key). */
  signToken: (claims: { sub: string; role: Role; org: string }) => Promise<string>;
}

const problem = (status: number, code: string, detail: string): HttpResult => ({
  statusCode: status,
  headers: { 'content-type': 'application/problem+json' },
  body: JSON.stringify({ type: 'about:blank', title: code, status, code, detail }),
});

/**
 * What the local gateway serves besides the route table (never part of the AWS build):
 * the console at /console/ with the same security headers as CloudFront, its config.json,
 * and the development sign-in `POST /local/dev-token` (role + org → a token signed like `npm run token`).
 */
export const consoleSite = (opts: ConsoleSiteOptions) => {
  const headers = { ...SECURITY_HEADERS, 'content-security-policy': consoleCsp([opts.s3Endpoint]) };
  return async (method: string, path: string, body: () => Promise<Buffer | null>): Promise<HttpResult | null> => {
    if (method === 'POST' && path === '/local/dev-token') {
      let input: { role?: unknown; org?: unknown };
      try {
        input = JSON.parse((await body())?.toString('utf8') ?? '{}');
      } catch {
        return problem(400, 'VALIDATION_FAILED', '请求内容不是有效的 JSON。');
      }
      if (typeof input.role !== 'string' || !(ROLES as readonly string[]).includes(input.role))
        return problem(400, 'VALIDATION_FAILED', '请选择角色。');
      if (typeof input.org !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/.test(input.org))
        return problem(400, 'VALIDATION_FAILED', '组织编号只能由字母、数字和连字符组成。');
      const role = input.role as Role;
      const token = await opts.signToken({ sub: `dev-${role}-${input.org}`, role, org: input.org });
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ token }),
      };
    }
    if (method !== 'GET' && method !== 'HEAD') return null;
    if (path === '/console') return { statusCode: 301, headers: { location: '/console/' }, body: '' };
    if (!path.startsWith('/console/')) return null;
    if (path === '/console/config.json')
      return {
        statusCode: 200,
        headers: { ...headers, 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify({ apiUrl: '', auth: { kind: 'local' } }),
      };
    const rel = normalize(decodeURIComponent(path.slice('/console/'.length)) || 'index.html');
    if (rel.startsWith('..') || rel.includes(`${sep}..`) || rel.startsWith(sep)) return problem(404, 'NOT_FOUND', '没有这个页面。');
    try {
      const data = await readFile(join(opts.dir, rel));
      const immutable = rel.startsWith(`assets${sep}`);
      return {
        statusCode: 200,
        headers: {
          ...headers,
          'content-type': TYPES[extname(rel)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        body: data.toString('base64'),
        isBase64Encoded: true,
      };
    } catch {
      return problem(404, 'NOT_FOUND', '没有这个页面。');
    }
  };
};
