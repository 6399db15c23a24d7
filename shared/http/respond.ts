import type { HttpResult } from './types';

/**
 * Security headers on every answer, success or problem. CORS is not here:
 * API Gateway (and the local gateway, from the same config) owns it.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

/** An answer whose JSON text is already made (idempotent replays send the first answer's exact text). */
export const jsonText = (statusCode: number, text: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body: text,
});

export const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult =>
  jsonText(statusCode, JSON.stringify(body), headers);

export const problemJson = (statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult =>
  json(statusCode, body, { ...headers, 'content-type': 'application/problem+json; charset=utf-8' });
