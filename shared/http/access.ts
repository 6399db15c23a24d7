import type { Deps } from '../deps';
import { inScope, isManager, isStrictAncestor, type Principal, type Role } from '../domain/scope';
import type { OrgRecord } from '../store/orgs';
import { forbidden, notFound } from './problem';

/**
 * Access checks handlers share. Order matters and is the same everywhere:
 * role (403) → existence (404) → scope (403).
 */
export const requireRole = (p: Principal, ...roles: Role[]): void => {
  if (!roles.includes(p.role)) throw forbidden(`This needs the role ${roles.join(' or ')}.`);
};

export const requireManager = (p: Principal): void => {
  if (!isManager(p.role)) throw forbidden('This needs the role federation_admin or office_staff.');
};

/** The org, if it exists (404) and the caller reaches it (403). */
export const orgInScope = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await deps.orgs.get(orgId);
  if (!org) throw notFound(`Org ${orgId}`);
  if (!inScope(p, org)) throw forbidden(`Org ${orgId} is outside your scope.`);
  return org;
};

/** The org, if the caller's org is a strict ancestor of it (targets are set from above). */
export const orgBelow = async (deps: Deps, p: Principal, orgId: string): Promise<OrgRecord> => {
  const org = await orgInScope(deps, p, orgId);
  if (!isStrictAncestor(p, org)) throw forbidden(`Targets of ${orgId} are set by an org above it.`);
  return org;
};
