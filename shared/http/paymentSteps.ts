import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { diffDays } from '../domain/dates';
import { maskName } from '../domain/names';
import type { Principal } from '../domain/scope';
import type { SealedBlob } from '../pii/vault';
import { batchGetAll, batchKey } from '../store/batch';
import { type ClaimRecord, claimRefOf } from '../store/claimRecord';
import type { SealedPii } from '../store/enrolments';
import { keys } from '../store/keys';
import { needsRollback, type PaymentEntry, type PaymentRecord } from '../store/payments';
import { HttpProblem } from './problem';
import { piiOf } from '../pii/fromConfig';

/**
 * The steps of POST /payments around the store's protocol (../store/payments.ts).
 */

/** The public part of a payment record (the lease is internal). */
export const paymentView = (p: PaymentRecord) => ({
  paymentId: p.paymentId,
  claimIds: p.claimIds,
  totalFen: p.totalFen,
  paidDate: p.paidDate,
  reference: p.reference,
  status: p.status,
  createdBy: p.createdBy,
  createdAt: p.createdAt,
  ...(p.completedAt ? { completedAt: p.completedAt } : {}),
  ...(p.cancelledAt ? { cancelledAt: p.cancelledAt } : {}),
});

/**
 * Finishes the rollback of every earlier payment that left some of these
 * claims paid without completing (its function failed mid-way and could not
 * undo its work). A payment still within its lease may be running right now:
 * 409 PAYMENT_IN_PROGRESS, retry after the lease. True when anything was rolled back.
 */
export const recoverStuckPayments = async (deps: Deps, claims: Iterable<ClaimRecord>, p: Principal, now: Date): Promise<boolean> => {
  const byPayment = new Map<string, string[]>();
  for (const c of claims) {
    if (c.status === 'paid' && c.paymentId) byPayment.set(c.paymentId, [...(byPayment.get(c.paymentId) ?? []), c.claimId]);
  }
  let recovered = false;
  for (const [paymentId, claimIds] of byPayment) {
    const payment = await deps.payments.get(paymentId, true);
    if (!payment || payment.status === 'completed') continue;
    if (!needsRollback(payment, now)) {
      const wait = Math.max(1, Math.ceil((Date.parse(payment.leaseUntil) - now.getTime()) / 1000));
      throw new HttpProblem(
        409,
        'PAYMENT_IN_PROGRESS',
        `Payment ${paymentId} holding some of these claims is still in progress; retry in ${wait} s.`,
        {
          headers: { 'retry-after': String(wait) },
          extra: { paymentId, claimIds },
        },
      );
    }
    await deps.payments.rollback(payment, {
      at: now.toISOString(),
      actor: p.sub,
      role: p.role,
      note: `payment ${paymentId} did not complete; rolled back before a new payment`,
    });
    recovered = true;
  }
  return recovered;
};

/**
 * Each claim with what its disclosure will publish: the member's name masked
 * (opened from the sealed identity here, never stored or logged in clear),
 * the unit's name, the admission month, and days from first submission.
 */
export const paymentEntries = async (deps: Deps, claims: ClaimRecord[], paidDate: string): Promise<PaymentEntry[]> => {
  const [enrolments, orgs] = await Promise.all([
    batchGetAll(
      deps.store,
      claims.map((c) => keys.enrolment(c.enrolmentId)),
    ),
    batchGetAll(
      deps.store,
      claims.map((c) => keys.org(c.unitId)),
    ),
  ]);
  const limit = pLimit(16);
  const masked = new Map<string, string>();
  await Promise.all(
    [...new Set(claims.map((c) => c.enrolmentId))].map((id) =>
      limit(async () => {
        const e = enrolments.get(batchKey(keys.enrolment(id)));
        if (!e) throw new Error(`enrolment ${id} of a claim is missing`);
        const pii = await piiOf(deps).open<SealedPii>(e.pii as SealedBlob, id);
        masked.set(id, maskName(pii.name));
      }),
    ),
  );
  return claims.map((c) => ({
    claim: c,
    paidDays: diffDays(c.firstSubmittedDate!, paidDate),
    disclosure: {
      claimRef: claimRefOf(c.claimId),
      memberName: masked.get(c.enrolmentId)!,
      unitName: String(orgs.get(batchKey(keys.org(c.unitId)))?.name ?? c.unitId),
      admissionMonth: c.admissionDate.slice(0, 7),
      benefitFen: c.approvedBenefitFen ?? 0,
      paidDate,
    },
  }));
};

/** Errors naming claims by their place in the request body (`body.claimIds.<i>`). */
export const named = (ids: string[], all: string[], message: (id: string) => string) =>
  ids.map((id) => ({ path: `body.claimIds.${all.indexOf(id)}`, message: message(id) }));

/** 409 naming every claim that is not (or no longer) payable, with its status. */
export const notApproved = (offenders: ClaimRecord[], ids: string[]) =>
  new HttpProblem(409, 'INVALID_STATE', `${offenders.length} claim(s) are not approved and unpaid; nothing was paid.`, {
    errors: named(
      offenders.map((c) => c.claimId),
      ids,
      (id) => {
        const c = offenders.find((o) => o.claimId === id)!;
        return c.paymentId ? `is ${c.status} in payment ${c.paymentId}` : `is ${c.status}, not approved`;
      },
    ),
    extra: { claims: offenders.map((c) => ({ claimId: c.claimId, status: c.status, ...(c.paymentId ? { paymentId: c.paymentId } : {}) })) },
  });
