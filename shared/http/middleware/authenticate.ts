import type { MiddlewareObj } from '@middy/core';
import { type AppConfig, COGNITO_CLAIMS } from '../../config';
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

export type ClaimNames = NonNullable<AppConfig['jwtClaims']>;

/** Whether the token is an ID token: `name=value` holds (`none`: the provider's tokens cannot tell, and the authorizer's audience must). */
const isIdToken = (claims: Claims, rule: string): boolean => {
  if (rule === 'none') return true;
  const at = rule.indexOf('=');
  return at > 0 && claims[rule.slice(0, at)] === rule.slice(at + 1);
};

/**
 * Reads the caller from the claims API Gateway's JWT authorizer verified
 * (`requestContext.authorizer.jwt.claims`): only an ID token (Cognito's
 * access tokens pass the authorizer too, with its client id as `client_id`),
 * and only the configured role and org claims (`custom:role` / `custom:org`,
 * Cognito custom attributes only administrators can write) — never a plain
 * `role`/`org` claim some other token may carry. Local tokens are minted in
 * the same shape (infra/local/jwt.ts).
 */
export const principalFromEvent = (event: HttpEvent, names: ClaimNames = COGNITO_CLAIMS): Principal | null => {
  const claims = event.requestContext?.authorizer?.jwt?.claims as Claims | undefined;
  if (!claims) return null;
  if (!isIdToken(claims, names.idToken)) return null;
  const sub = claim(claims, 'sub');
  const role = claim(claims, names.role);
  const orgId = claim(claims, names.org);
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
    const principal = principalFromEvent(request.event, getDeps().config.jwtClaims ?? COGNITO_CLAIMS);
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
