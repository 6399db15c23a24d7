import type { Deps } from '../deps';
import type { OrgRecord } from '../store/orgs';

/**
 * The caller's org, looked up on every authenticated request (its kind must
 * fit the token's role; its path is the caller's scope). Orgs never move and
 * never change kind, so a found org is cached for the life of the container;
 * a missing one is not (it may be created a moment later).
 */
const cache = new Map<string, OrgRecord>();

export const callerOrg = async (deps: Deps, orgId: string): Promise<OrgRecord | undefined> => {
  const key = `${deps.config.tableName}\u0000${orgId}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const org = await deps.orgs.get(orgId);
  if (org) cache.set(key, org);
  return org;
};
