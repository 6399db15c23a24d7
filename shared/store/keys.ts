/**
 * Key builders: the only place that spells a key. See ./README.md for the
 * design and the access pattern each key serves.
 */
export const keys = {
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  orgChildren: (parentId: string) => `CHILDREN#${parentId}`,
  orgChildSort: (id: string) => `ORG#${id}`,
  target: (orgId: string, year: number) => ({ pk: `ORG#${orgId}`, sk: `TARGET#${year}` }),
} as const;

/** Keys every item carries; stripped before items become domain records. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'expiresAt', 'entity'] as const;

export const stripKeys = <T extends Record<string, unknown>>(item: T): Omit<T, (typeof KEY_ATTRIBUTES)[number]> => {
  const out: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete out[k];
  return out as Omit<T, (typeof KEY_ATTRIBUTES)[number]>;
};
