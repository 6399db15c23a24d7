import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * CORS lives in one place: API Gateway's corsPreflight in AWS, and the local
 * gateway mirrors the same settings. Origins come from cdk.json context
 * `huzhu:corsOrigins` (override locally with CORS_ORIGINS=a,b).
 */
export const CORS = {
  allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
  allowHeaders: ['authorization', 'content-type', 'idempotency-key'],
  exposeHeaders: ['location', 'retry-after'],
  maxAgeSeconds: 600,
} as const;

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const corsOriginsFromCdkJson = (): string[] => {
  if (process.env.CORS_ORIGINS)
    return process.env.CORS_ORIGINS.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  try {
    const cdk = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context?: Record<string, unknown> };
    const v = cdk.context?.['huzhu:corsOrigins'];
    return Array.isArray(v) ? v.map(String) : [];
  } catch {
    return [];
  }
};
