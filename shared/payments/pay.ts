import { createHash } from 'node:crypto';
import { todayIn } from '../clock';
import type { Deps } from '../deps';
import { compareDates } from '../domain/dates';
import type { Principal } from '../domain/scope';
import { newId } from '../ids';
import { packChunks } from '../store/chunks';
import type { ClaimRecord } from '../store/claimRecord';
import { StaleRecord } from '../store/errors';
import { ClaimsChanged, PAYMENT_LEASE_SECONDS, PaymentNotPending, type PaymentRecord, paymentChunking } from '../store/payments';
import { paymentEntries } from './entries';
import {
  ClaimsNotFound,
  ClaimsNotPayable,
  PaidDateInvalid,
  PaymentCancelled,
  PaymentInProgress,
  PaymentKeyReused,
  PaymentStuck,
} from './errors';
import { rollBack, rollForward, settlePayment } from './settle';

/**
 * POST /payments as a capability (SPEC §4.4, §3; protocol in
 * shared/store/payments.ts): checks, then create → reserve → commit →
 * roll forward. Throws the typed errors of ./errors.ts.
 */
export interface PaymentRequest {
  claimIds: string[];
  paidDate: string;
  reference: string;
}

export interface PaymentOutcome {
  payment: PaymentRecord;
  /** True when an Idempotency-Key retry is answered from the payment its first attempt made. */
  replayed: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s, 'utf8').digest('base64url');

/** A key belongs to the caller who sent it: sub, role and org (SPEC §3). */
export const keyScope = (p: Principal, key: string) => sha256(JSON.stringify(['POST /payments', p.sub, p.role, p.orgId, key]));
export const requestHash = (r: PaymentRequest) => sha256(JSON.stringify([r.claimIds, r.paidDate, r.reference]));

const retryAfter = (p: PaymentRecord, now: Date) => Math.max(1, Math.ceil((Date.parse(p.leaseUntil) - now.getTime()) / 1000));

/**
 * Settles every earlier payment holding some of these claims that did not
 * settle (its function died, or failed and could not undo its work): a
 * completed one is rolled forward, an expired one back. One still within its
 * lease may be running right now: PaymentInProgress. True when any was settled.
 */
const settleHolders = async (deps: Deps, claims: Iterable<ClaimRecord>, now: Date): Promise<boolean> => {
  const held = new Map<string, string[]>();
  for (const c of claims) {
    const id = c.reservation?.paymentId;
    if (id) held.set(id, [...(held.get(id) ?? []), c.claimId]);
  }
  for (const [paymentId, claimIds] of held) {
    const p = await deps.payments.get(paymentId, true);
    if (!p) throw new Error(`claims reserved for payment ${paymentId}, which does not exist`);
    const s = await settlePayment(deps, p, now);
    if (s.outcome === 'in-progress') throw new PaymentInProgress(paymentId, claimIds, retryAfter(p, now));
  }
  return held.size > 0;
};

/**
 * What an earlier attempt with the same Idempotency-Key left: nothing
 * (`fresh`), its payment completed (answer from it: rolled forward first if
 * need be), or a cancelled payment (nothing was paid: run again and take the
 * key over from it). One still within its lease may be running: PaymentInProgress.
 */
type Earlier = { fresh: true } | { completed: PaymentRecord } | { replaces: string };
const earlierAttempt = async (deps: Deps, scope: string, hash: string, now: Date): Promise<Earlier> => {
  const found = await deps.payments.getKey(scope);
  if (!found) return { fresh: true };
  if (found.requestHash !== hash) throw new PaymentKeyReused();
  const p = await deps.payments.get(found.paymentId, true);
  if (!p) throw new Error(`Idempotency-Key names payment ${found.paymentId}, which does not exist`);
  const s = await settlePayment(deps, p, now);
  if (s.status === 'completed') return { completed: s };
  if (s.outcome === 'in-progress') throw new PaymentInProgress(p.paymentId, [], retryAfter(p, now));
  return { replaces: p.paymentId };
};

