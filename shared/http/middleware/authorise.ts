import type { MiddlewareObj } from '@middy/core';
import type { Deps } from '../../deps';
import { inScope, type Principal, setsTargetOf } from '../../domain/scope';
import { msg } from '../../messages/catalogue';
import { forbidden, notFound } from '../problem';
import type { RouteDef, RouteScope } from '../route';
import type { HttpEvent, HttpResult } from '../types';
import type { AuthedEvent } from './authenticate';

/** The path parameter a scope names, if the route's params schema accepts the path (else parseRequest answers 400). */
const paramOf = (route: RouteDef, event: HttpEvent, name: string): string | undefined => {
  const raw = event.pathParameters ?? {};
  const checked = route.params ? route.params.safeParse(raw) : { success: true as const, data: raw };
  if (!checked.success) return undefined;
  const v = (checked.data as Record<string, unknown>)[name];
  return typeof v === 'string' ? v : undefined;
};

const orgReached = async (deps: Deps, p: Principal, orgId: string, below: boolean): Promise<void> => {
  const org = await deps.orgs.get(orgId);
  if (!org) throw notFound('org', orgId);
  if (!inScope(p, org)) throw forbidden(msg('FORBIDDEN.orgScope', { orgId }));
  if (below && !setsTargetOf(p, org)) throw forbidden(msg('FORBIDDEN.targetsFromAbove', { orgId }));
};

const reach = async (deps: Deps, p: Principal, scope: Exclude<RouteScope, { body: string }>, id: string): Promise<void> => {
  if ('org' in scope) return orgReached(deps, p, id, false);
  if ('orgBelow' in scope) return orgReached(deps, p, id, true);
  if ('claim' in scope) {
    // As claims/views.ts claimReached says it (not imported: every function bundles this file).
    const c = await deps.claims.get(id);
    if (!c) throw notFound('claim', id);
    if (!inScope(p, { id: c.unitId, path: c.unitPath })) throw forbidden(msg('FORBIDDEN.claimScope', { claimId: id }));
    return;
  }
  const e = await deps.enrolments.get(id);
  if (!e) throw notFound('enrolment', id);
  const unit = await deps.orgs.get(e.unitId);
  if (!unit || !inScope(p, unit)) throw forbidden(msg('FORBIDDEN.enrolmentScope', { enrolmentId: id }));
};

/**
 * Access before work (SPEC §3): after authenticate (who, which role) and
 * before parseRequest (the body), the resource the path names must exist
 * (404) and be in the caller's scope (403) — so an out-of-scope caller with a
 * malformed or hostile body (a roster bomb included) is refused without its
 * body being decoded, parsed or read. The business function checks again as
 * part of its own consistent read; this is the gate, not the only check.
 * Routes whose target only the body names (`{ body }`) are checked by their
 * function once parsed; their role was checked already.
 */
export const authorise = (route: RouteDef, getDeps: () => Deps): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: async (request) => {
    const scope = route.scope;
    const principal = (request.event as AuthedEvent).principal;
    if (!scope || 'body' in scope || !principal) return;
    const name = Object.values(scope)[0] as string;
    const id = paramOf(route, request.event, name);
    if (id === undefined) return;
    await reach(getDeps(), principal, scope, id);
  },
});
