/**
 * Key builders: the only place that spells a key. See ./README.md for the
 * design and the access pattern each key serves.
 */
export const keys = {
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  orgChildren: (parentId: string) => `CHILDREN#${parentId}`,
  orgChildSort: (id: string) => `ORG#${id}`,
  target: (orgId: string, year: number) => ({ pk: `ORG#${orgId}`, sk: `TARGET#${year}` }),
  plan: (id: string) => ({ pk: `PLAN#${id}`, sk: 'PLAN' }),
  planList: 'PLANS',
  planListSort: (coverageStart: string, id: string) => `${coverageStart}#${id}`,
  /**
   * The enrolment id is a keyed hash of (person, plan) (PiiVault.enrolmentId), so this key
   * exists iff the person is enrolled in the plan: a conditional put on it is the uniqueness rule.
   */
  enrolment: (enrolmentId: string) => ({ pk: `ENR#${enrolmentId}`, sk: 'ENR' }),
  unitEnrolments: (unitId: string) => `UNIT#${unitId}#ENR`,
  unitEnrolmentSort: (planId: string, enrolmentId: string) => `${planId}#${enrolmentId}`,
  /** Exact per-unit, per-plan counters, sharded so parallel roster chunks do not contend on one item. */
  unitPlanCounter: (unitId: string, planId: string, shard: number) => ({ pk: `ORG#${unitId}`, sk: `COUNT#PLAN#${planId}#${shard}` }),
  unitPlanCounterPrefix: (planId: string) => `COUNT#PLAN#${planId}#`,
} as const;

/** Keys every item carries; stripped before items become domain records. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'entity'] as const;

export const stripKeys = <T extends Record<string, unknown>>(item: T): Omit<T, (typeof KEY_ATTRIBUTES)[number]> => {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as Omit<T, (typeof KEY_ATTRIBUTES)[number]>;
};
