import { type Msg, msg } from '../messages/catalogue';
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
const named = (ids: string[], all: string[], message: (id: string) => Msg) =>
  ids.map((id) => ({ path: `body.claimIds.${all.indexOf(id)}`, message: message(id) }));

export const paymentProblem = (err: unknown): HttpProblem | undefined => {
  if (err instanceof ClaimsNotFound)
    return new HttpProblem(404, 'NOT_FOUND', msg('NOT_FOUND.claims', { count: err.claimIds.length }), {
      errors: named(err.claimIds, err.requested, () => msg('NOT_FOUND.noSuchClaim')),
      extra: { claimIds: err.claimIds },
    });
  if (err instanceof ClaimsNotPayable) {
    const offenders = err.claims;
    return new HttpProblem(409, 'INVALID_STATE', msg('INVALID_STATE.notPayable', { count: offenders.length }), {
      errors: named(
        offenders.map((c) => c.claimId),
        err.requested,
        (id) => {
          const c = offenders.find((o) => o.claimId === id)!;
          if (c.paymentId) return msg('INVALID_STATE.inPayment', { status: c.status, paymentId: c.paymentId });
          // Taken by a payment running at the same time (its reservation is internal; its outcome decides).
          if (c.reservation) return msg('INVALID_STATE.beingPaid', { paymentId: c.reservation.paymentId });
          return msg('INVALID_STATE.notApproved', { status: c.status });
        },
      ),
      extra: {
        claims: offenders.map((c) => ({ claimId: c.claimId, status: c.status, ...(c.paymentId ? { paymentId: c.paymentId } : {}) })),
      },
    });
  }
  if (err instanceof PaidDateInvalid) {
    if (err.approvedLater.length === 0)
      return new HttpProblem(422, 'DATES_INVALID', msg('DATES_INVALID.paidAfterToday'), {
        errors: [{ path: 'body.paidDate', message: msg('DATES_INVALID.notAfterToday') }],
      });
    const approved = new Map(err.approvedLater.map((c) => [c.claimId, c.approvedDate]));
    return new HttpProblem(422, 'DATES_INVALID', msg('DATES_INVALID.paidBeforeApproval', { count: approved.size }), {
      errors: named([...approved.keys()], err.requested, (id) => msg('DATES_INVALID.approvedOn', { date: approved.get(id)! })),
    });
  }
  if (err instanceof PaymentInProgress)
    return new HttpProblem(
      409,
      'PAYMENT_IN_PROGRESS',
      msg('PAYMENT_IN_PROGRESS', { paymentId: err.paymentId, seconds: err.retryAfterSeconds }),
      {
        headers: { 'retry-after': String(err.retryAfterSeconds) },
        extra: { paymentId: err.paymentId, ...(err.claimIds.length ? { claimIds: err.claimIds } : {}) },
      },
    );
  if (err instanceof PaymentCancelled)
    return new HttpProblem(409, 'PAYMENT_CANCELLED', msg('PAYMENT_CANCELLED'), {
      extra: { paymentId: err.paymentId },
    });
  if (err instanceof PaymentKeyReused) return new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', msg('IDEMPOTENCY_KEY_REUSED'));
  if (err instanceof PaymentStuck)
    return new HttpProblem(503, 'SERVICE_UNAVAILABLE', msg('SERVICE_UNAVAILABLE.payment', { paymentId: err.paymentId }), {
      headers: { 'retry-after': String(PAYMENT_LEASE_SECONDS) },
      extra: { paymentId: err.paymentId },
    });
  return undefined;
};
