import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/**
 * The store's own errors: plain, typed, with `cause`. The HTTP layer decides
 * what a client sees (shared/http/middleware/problems.ts); nothing here knows HTTP.
 */

/** A create whose key is taken (conditional put failed). */
export class AlreadyExists extends Error {
  override name = 'AlreadyExists';
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} ${id} already exists`, options);
  }
}

/** A write whose condition on the current state failed: the record changed since it was read. */
export class StaleRecord extends Error {
  override name = 'StaleRecord';
  constructor(
    readonly entity: string,
    readonly id: string,
    options?: ErrorOptions,
  ) {
    super(`${entity} ${id} changed while it was being written`, options);
  }
}

/** The report of this date is locked (an evaluation was computed from it, SPEC §4.5): it may not be re-run. */
export class ReportLocked extends Error {
  override name = 'ReportLocked';
  readonly code = 'REPORT_LOCKED';
  constructor(
    readonly date: string,
    options?: ErrorOptions,
  ) {
    super(`REPORT_LOCKED: the report of ${date} is locked (an evaluation was computed from it)`, options);
  }
}

/** A list cursor that this list did not issue (forged, edited, for another list, or junk). */
export class BadCursor extends Error {
  override name = 'BadCursor';
  constructor(options?: ErrorOptions) {
    super('not a cursor this list issued', options);
  }
}

/** DynamoDB (or S3) stayed busy or unreachable after the SDK's retries; the caller should retry later. */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
  constructor(what: string, options?: ErrorOptions) {
    super(`${what}: the data store is busy or unreachable`, options);
  }
}

/** Errors that mean "busy or unreachable" (SPEC §7 → 503). */
const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
  'LimitExceededException',
  'SlowDown',
  'TimeoutError',
  'RequestTimeout',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'StoreUnavailable',
]);

/** Cancellation reasons that say "try again", not "your condition failed". */
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** Reasons of a cancelled transaction, aligned with its items (empty for other errors). */
export const cancellationReasons = (err: unknown): string[] =>
  err instanceof TransactionCanceledException ? (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None') : [];

/** A cancelled transaction none of whose conditions failed: a conflict or throttle, worth retrying. */
export const isRetriableCancellation = (err: unknown): boolean => {
  const reasons = cancellationReasons(err);
  return reasons.some((r) => TRANSIENT_REASONS.has(r)) && !reasons.includes('ConditionalCheckFailed');
};

export const isTransientStoreError = (err: unknown): boolean => {
  if (!(err instanceof Error)) return false;
  if (isRetriableCancellation(err)) return true;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  if (TRANSIENT.has(e.name) || (e.code !== undefined && TRANSIENT.has(e.code))) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 503 || status === 500) return true;
  // Connection-level failures from the SDK's HTTP handler.
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code !== undefined && TRANSIENT.has(cause.code);
};

export const isConditionalCheckFailed = (err: unknown): boolean => err instanceof Error && err.name === 'ConditionalCheckFailedException';

/** A claim was filed on an enrolment that is no longer active (cancelled in error meanwhile). */
export class EnrolmentNotActive extends Error {
  override name = 'EnrolmentNotActive';
  constructor(
    readonly enrolmentId: string,
    options?: ErrorOptions,
  ) {
    super(`enrolment ${enrolmentId} is not active`, options);
  }
}
