import type { MiddlewareObj } from '@middy/core';
import { isRole, type Principal } from '../../domain/scope';
import { forbidden, unauthorized } from '../problem';
import type { RouteDef } from '../route';
import type { HttpEvent, HttpResult } from '../types';

export type AuthedEvent = HttpEvent & { principal: Principal | null };

type Claims = Record<string, string | number | boolean | string[]>;

const claim = (claims: Claims, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = claims[n];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
};

/**
 * Reads the caller from the claims API Gateway's JWT authorizer verified
 * (`requestContext.authorizer.jwt.claims`). Cognito ID tokens carry custom
 * attributes as `custom:role` / `custom:org`; local tokens as `role` / `org`.
 */
export const principalFromEvent = (event: HttpEvent): Principal | null => {
  const claims = event.requestContext?.authorizer?.jwt?.claims as Claims | undefined;
  if (!claims) return null;
  const sub = claim(claims, 'sub');
  const role = claim(claims, 'role', 'custom:role');
  const orgId = claim(claims, 'org', 'custom:org');
  if (!sub || !role || !orgId) return null;
  if (!isRole(role)) throw forbidden(`Role "${role}" has no access to this API.`);
  return { sub, role, orgId };
};

export const authenticate = (route: RouteDef): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const principal = principalFromEvent(request.event);
    if (route.auth && !principal) throw unauthorized('The token lacks the sub, role or org claim.');
    (request.event as AuthedEvent).principal = principal;
  },
});
