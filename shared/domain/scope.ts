/**
 * Who may touch which org (SPEC §2). Pure: works on org paths (ids from the
 * root down), which every stored org carries, so no tree walk is needed.
 */
export const ROLES = ['federation_admin', 'office_staff', 'unit_admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  sub: string;
  role: Role;
  /** The org the user belongs to. */
  orgId: string;
  /** That org's path from the root (inclusive), once the caller's org has been looked up. */
  orgPath?: readonly string[];
}

export type OrgKind = 'federation' | 'office' | 'agency' | 'unit';

/** SPEC §2: federation_admin → the root; office_staff → an office or agency; unit_admin → a unit. */
const KINDS_OF_ROLE: Record<Role, readonly OrgKind[]> = {
  federation_admin: ['federation'],
  office_staff: ['office', 'agency'],
  unit_admin: ['unit'],
};

/** Whether a token's role fits the kind of its org; a token that does not is refused on every route. */
export const roleFitsOrgKind = (role: Role, kind: OrgKind): boolean => KINDS_OF_ROLE[role].includes(kind);

/** "a office" reads wrong: the article for an org kind. */
export const withArticle = (kind: OrgKind): string => `${kind === 'office' || kind === 'agency' ? 'an' : 'a'} ${kind}`;

/** An org as scope rules see it: its id and its path from the root (inclusive). */
export interface ScopedOrg {
  id: string;
  path: readonly string[];
}

/** An org as the tree holds it (the store adds its timestamps). */
export interface OrgNode extends ScopedOrg {
  name: string;
  kind: OrgKind;
  parentId: string | null;
  /** Ids from the root down to this org, inclusive. Orgs never move, so it is stable. */
  path: string[];
  headcount: number | null;
}

/** X reaches X and its descendants, never a sibling or an ancestor's other branches. */
export const inScope = (p: Principal, org: ScopedOrg): boolean => org.path.includes(p.orgId);

/** Targets are set from above: the caller's org must be a strict ancestor. */
export const isStrictAncestor = (p: Principal, org: ScopedOrg): boolean => org.id !== p.orgId && org.path.includes(p.orgId);

/** Who sets an org's target (SPEC §4.1): an org above it, and federation staff for the root itself (its own target). */
export const setsTargetOf = (p: Principal, org: ScopedOrg & { kind: OrgKind }): boolean =>
  isStrictAncestor(p, org) || (p.role === 'federation_admin' && org.kind === 'federation' && org.id === p.orgId);

/** Roles that manage the org tree, targets, and review claims. */
export const isManager = (role: Role): boolean => role === 'federation_admin' || role === 'office_staff';

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);
