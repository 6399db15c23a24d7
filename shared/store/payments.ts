import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { packChunks } from './chunks';
import { type ClaimEvent, type ClaimRecord, claimChangeItem } from './claimRecord';
import { claimRepo } from './claims';
import { counterDay, randomShard, type TransactItem, unitPlanCounterAdd } from './counters';
import { type DisclosureRecord, disclosureDelete, disclosurePut } from './disclosures';
import { cancellationReasons, isConditionalCheckFailed, isTransientStoreError, StaleRecord, StoreUnavailable } from './errors';
import { getRecord, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';
import { withRetries } from './retry';

/**
 * Payments (SPEC §4.4): all-or-nothing over up to 500 approved claims, more
 * than one transaction holds. The protocol:
 *
 * 1. A payment record is written `pending`, with a lease (createdAt +
 *    PAYMENT_LEASE_SECONDS, longer than any function runs).
 * 2. Claims JOIN it in chunks (./chunks.ts, ≤ 100 items), each chunk one
 *    transaction: a condition check that the payment is still `pending`;
 *    per claim approved → paid (only if approved, at the version read, and
 *    in no payment), its disclosure; the counters of each unit and plan.
 * 3. When every chunk is in: pending → completed, the commit point.
 *
 * When a chunk fails, ROLLBACK: pending → cancelling (from then on no chunk
 * can join, and nothing can complete it), every claim still naming the
 * payment back to approved (with an event saying so; its disclosure
 * deleted; counters moved back), then → cancelled. If DynamoDB is down
 * during the rollback the payment stays pending or cancelling and its
 * claims stay paid under it; any later POST /payments that meets such a
 * claim finishes the rollback first (once the lease has run out: until
 * then the payment may still be in progress, and the answer is 409
 * PAYMENT_IN_PROGRESS). So a payment is never seen half paid for longer
 * than it takes to notice, and never completes half paid.
 */
export type PaymentStatus = 'pending' | 'completed' | 'cancelling' | 'cancelled';

export interface PaymentRecord {
  paymentId: string;
  claimIds: string[];
  totalFen: number;
  paidDate: string;
  reference: string;
  status: PaymentStatus;
  createdBy: string;
  createdAt: string;
  /** Until then a pending payment is presumed alive (its function may still be running). */
  leaseUntil: string;
  completedAt?: string;
  cancelledAt?: string;
}

/** Longer than any function may run (API routes stop at 29 s). */
export const PAYMENT_LEASE_SECONDS = 120;

/** One claim joining a payment: the claim as read (its version is the condition) and what will be published. */
export interface PaymentEntry {
  claim: ClaimRecord;
  disclosure: DisclosureRecord;
  paidDays: number;
}

/** Claims that another writer changed between the read and the join (the payment was rolled back). */
export class ClaimsChanged extends Error {
  override name = 'ClaimsChanged';
  constructor(
    readonly claimIds: string[],
    options?: ErrorOptions,
  ) {
    super(`${claimIds.length} claims changed while the payment was being written`, options);
  }
}

/** The payment left `pending` under our feet (someone rolled it back): it was rolled back, nothing paid. */
export class PaymentCancelled extends Error {
  override name = 'PaymentCancelled';
  constructor(
    readonly paymentId: string,
    options?: ErrorOptions,
  ) {
    super(`payment ${paymentId} was cancelled while it was being written`, options);
  }
}

/** The rollback could not finish (DynamoDB unavailable): the payment stays pending/cancelling for the next attempt to finish. */
export class PaymentStuck extends StoreUnavailable {
  // Keeps the name StoreUnavailable: every layer that does not know this class still answers 503.
  override name = 'StoreUnavailable';
  constructor(
    readonly paymentId: string,
    options?: ErrorOptions,
  ) {
    super(`rollback of payment ${paymentId}`, options);
  }
}

/** Whether a not-completed payment must be rolled back before its claims can be paid again. */
export const needsRollback = (p: PaymentRecord, now: Date): boolean =>
  p.status === 'cancelling' || p.status === 'cancelled' || (p.status === 'pending' && now.getTime() >= Date.parse(p.leaseUntil));

const decode = inOrder<PaymentRecord>(['paymentId', 'claimIds', 'totalFen', 'paidDate', 'reference', 'status', 'createdBy', 'createdAt']);

const unitPlanOf = (c: ClaimRecord) => `${c.unitId}\u0000${c.planId}`;

/** One counter item per unit and plan in the chunk, with the chunk's sums (a transaction may touch an item once). */
const countersFor = (tableName: string, day: string, entries: { claim: ClaimRecord; paidDays: number }[], sign: 1 | -1): TransactItem[] => {
  const groups = new Map<string, { claim: ClaimRecord; paid: number; fen: number; days: number }>();
  for (const { claim, paidDays } of entries) {
    const g = groups.get(unitPlanOf(claim)) ?? { claim, paid: 0, fen: 0, days: 0 };
    g.paid += 1;
    g.fen += claim.approvedBenefitFen ?? 0;
    g.days += paidDays;
    groups.set(unitPlanOf(claim), g);
  }
  return [...groups.values()].map((g) =>
    unitPlanCounterAdd(tableName, { id: g.claim.unitId, path: g.claim.unitPath }, g.claim.planId, day, randomShard(), {
      claimsPaid: sign * g.paid,
      benefitsPaidFen: sign * g.fen,
      paidDaysTotal: sign * g.days,
    }),
  );
};

export const paymentRepo = (ctx: StoreContext) => {
  const { db, tableName } = ctx;
  const claims = claimRepo(ctx);

  const get = (paymentId: string, consistent = false) => getRecord(ctx, keys.payment(paymentId), decode, consistent);

  const setStatus = async (p: PaymentRecord, to: PaymentStatus, from: PaymentStatus[], at: string): Promise<boolean> => {
    const stamp = to === 'completed' ? 'completedAt' : to === 'cancelled' ? 'cancelledAt' : undefined;
    try {
      await withRetries(`payment ${to}`, () =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: keys.payment(p.paymentId),
            UpdateExpression: `SET #s = :to${stamp ? `, ${stamp} = :at` : ''}`,
            ConditionExpression: `#s IN (${from.map((_, i) => `:f${i}`).join(', ')})`,
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: {
              ':to': to,
              ...(stamp ? { ':at': at } : {}),
              ...Object.fromEntries(from.map((f, i) => [`:f${i}`, f])),
            },
          }),
        ),
      );
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  };

  const joinChunk = async (p: PaymentRecord, chunk: PaymentEntry[], event: ClaimEvent) => {
    const items: TransactItem[] = [
      {
        ConditionCheck: {
          TableName: tableName,
          Key: keys.payment(p.paymentId),
          ConditionExpression: '#s = :pending',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':pending': 'pending' },
        },
      },
    ];
    for (const { claim, disclosure, paidDays } of chunk) {
      items.push(
        claimChangeItem(tableName, claim, {
          to: 'paid',
          event,
          set: { paymentId: p.paymentId, paidDate: p.paidDate, paidDays },
          condition: {
            expression: '#status = :from AND #version = :version AND attribute_not_exists(paymentId)',
            values: { ':from': 'approved', ':version': claim.version },
          },
          updatedAt: event.at,
        }),
        disclosurePut(tableName, claim.planId, disclosure),
      );
    }
    items.push(...countersFor(tableName, counterDay(event.at), chunk, 1));
    try {
      await withRetries('payment', () => db.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (e) {
      const reasons = cancellationReasons(e);
      if (!reasons.includes('ConditionalCheckFailed')) throw e;
      if (reasons[0] === 'ConditionalCheckFailed') throw new PaymentCancelled(p.paymentId, { cause: e });
      // Items 1, 3, 5, … are the claims, in chunk order.
      const changed = chunk.filter((_, i) => reasons[1 + 2 * i] === 'ConditionalCheckFailed').map((x) => x.claim.claimId);
      throw new ClaimsChanged(changed, { cause: e });
    }
  };

  /** Puts back every claim that still names the payment; re-reads and goes on when another rollback got there first. */
  const revertClaims = async (p: PaymentRecord, event: ClaimEvent) => {
    for (let round = 0; round < 5; round++) {
      const current = await claims.getMany(p.claimIds);
      const stuck = [...current.values()].filter((c) => c.status === 'paid' && c.paymentId === p.paymentId);
      if (stuck.length === 0) return;
      try {
        for (const chunk of packChunks(stuck, unitPlanOf, { perEntry: 2, fixed: 0 })) {
          const items: TransactItem[] = chunk.flatMap((c) => [
            claimChangeItem(tableName, c, {
              to: 'approved',
              event,
              remove: ['paymentId', 'paidDate', 'paidDays'],
              condition: { expression: '#status = :paid AND paymentId = :pid', values: { ':paid': 'paid', ':pid': p.paymentId } },
              updatedAt: event.at,
            }),
            disclosureDelete(tableName, c.planId, c.paidDate!, c.claimId),
          ]);
          items.push(
            ...countersFor(
              tableName,
              counterDay(event.at),
              chunk.map((c) => ({ claim: c, paidDays: c.paidDays ?? 0 })),
              -1,
            ),
          );
          try {
            await withRetries('payment rollback', () => db.send(new TransactWriteCommand({ TransactItems: items })));
          } catch (e) {
            if (cancellationReasons(e).includes('ConditionalCheckFailed')) throw new StaleRecord('claim', chunk[0]!.claimId, { cause: e });
            throw e;
          }
        }
        return;
      } catch (e) {
        if (!(e instanceof StaleRecord)) throw e;
      }
    }
    throw new StoreUnavailable('payment rollback: claims kept changing');
  };

  /**
   * Rolls a payment back (see the protocol above). 'completed' when it turns
   * out the payment had completed (then nothing may be undone); otherwise
   * 'cancelled'. PaymentStuck when DynamoDB fails on the way.
   */
  const rollback = async (p: PaymentRecord, event: Omit<ClaimEvent, 'from' | 'to'>): Promise<'completed' | 'cancelled'> => {
    try {
      if (!(await setStatus(p, 'cancelling', ['pending', 'cancelling'], event.at))) {
        const now = await get(p.paymentId, true);
        if (now?.status === 'completed') return 'completed';
      }
      await revertClaims(p, { ...event, from: 'paid', to: 'approved' });
      await setStatus(p, 'cancelled', ['cancelling'], event.at);
      return 'cancelled';
    } catch (e) {
      if (isTransientStoreError(e)) throw new PaymentStuck(p.paymentId, { cause: e });
      throw e;
    }
  };

  return {
    get,

    /**
     * Pays the entries under the new payment `p` (written here, pending) and
     * completes it; on any failure rolls it back and rethrows: ClaimsChanged
     * or PaymentCancelled (→ 409), StoreUnavailable (→ 503); PaymentStuck
     * (→ 503) when even the rollback could not finish.
     */
    async pay(p: PaymentRecord, entries: PaymentEntry[], event: Omit<ClaimEvent, 'from' | 'to'>): Promise<PaymentRecord> {
      await withRetries('payment', () =>
        db.send(
          new PutCommand({
            TableName: tableName,
            Item: itemOf(keys.payment(p.paymentId), {
              entity: 'payment',
              gsi1pk: keys.paymentList,
              gsi1sk: `${p.createdAt}#${p.paymentId}`,
              ...p,
            }),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
      try {
        for (const chunk of packChunks(entries, (e) => unitPlanOf(e.claim), { perEntry: 2, fixed: 1 })) {
          await joinChunk(p, chunk, { ...event, from: 'approved', to: 'paid' });
        }
        if (await setStatus(p, 'completed', ['pending'], event.at)) return { ...p, status: 'completed', completedAt: event.at };
        throw new PaymentCancelled(p.paymentId);
      } catch (failure) {
        const note = `payment ${p.paymentId} did not complete; rolled back`;
        const outcome = await rollback(p, { ...event, note });
        // A completion whose answer was lost (it did land) is a completed payment after all.
        if (outcome === 'completed') return { ...p, status: 'completed', completedAt: event.at };
        throw failure;
      }
    },

    rollback,
  };
};

export type PaymentRepo = ReturnType<typeof paymentRepo>;