export const payClaims = async (
  deps: Deps,
  principal: Principal,
  req: PaymentRequest,
  idempotencyKey?: string,
): Promise<PaymentOutcome> => {
  const now = deps.clock.now();
  const ids = req.claimIds;
  const key = idempotencyKey === undefined ? undefined : { scope: keyScope(principal, idempotencyKey), requestHash: requestHash(req) };
  let replaces: string | undefined;
  if (key) {
    const earlier = await earlierAttempt(deps, key.scope, key.requestHash, now);
    if ('completed' in earlier) return { payment: earlier.completed, replayed: true };
    if ('replaces' in earlier) replaces = earlier.replaces;
  }
  if (compareDates(req.paidDate, todayIn(deps.clock)) > 0) throw new PaidDateInvalid(req.paidDate, [], ids);
  let claims = await deps.claims.getMany(ids);
  const unknown = ids.filter((id) => !claims.has(id));
  if (unknown.length > 0) throw new ClaimsNotFound(unknown, ids);
  if (await settleHolders(deps, claims.values(), now)) claims = await deps.claims.getMany(ids);

  const list = ids.map((id) => claims.get(id)!);
  const offenders = list.filter((c) => c.status !== 'approved' || c.paymentId !== undefined || c.reservation !== undefined);
  if (offenders.length > 0) throw new ClaimsNotPayable(offenders, ids);
  const early = list.filter((c) => compareDates(req.paidDate, c.approvedDate!) < 0);
  if (early.length > 0)
    throw new PaidDateInvalid(
      req.paidDate,
      early.map((c) => ({ claimId: c.claimId, approvedDate: c.approvedDate! })),
      ids,
    );

  const at = now.toISOString();
  const payment: PaymentRecord = {
    paymentId: newId(),
    claimIds: ids,
    totalFen: list.reduce((s, c) => s + (c.approvedBenefitFen ?? 0), 0),
    paidDate: req.paidDate,
    reference: req.reference,
    status: 'pending',
    createdBy: principal.sub,
    createdByRole: principal.role,
    createdAt: at,
    leaseUntil: new Date(now.getTime() + PAYMENT_LEASE_SECONDS * 1000).toISOString(),
    ...(key ? { idempotency: key } : {}),
  };
  const entries = await paymentEntries(deps, list, payment.paymentId, req.paidDate);
  try {
    await deps.payments.create(
      payment,
      key ? { record: { ...key, paymentId: payment.paymentId }, ...(replaces ? { replaces } : {}) } : undefined,
    );
  } catch (e) {
    // Another request with this key got in first: answer as a retry would.
    if (e instanceof StaleRecord && key) return payClaims(deps, principal, req, idempotencyKey);
    throw e;
  }

  let done: PaymentRecord;
  try {
    // A reservation touches its claim only (no counter): 99 claims and the payment's check to a transaction.
    for (const chunk of packChunks(entries, () => 'reservations', { perEntry: 1, fixed: 0, max: paymentChunking.maxItems })) {
      await deps.payments.reserve(payment, chunk, at);
    }
    done = await deps.payments.complete(payment, at);
  } catch (failure) {
    // Undo what this attempt reserved (or, if the commit did land after all, finish it).
    let after: PaymentRecord;
    try {
      after = await rollBack(deps, payment, now);
    } catch (e) {
      throw new PaymentStuck(payment.paymentId, { cause: e });
    }
    if (after.status === 'completed') return { payment: after, replayed: false };
    if (failure instanceof ClaimsChanged) {
      const fresh = await deps.claims.getMany(failure.claimIds);
      throw new ClaimsNotPayable(
        failure.claimIds.map((id) => fresh.get(id)!),
        ids,
        { cause: failure },
      );
    }
    if (failure instanceof PaymentNotPending) throw new PaymentCancelled(payment.paymentId, { cause: failure });
    throw failure;
  }
  if (done.status !== 'completed') throw new PaymentCancelled(payment.paymentId);
  try {
    done = await rollForward(deps, done, now);
  } catch {
    // Committed: the batch is paid whatever happens now. Readers show it paid already
    // (shared/payments/observe.ts); the next settler (GET /payments/{id}, the nightly job) finishes the roll-forward.
  }
  return { payment: done, replayed: false };
};
