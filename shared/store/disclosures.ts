import { batchGetAll, batchKey } from './batch';
import type { TransactItem } from './counters';
import { type Page, queryPage, type StoreContext } from './items';
import { itemOf, keys } from './keys';

/**
 * Public disclosure of a paid claim (公示, SPEC §4.4). Written by the
 * transaction that rolls the claim forward to `paid` (shared/payments/), and
 * never deleted: a claim is only rolled forward once its payment completed.
 * It holds only what may be published: the member's masked name, never the
 * name, ID number or anything else personal. `claimRef` is random (newOpaqueRef),
 * fresh per disclosure: it encodes no time and links to no claim id or other
 * claim of the member. The item's key uses it too, so a list cursor (the
 * last key) names no claim either.
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

/**
 * `claimId` and `paymentId` ride along as internal attributes (for the
 * reconciliation, and so a list can hide a batch still being rolled forward);
 * decode() never lets them out.
 */
export const disclosurePut = (
  tableName: string,
  planId: string,
  d: DisclosureRecord,
  internal: { claimId: string; paymentId: string },
): TransactItem => ({
  Put: {
    TableName: tableName,
    Item: itemOf(keys.disclosure(planId, d.paidDate, d.claimRef), { entity: 'disclosure', ...d, ...internal }),
  },
});

/** Exactly the public fields, in the order SPEC lists them (nothing else an item may carry leaves). */
const decode = (i: Record<string, unknown>): DisclosureRecord & { paymentId: string } => ({
  claimRef: i.claimRef as string,
  memberName: i.memberName as string,
  unitName: i.unitName as string,
  admissionMonth: i.admissionMonth as string,
  benefitFen: i.benefitFen as number,
  paidDate: i.paidDate as string,
  paymentId: i.paymentId as string,
});

export const disclosureRepo = (ctx: StoreContext) => ({
  /**
   * A plan's paid claims, newest paidDate first. Disclosures whose payment
   * is not settled yet (its roll-forward may be half way: some of its
   * disclosures written, others not) are left out of the page, so a batch
   * is published whole or not at all; the payment is read consistently
   * after the page, so a batch settled in between shows whole.
   */
  async list(planId: string, limit: number, cursor?: string): Promise<Page<DisclosureRecord>> {
    const page = await queryPage(ctx, { index: null, partition: keys.disclosures(planId), limit, cursor, newestFirst: true }, decode);
    const payments = await batchGetAll(
      ctx,
      page.items.map((d) => keys.payment(d.paymentId)),
      true,
    );
    const settled = (id: string) => payments.get(batchKey(keys.payment(id)))?.settledAt !== undefined;
    return {
      items: page.items.filter((d) => settled(d.paymentId)).map(({ paymentId: _internal, ...d }) => d),
      nextCursor: page.nextCursor,
    };
  },
});

export type DisclosureRepo = ReturnType<typeof disclosureRepo>;
