import { unavailable } from '../http/problem';

/** Errors that mean "DynamoDB/S3 is busy or unreachable": the caller should retry (SPEC §7 → 503). */
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
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

export const isTransientStoreError = (err: unknown): boolean => {
  if (!(err instanceof Error)) return false;
  const e = err as Error & { code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (TRANSIENT.has(e.name) || (e.code !== undefined && TRANSIENT.has(e.code))) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status === 503 || status === 500) return true;
  // Connection-level failures from the SDK's HTTP handler.
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code !== undefined && TRANSIENT.has(cause.code);
};

export const toUnavailable = (err: unknown) => (isTransientStoreError(err) ? unavailable(1) : err);

export const isConditionalCheckFailed = (err: unknown): boolean => err instanceof Error && err.name === 'ConditionalCheckFailedException';
