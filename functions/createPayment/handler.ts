import { httpHandler } from '../../shared/http/handler';
import { paymentView } from '../../shared/http/paymentProblems';
import { createPayment } from '../../shared/http/routes/payments';
import { payClaims } from '../../shared/payments/pay';

/**
 * Pays 1–500 approved claims, all or nothing (SPEC §4.4; the capability in
 * shared/payments/pay.ts, the protocol in shared/store/payments.ts). Checks,
 * in order: paidDate not after today (422 DATES_INVALID); every id known (404
 * NOT_FOUND naming the unknown); earlier payments that died on these claims
 * settled first (409 PAYMENT_IN_PROGRESS while one may still run); every
 * claim approved and in no payment (409 INVALID_STATE naming each offender);
 * paidDate not before any approval (422). Nothing is written until all holds.
 * The Idempotency-Key is the payment's own (route flag `idempotent: 'own'`):
 * its record is written with the payment, and a retry answers from it.
 */
export const handler = httpHandler('createPayment', createPayment, async ({ body, principal, deps, event }) => {
  const { payment } = await payClaims(deps, principal, body, event.headers?.['idempotency-key']);
  return { status: 201, body: paymentView(payment), headers: { location: `/payments/${payment.paymentId}` } };
});
