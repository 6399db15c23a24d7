import type { MiddlewareObj } from '@middy/core';
import type { Deps } from '../../deps';
import { isRole, type Principal, roleFitsOrgKind } from '../../domain/scope';
import { msg } from '../../messages/catalogue';
import { callerOrg } from '../callerOrg';
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
  if (!isRole(role)) throw forbidden(msg('FORBIDDEN.role'));
  return { sub, role, orgId };
};

/**
 * Who is calling, before anything else is read: 401 without a usable token;
 * 403 when the token's role does not fit its org's kind (SPEC §2) or the
 * route is not for that role. The body is validated only after this.
 */
export const authenticate = (route: RouteDef, getDeps: () => Deps): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const principal = principalFromEvent(request.event);
    if (route.auth && !principal) throw unauthorized(msg('UNAUTHORIZED.claims'));
    if (principal && route.auth) {
      const org = await callerOrg(getDeps(), principal.orgId);
      if (!org) throw forbidden(msg('FORBIDDEN.tokenOrg', { orgId: principal.orgId }));
      if (!roleFitsOrgKind(principal.role, org.kind)) {
        throw forbidden(msg('FORBIDDEN.roleOrgKind', { role: principal.role, orgId: org.id, kind: org.kind }));
      }
      principal.orgPath = org.path;
      if (route.roles && !route.roles.includes(principal.role)) throw forbidden(msg('FORBIDDEN.needsRole', { roles: route.roles }));
    }
    (request.event as AuthedEvent).principal = principal;
  },
});
