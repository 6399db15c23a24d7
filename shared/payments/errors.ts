import type { ClaimRecord } from '../store/claimRecord';
import { StoreUnavailable } from '../store/errors';

/**
 * What a payment can refuse with, as typed errors: shared/http/paymentProblems.ts
 * turns them into problems. Errors that name claims carry the request's ids
 * so the answer can point at `body.claimIds.<i>`.
 */

/** Some requested claims do not exist (404). */
export class ClaimsNotFound extends Error {
  override name = 'ClaimsNotFound';
  constructor(
    readonly claimIds: string[],
    readonly requested: string[],
  ) {
    super(`${claimIds.length} claim(s) were not found`);
  }
}

/** Some claims are not approved-and-unpaid (409 INVALID_STATE, naming each with its status); nothing was paid. */
export class ClaimsNotPayable extends Error {
  override name = 'ClaimsNotPayable';
  constructor(
    readonly claims: ClaimRecord[],
    readonly requested: string[],
    options?: ErrorOptions,
  ) {
    super(`${claims.length} claim(s) are not approved and unpaid`, options);
  }
}

/** paidDate after today, or before the approval of some claims (422 DATES_INVALID). */
export class PaidDateInvalid extends Error {
  override name = 'PaidDateInvalid';
  constructor(
    readonly paidDate: string,
    /** Empty: the date is in the future; else the claims approved after it. */
    readonly approvedLater: { claimId: string; approvedDate: string }[],
    readonly requested: string[],
  ) {
    super(`paidDate ${paidDate} is not a possible payment date`);
  }
}

/** A payment holding some of these claims (or made with this Idempotency-Key) may still be running (409, retry later). */
export class PaymentInProgress extends Error {
  override name = 'PaymentInProgress';
  constructor(
    readonly paymentId: string,
    readonly claimIds: string[],
    readonly retryAfterSeconds: number,
  ) {
    super(`payment ${paymentId} is still in progress`);
  }
}

/** The payment was cancelled while it was being written (its lease ran out and a settler rolled it back): nothing paid (409). */
export class PaymentCancelled extends Error {
  override name = 'PaymentCancelled';
  constructor(
    readonly paymentId: string,
    options?: ErrorOptions,
  ) {
    super(`payment ${paymentId} was cancelled while it was being written`, options);
  }
}

/**
 * The data store failed mid-payment and the payment could not be undone
 * right away: it is not paid (it never completed) and the system rolls it
 * back itself (next payment of its claims, GET /payments/{id}, the nightly job).
 */
export class PaymentStuck extends StoreUnavailable {
  // Keeps the name StoreUnavailable: every layer that does not know this class still answers 503.
  override name = 'StoreUnavailable';
  constructor(
    readonly paymentId: string,
    options?: ErrorOptions,
  ) {
    super(`payment ${paymentId}`, options);
  }
}

/** The same Idempotency-Key with a different request (422 IDEMPOTENCY_KEY_REUSED). */
export class PaymentKeyReused extends Error {
  override name = 'PaymentKeyReused';
  constructor() {
    super('this Idempotency-Key was used with a different request');
  }
}
