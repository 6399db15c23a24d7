import type { TransactItem } from './counters';
import { queryPage, type StoreContext } from './items';
import { claimRefOf } from './claimRecord';
import { keys, itemOf } from './keys';

/**
 * Public disclosure of a paid claim (公示, SPEC §4.4). Written in the same
 * transaction that marks the claim paid, deleted in the one that rolls it
 * back. It holds only what may be published: the member's masked name, never
 * the name, ID number or anything else personal.
 */
export interface DisclosureRecord {
  claimRef: string;
  /** maskName(): 张*, 欧阳**. */
  memberName: string;
  unitName: string;
  /** YYYY-MM of the admission: the day would narrow down who it was. */
  admissionMonth: string;
  benefitFen: number;
  paidDate: string;
}

export const disclosurePut = (tableName: string, planId: string, d: DisclosureRecord): TransactItem => ({
  Put: { TableName: tableName, Item: itemOf(keys.disclosure(planId, d.paidDate, d.claimRef), { entity: 'disclosure', ...d }) },
});

/** The disclosure of a paid claim (keyed by its public reference, claimRefOf(claimId)). */
export const disclosureDelete = (tableName: string, planId: string, paidDate: string, claimId: string): TransactItem => ({
  Delete: { TableName: tableName, Key: keys.disclosure(planId, paidDate, claimRefOf(claimId)) },
});

/** Exactly the public fields, in the order SPEC lists them (nothing else an item may carry leaves). */
const decode = (i: Record<string, unknown>): DisclosureRecord => ({
  claimRef: i.claimRef as string,
  memberName: i.memberName as string,
  unitName: i.unitName as string,
  admissionMonth: i.admissionMonth as string,
  benefitFen: i.benefitFen as number,
  paidDate: i.paidDate as string,
});

export const disclosureRepo = (ctx: StoreContext) => ({
  /** A plan's paid claims, newest paidDate first. */
  list: (planId: string, limit: number, cursor?: string) =>
    queryPage(ctx, { index: null, partition: keys.disclosures(planId), limit, cursor, newestFirst: true }, decode),
});

export type DisclosureRepo = ReturnType<typeof disclosureRepo>;
