import type { Deps } from '../deps';
import { inScope, isStrictAncestor, type Principal } from '../domain/scope';
import { msg } from '../messages/catalogue';
import type { OrgRecord } from '../store/orgs';
import { forbidden, notFound, unprocessable } from './problem';

/**
 * Access checks handlers share. Roles are checked by the route table before
 * the body is read (middleware/authenticate.ts); here, in the same order
 * everywhere: existence (404) → scope (403).
 */

/** The org, if it exists (404) and the caller reaches it (403). */
export const orgInScope = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await deps.orgs.get(orgId);
  if (!org) throw notFound('org', orgId);
  if (!inScope(p, org)) throw forbidden(msg('FORBIDDEN.orgScope', { orgId }));
  return org;
};

/** The unit, if it exists (404), the caller reaches it (403) and it is a unit (422 NOT_A_UNIT). */
export const unitInScope = async (
  deps: Deps,
  p: Principal,
  unitId: string,
  why: 'members' | 'enrol' | 'enrolments',
): Promise<OrgRecord> => {
  const org = await orgInScope(deps, p, unitId);
  if (org.kind !== 'unit') throw unprocessable('NOT_A_UNIT', msg('NOT_A_UNIT', { orgId: org.id, kind: org.kind, why }));
  return org;
};

/** The org, if the caller's org is a strict ancestor of it (targets are set from above). */
export const orgBelow = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await orgInScope(deps, p, orgId);
  if (!isStrictAncestor(p, org)) throw forbidden(msg('FORBIDDEN.targetsFromAbove', { orgId }));
  return org;
};
