import {
  ClaimsNotFound,
  ClaimsNotPayable,
  PaidDateInvalid,
  PaymentCancelled,
  PaymentInProgress,
  PaymentKeyReused,
  PaymentStuck,
} from '../payments/errors';
import { PAYMENT_LEASE_SECONDS, type PaymentRecord } from '../store/payments';
import { HttpProblem } from './problem';

/**
 * The payment capability (shared/payments/) in HTTP terms: the public view
 * of a payment and the problem each of its typed errors answers.
 */

/**
 * The public part of a payment record (the lease, the key's hash and
 * `settledAt` are internal). A pure function of fields that never change
 * once the payment completed, so an Idempotency-Key retry answers from the
 * stored payment exactly what the first attempt answered.
 */
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

/** Errors naming claims by their place in the request body (`body.claimIds.<i>`). */
const named = (ids: string[], all: string[], message: (id: string) => string) =>
  ids.map((id) => ({ path: `body.claimIds.${all.indexOf(id)}`, message: message(id) }));

export const paymentProblem = (err: unknown): HttpProblem | undefined => {
  if (err instanceof ClaimsNotFound)
    return new HttpProblem(404, 'NOT_FOUND', `${err.claimIds.length} claim(s) were not found.`, {
      errors: named(err.claimIds, err.requested, () => 'no such claim'),
      extra: { claimIds: err.claimIds },
    });
  if (err instanceof ClaimsNotPayable) {
    const offenders = err.claims;
    return new HttpProblem(409, 'INVALID_STATE', `${offenders.length} claim(s) are not approved and unpaid; nothing was paid.`, {
      errors: named(
        offenders.map((c) => c.claimId),
        err.requested,
        (id) => {
          const c = offenders.find((o) => o.claimId === id)!;
          if (c.paymentId) return `is ${c.status} in payment ${c.paymentId}`;
          // Taken by a payment running at the same time (its reservation is internal; its outcome decides).
          if (c.reservation) return `is being paid in payment ${c.reservation.paymentId}`;
          return `is ${c.status}, not approved`;
        },
      ),
      extra: {
        claims: offenders.map((c) => ({ claimId: c.claimId, status: c.status, ...(c.paymentId ? { paymentId: c.paymentId } : {}) })),
      },
    });
  }
  if (err instanceof PaidDateInvalid) {
    if (err.approvedLater.length === 0)
      return new HttpProblem(422, 'DATES_INVALID', `paidDate ${err.paidDate} is after today.`, {
        errors: [{ path: 'body.paidDate', message: 'must not be after today' }],
      });
    const approved = new Map(err.approvedLater.map((c) => [c.claimId, c.approvedDate]));
    return new HttpProblem(422, 'DATES_INVALID', `paidDate ${err.paidDate} is before the approval of ${approved.size} claim(s).`, {
      errors: named([...approved.keys()], err.requested, (id) => `approved on ${approved.get(id)}`),
    });
  }
  if (err instanceof PaymentInProgress)
    return new HttpProblem(
      409,
      'PAYMENT_IN_PROGRESS',
      `Payment ${err.paymentId} holding some of these claims is still in progress; retry in ${err.retryAfterSeconds} s.`,
      {
        headers: { 'retry-after': String(err.retryAfterSeconds) },
        extra: { paymentId: err.paymentId, ...(err.claimIds.length ? { claimIds: err.claimIds } : {}) },
      },
    );
  if (err instanceof PaymentCancelled)
    return new HttpProblem(409, 'PAYMENT_CANCELLED', 'The payment was cancelled while it was being written; nothing was paid.', {
      extra: { paymentId: err.paymentId },
    });
  if (err instanceof PaymentKeyReused)
    return new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request.');
  if (err instanceof PaymentStuck)
    return new HttpProblem(
      503,
      'SERVICE_UNAVAILABLE',
      `The data store failed during payment ${err.paymentId}; the system finishes or undoes it by itself, and no part of it is ever shown paid meanwhile. Retry shortly.`,
      { headers: { 'retry-after': String(PAYMENT_LEASE_SECONDS) }, extra: { paymentId: err.paymentId } },
    );
  return undefined;
};
