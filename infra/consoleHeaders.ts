/**
 * The console's security headers, one definition for CloudFront's response headers policy
 * (infra/consoleSite.ts) and the local gateway (infra/local/consoleSite.ts).
 * Strict CSP: only the console's own scripts and styles (the build has no inline script or style),
 * calls only to the API, the sign-in domain and the bucket uploads go to; no framing.
 */
export const consoleCsp = (connect: string[]): string =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');

export const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'permissions-policy': 'camera=(self), geolocation=(), microphone=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;
