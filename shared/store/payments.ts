import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../domain/scope';
import { applyChange, type ClaimChange, type ClaimRecord, type ClaimReservation, claimChangeItem } from './claimRecord';
import { MAX_TRANSACTION_ITEMS } from './chunks';
import { counterDay, randomShard, type TransactItem, unitPlanCounterAdd } from './counters';
import { disclosurePut } from './disclosures';
import { cancellationReasons, isConditionalCheckFailed, StaleRecord } from './errors';
import { getRecord, queryAll, type StoreContext } from './items';
import { inOrder, itemOf, keys } from './keys';
import { withRetries } from './retry';

/**
 * Payments (SPEC §4.4): all or nothing over up to 500 claims, at every moment
 * anyone can observe, although the work takes many transactions. The steps
 * (the capability in shared/payments/ drives them; each is safe to repeat):
 *
 * 1. CREATE: the payment record is put `pending` with a lease and listed in
 *    gsi1 `PAYMENTS#OPEN` (with the caller's Idempotency-Key record in the
 *    same transaction, when there is one).
 * 2. RESERVE, in chunks (one transaction each, conditioned on the payment
 *    still `pending`): each claim, still `approved` as read, gets a
 *    `reservation` naming the payment with what the roll-forward will write
 *    (its disclosure with a fresh random claimRef, its paidDays). Nothing
 *    publishes, counts or shows a reservation.
 * 3. COMMIT: the payment's own `pending → completed`. One item: the batch is
 *    paid from this write on, for every reader (claim answers derive it from
 *    the payment until step 4 has reached them).
 * 4. ROLL FORWARD, in chunks: each reserved claim → `paid` (history event,
 *    paymentId, paidDate), its disclosure, the paid counters; conditioned on
 *    the claim still reserved for this payment, so a repeat or a concurrent
 *    roller is a no-op. Then the payment is marked settled (out of OPEN).
 *
 * A payment that never completed is ROLLED BACK once its lease has run out:
 * `pending → cancelled` (the same conditional write as the commit decides who
 * won), every reservation released, settled. Counters and disclosures only
 * ever move forward, in step 4: nothing is ever undone that anyone saw.
 */
export type PaymentStatus = 'pending' | 'completed' | 'cancelled';

export interface PaymentRecord {
  paymentId: string;
  claimIds: string[];
  totalFen: number;
  paidDate: string;
  reference: string;
  status: PaymentStatus;
  createdBy: string;
  /** The role of the payer: the claims' history events name it. */
  createdByRole: Role;
  createdAt: string;
  /** Until then a pending payment is presumed alive (its function may still be running). */
  leaseUntil: string;
  completedAt?: string;
  cancelledAt?: string;
  /** When the roll-forward (or the release after a cancellation) finished: nothing left to do. */
  settledAt?: string;
  /** The Idempotency-Key record that created it (scope hash) and the request's hash. */
  idempotency?: { scope: string; requestHash: string };
}

/** The Idempotency-Key record of a POST /payments: which payment the key made, for which request. */
export interface PaymentKeyRecord {
  scope: string;
  requestHash: string;
  paymentId: string;
}

/**
 * Items per transaction of the reservation and roll-forward chunks. Tests
 * lower it to run a batch of a few claims through many chunks.
 */
export const paymentChunking = { maxItems: MAX_TRANSACTION_ITEMS };

/** Longer than any function may run (API routes stop at 29 s). */
export const PAYMENT_LEASE_SECONDS = 120;

/** One claim joining a payment: the claim as read (its version is the condition) and what the roll-forward will write. */
export interface PaymentEntry {
  claim: ClaimRecord;
  reservation: ClaimReservation;
}

/** Some claims changed between the read and the reservation (paid, reserved by another payment). */
export class ClaimsChanged extends Error {
  override name = 'ClaimsChanged';
  constructor(
    readonly claimIds: string[],
    options?: ErrorOptions,
  ) {
    super(`${claimIds.length} claims changed while the payment was being written`, options);
  }
}

