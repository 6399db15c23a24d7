import { newId } from '../../shared/ids';
import { todayIn } from '../../shared/clock';
import { compareDates } from '../../shared/domain/dates';
import { httpHandler } from '../../shared/http/handler';
import { createPayment } from '../../shared/http/routes/payments';
import { named, notApproved, paymentEntries, paymentView, recoverStuckPayments } from '../../shared/http/paymentSteps';
import { HttpProblem } from '../../shared/http/problem';
import { ClaimsChanged, PAYMENT_LEASE_SECONDS, PaymentCancelled, type PaymentRecord, PaymentStuck } from '../../shared/store/payments';

/**
 * Pays 1–500 approved claims, all or nothing (SPEC §4.4; protocol in
 * shared/store/payments.ts). Checks, in order: paidDate not after today
 * (422 DATES_INVALID); every id known (404 NOT_FOUND naming the unknown);
 * earlier payments that died half-way on these claims rolled back first;
 * every claim approved and in no payment (409 INVALID_STATE naming each
 * offender with its status); paidDate not before any approval (422).
 * Nothing is written until all of that holds.
 */
// biome-ignore format: laid out as before this file's parallel rework (the payment protocol), so the two merge line by line
export const handler = httpHandler(
  'createPayment',
  createPayment,
  async ({ body, principal, deps }) => {
    const now = deps.clock.now();
    const ids = body.claimIds;
    if (compareDates(body.paidDate, todayIn(deps.clock)) > 0) {
      throw new HttpProblem(422, 'DATES_INVALID', `paidDate ${body.paidDate} is after today.`, {
        errors: [{ path: 'body.paidDate', message: 'must not be after today' }],
      });
    }
    let claims = await deps.claims.getMany(ids);
    const unknown = ids.filter((id) => !claims.has(id));
    if (unknown.length > 0) {
      throw new HttpProblem(404, 'NOT_FOUND', `${unknown.length} claim(s) were not found.`, {
        errors: named(unknown, ids, () => 'no such claim'),
        extra: { claimIds: unknown },
      });
    }
    if (await recoverStuckPayments(deps, claims.values(), principal, now)) claims = await deps.claims.getMany(ids);

    const list = ids.map((id) => claims.get(id)!);
    const offenders = list.filter((c) => c.status !== 'approved' || c.paymentId !== undefined);
    if (offenders.length > 0) throw notApproved(offenders, ids);
    const early = list.filter((c) => compareDates(body.paidDate, c.approvedDate!) < 0);
    if (early.length > 0) {
      throw new HttpProblem(422, 'DATES_INVALID', `paidDate ${body.paidDate} is before the approval of ${early.length} claim(s).`, {
        errors: named(
          early.map((c) => c.claimId),
          ids,
          (id) => `approved on ${claims.get(id)!.approvedDate}`,
        ),
      });
    }

    const payment: PaymentRecord = {
      paymentId: newId(),
      claimIds: ids,
      totalFen: list.reduce((s, c) => s + (c.approvedBenefitFen ?? 0), 0),
      paidDate: body.paidDate,
      reference: body.reference,
      status: 'pending',
      createdBy: principal.sub,
      createdAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + PAYMENT_LEASE_SECONDS * 1000).toISOString(),
    };
    const entries = await paymentEntries(deps, list, body.paidDate);
    try {
      const done = await deps.payments.pay(payment, entries, {
        at: now.toISOString(),
        actor: principal.sub,
        role: principal.role,
        note: `payment ${payment.paymentId}`,
      });
      return { status: 201, body: paymentView(done), headers: { location: `/payments/${done.paymentId}` } };
    } catch (e) {
      if (e instanceof ClaimsChanged) {
        const fresh = await deps.claims.getMany(e.claimIds);
        throw notApproved(
          e.claimIds.map((id) => fresh.get(id)!),
          ids,
        );
      }
      if (e instanceof PaymentCancelled)
        throw new HttpProblem(409, 'PAYMENT_CANCELLED', 'The payment was cancelled while it was being written; nothing was paid.', {
          cause: e,
        });
      if (e instanceof PaymentStuck) {
        throw new HttpProblem(
          503,
          'SERVICE_UNAVAILABLE',
          `The data store failed during payment ${e.paymentId}; it will be rolled back by the next payment of these claims. Retry shortly.`,
          {
            headers: { 'retry-after': String(PAYMENT_LEASE_SECONDS) },
            extra: { paymentId: e.paymentId },
            cause: e,
          },
        );
      }
      throw e;
    }
  },
);