/** The payment is no longer `pending` (a settler cancelled it after its lease): no reservation may join. */
export class PaymentNotPending extends Error {
  override name = 'PaymentNotPending';
  constructor(
    readonly paymentId: string,
    options?: ErrorOptions,
  ) {
    super(`payment ${paymentId} is no longer pending`, options);
  }
}

const decode = inOrder<PaymentRecord>(['paymentId', 'claimIds', 'totalFen', 'paidDate', 'reference', 'status', 'createdBy', 'createdAt']);

/** Whether a not-settled payment may be rolled back: pending with its lease run out (or already cancelled). */
export const mayRollBack = (p: PaymentRecord, now: Date): boolean =>
  p.status === 'cancelled' || (p.status === 'pending' && now.getTime() >= Date.parse(p.leaseUntil));

export const unitPlanOf = (c: ClaimRecord) => `${c.unitId}\u0000${c.planId}`;

/**
 * The claim change the roll-forward writes, a pure function of the payment
 * and the reservation: readers that meet a completed payment's claim before
 * the roll-forward reached it show exactly this (shared/payments/observe.ts).
 */
export const paidChange = (p: PaymentRecord, r: ClaimReservation): ClaimChange => ({
  to: 'paid',
  event: { at: p.completedAt!, actor: p.createdBy, role: p.createdByRole, from: 'approved', to: 'paid', note: `payment ${p.paymentId}` },
  set: { paymentId: p.paymentId, paidDate: p.paidDate, paidDays: r.paidDays, claimRef: r.disclosure.claimRef },
  remove: ['reservation'],
  condition: {
    expression: '#status = :approved AND reservation.paymentId = :pid',
    values: { ':approved': 'approved', ':pid': p.paymentId },
  },
  updatedAt: p.completedAt!,
});

/** A reserved claim as it will be once rolled forward. */
export const asPaid = (c: ClaimRecord, p: PaymentRecord): ClaimRecord => applyChange(c, paidChange(p, c.reservation!));

/**
 * THE counter move of a payment (the only one): one item per unit and plan of
 * the chunk with its sums (a transaction may touch an item once). `at` is
 * when the batch was paid (its commit), not when the roll-forward ran.
 */
export const paidCounters = (tableName: string, claims: ClaimRecord[], at: string): TransactItem[] => {
  // The day the batch was committed: a roll-forward that runs later (the nightly settle, before that day's report) still counts it there.
  const day = counterDay(at);
  const groups = new Map<string, { claim: ClaimRecord; paid: number; fen: number; days: number }>();
  for (const claim of claims) {
    const g = groups.get(unitPlanOf(claim)) ?? { claim, paid: 0, fen: 0, days: 0 };
    g.paid += 1;
    g.fen += claim.approvedBenefitFen ?? 0;
    g.days += claim.reservation!.paidDays;
    groups.set(unitPlanOf(claim), g);
  }
  return [...groups.values()].map((g) =>
    unitPlanCounterAdd(tableName, { id: g.claim.unitId, path: g.claim.unitPath }, g.claim.planId, day, randomShard(), {
      claimsPaid: g.paid,
      benefitsPaidFen: g.fen,
      paidDaysTotal: g.days,
    }),
  );
};

export const paymentRepo = (ctx: StoreContext) => {
  const { db, tableName } = ctx;

  const get = (paymentId: string, consistent = false) => getRecord(ctx, keys.payment(paymentId), decode, consistent);

  /** One conditional Update of the payment item; false when its condition failed. */
  const update = async (
    what: string,
    paymentId: string,
    input: Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName' | 'Key'>,
  ) => {
    try {
      await withRetries(what, () => db.send(new UpdateCommand({ TableName: tableName, Key: keys.payment(paymentId), ...input })));
      return true;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return false;
      throw e;
    }
  };

  /**
   * pending → completed (the commit) or → cancelled (a rollback), whichever
   * comes first. Answers the status the payment has afterwards, so a retry
   * whose first attempt landed (answer lost) sees its own write.
   */
  const finish = async (p: PaymentRecord, to: 'completed' | 'cancelled', at: string): Promise<PaymentRecord> => {
    const stamp = to === 'completed' ? 'completedAt' : 'cancelledAt';
    await update(`payment ${to}`, p.paymentId, {
      UpdateExpression: `SET #s = :to, ${stamp} = :at`,
      ConditionExpression: '#s = :pending',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':to': to, ':at': at, ':pending': 'pending' },
    });
    const now = await get(p.paymentId, true);
    if (!now) throw new Error(`payment ${p.paymentId} vanished`);
    return now;
  };

  return {
    get,

    /** The record of an Idempotency-Key (strongly consistent), if any. */
    async getKey(scope: string): Promise<PaymentKeyRecord | undefined> {
      const r = await db.send(new GetCommand({ TableName: tableName, Key: keys.paymentIdempotency(scope), ConsistentRead: true }));
      return r.Item ? { scope, requestHash: r.Item.requestHash as string, paymentId: r.Item.paymentId as string } : undefined;
    },

    /** Payments not settled yet (gsi1 `PAYMENTS#OPEN`): what the settle step walks. */
    listOpen: async (): Promise<PaymentRecord[]> =>
      (await queryAll(ctx, { index: 'gsi1', partition: keys.paymentsOpen })).map((i) => decode(i)),

    /**
     * Step 1. With a key, the key's record is written in the same
     * transaction (new, or taking over the key from `replaces`, a cancelled
     * attempt), so a key never names a payment that does not exist.
     * StaleRecord('paymentKey') when the key was taken meanwhile. A retry
     * after a lost answer finds its own payment and is fine.
     */
    async create(p: PaymentRecord, key?: { record: PaymentKeyRecord; replaces?: string }): Promise<void> {
      const item = itemOf(keys.payment(p.paymentId), {
        entity: 'payment',
        gsi1pk: keys.paymentsOpen,
        gsi1sk: keys.paymentListSort(p.createdAt, p.paymentId),
        ...p,
      });
      const put = { TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' };
      try {
        if (!key) {
          await withRetries('payment', () => db.send(new PutCommand(put)));
          return;
        }
        const k = keys.paymentIdempotency(key.record.scope);
        const keyWrite: TransactItem = key.replaces
          ? {
              Update: {
                TableName: tableName,
                Key: k,
                UpdateExpression: 'SET paymentId = :p, requestHash = :h',
                ConditionExpression: 'paymentId = :old',
                ExpressionAttributeValues: { ':p': p.paymentId, ':h': key.record.requestHash, ':old': key.replaces },
              },
            }
          : {
              Put: {
                TableName: tableName,
                Item: itemOf(k, { entity: 'paymentKey', paymentId: p.paymentId, requestHash: key.record.requestHash }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            };
        await withRetries('payment', () => db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }, keyWrite] })));
      } catch (e) {
        if (!isConditionalCheckFailed(e) && !cancellationReasons(e).includes('ConditionalCheckFailed')) throw e;
        // Our own write, landed on an attempt whose answer was lost (the id is fresh: nobody else has it).
        if (await get(p.paymentId, true)) return;
        throw new StaleRecord('paymentKey', p.paymentId, { cause: e });
      }
    },

    /**
     * Step 2, one chunk. Claims already reserved for this payment (a retry
     * after a lost answer) are done; ClaimsChanged names those another
     * writer took; PaymentNotPending when the payment was cancelled.
     */
    async reserve(p: PaymentRecord, chunk: PaymentEntry[], at: string): Promise<void> {
      let todo = chunk;
      for (let round = 0; round < 3 && todo.length > 0; round++) {
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
          ...todo.map(
            ({ claim, reservation }): TransactItem => ({
              Update: {
                TableName: tableName,
                Key: keys.claim(claim.claimId),
                UpdateExpression: 'SET reservation = :r, #version = #version + :one, updatedAt = :at',
                ConditionExpression:
                  '#status = :approved AND #version = :v AND attribute_not_exists(reservation) AND attribute_not_exists(paymentId)',
                ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
                ExpressionAttributeValues: { ':r': reservation, ':one': 1, ':at': at, ':approved': 'approved', ':v': claim.version },
              },
            }),
          ),
        ];
        try {
          await withRetries('payment reservation', () => db.send(new TransactWriteCommand({ TransactItems: items })));
          return;
        } catch (e) {
          const reasons = cancellationReasons(e);
          if (!reasons.includes('ConditionalCheckFailed')) throw e;
          if (reasons[0] === 'ConditionalCheckFailed') throw new PaymentNotPending(p.paymentId, { cause: e });
          const failed = todo.filter((_, i) => reasons[1 + i] === 'ConditionalCheckFailed');
          const fresh = await Promise.all(failed.map((x) => getRecord<ClaimRecord>(ctx, keys.claim(x.claim.claimId), undefined, true)));
          const taken = failed.filter((_, i) => (fresh[i]?.reservation as ClaimReservation | undefined)?.paymentId !== p.paymentId);
          if (taken.length > 0)
            throw new ClaimsChanged(
              taken.map((x) => x.claim.claimId),
              { cause: e },
            );
          // Every failed claim is already ours: the others of the chunk did not land (one transaction), so go again without them.
          const ours = new Set(failed.map((x) => x.claim.claimId));
          todo = todo.filter((x) => !ours.has(x.claim.claimId));
        }
      }
      if (todo.length > 0) throw new ClaimsChanged(todo.map((x) => x.claim.claimId));
    },

    /** Step 3: the commit point. Answers the payment as it then is (completed, or cancelled if a rollback won). */
    complete: (p: PaymentRecord, at: string) => finish(p, 'completed', at),

    /** Start of a rollback: pending → cancelled unless the commit won. Answers the payment as it then is. */
    cancel: (p: PaymentRecord, at: string) => finish(p, 'cancelled', at),

    /**
     * Step 4, one chunk of claims reserved for the completed payment `p`.
     * False when some claim was no longer reserved for it (another roller got
     * there first): nothing of the chunk was written; re-read and go on.
     */
    async rollForward(p: PaymentRecord, chunk: ClaimRecord[]): Promise<boolean> {
      const items: TransactItem[] = chunk.flatMap((c) => [
        claimChangeItem(tableName, c, paidChange(p, c.reservation!)),
        disclosurePut(tableName, c.planId, c.reservation!.disclosure, { claimId: c.claimId, paymentId: p.paymentId }),
      ]);
      items.push(...paidCounters(tableName, chunk, p.completedAt!));
      try {
        await withRetries('payment roll-forward', () => db.send(new TransactWriteCommand({ TransactItems: items })));
        return true;
      } catch (e) {
        if (cancellationReasons(e).includes('ConditionalCheckFailed')) return false;
        throw e;
      }
    },

    /** Rollback, one claim: its reservation for `p` released (a no-op if it holds none). */
    async release(p: PaymentRecord, c: ClaimRecord, at: string): Promise<void> {
      try {
        await withRetries('payment release', () =>
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.claim(c.claimId),
              UpdateExpression: 'REMOVE reservation SET #version = #version + :one, updatedAt = :at',
              ConditionExpression: 'reservation.paymentId = :pid',
              ExpressionAttributeNames: { '#version': 'version' },
              ExpressionAttributeValues: { ':pid': p.paymentId, ':one': 1, ':at': at },
            }),
          ),
        );
      } catch (e) {
        if (!isConditionalCheckFailed(e)) throw e;
      }
    },

    /** The end: nothing left to do for a completed (rolled forward) or cancelled (released) payment; out of OPEN. */
    settled: (p: PaymentRecord, at: string) =>
      update('payment settled', p.paymentId, {
        UpdateExpression: 'SET settledAt = :at, gsi1pk = :done',
        ConditionExpression: '#s IN (:completed, :cancelled) AND attribute_not_exists(settledAt)',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':at': at, ':done': keys.paymentList, ':completed': 'completed', ':cancelled': 'cancelled' },
      }),
  };
};

export type PaymentRepo = ReturnType<typeof paymentRepo>;
