import type { MiddlewareObj } from '@middy/core';
import { isTransientStoreError } from '../../store/errors';
import { logger } from '../logger';
import { HttpProblem } from '../problem';
import { problemJson } from '../respond';
import type { HttpEvent, HttpResult } from '../types';

/** Powertools idempotency errors, by name (their classes are not needed here). */
const IDEMPOTENCY_PROBLEMS: Record<string, () => HttpProblem> = {
  IdempotencyValidationError: () =>
    new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request body.'),
  IdempotencyAlreadyInProgressError: () =>
    new HttpProblem(409, 'IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.', {
      headers: { 'retry-after': '1' },
    }),
};

/** Any thrown thing → the problem a client should see. Unknown errors are 500 and logged without payloads. */
export const toProblem = (err: unknown): HttpProblem => {
  if (err instanceof HttpProblem) return err;
  const name = err instanceof Error ? err.name : 'unknown';
  const idem = IDEMPOTENCY_PROBLEMS[name];
  if (idem) return idem();
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  if (cause instanceof HttpProblem) return cause;
  if (isTransientStoreError(err) || isTransientStoreError(cause)) {
    logger.warn('store unavailable', { errorName: name });
    return new HttpProblem(503, 'SERVICE_UNAVAILABLE', 'The data store is busy or unreachable; retry shortly.', {
      headers: { 'retry-after': '1' },
    });
  }
  // Log the error's name, message and stack: our messages never carry personal data.
  logger.error('unhandled error', err instanceof Error ? err : new Error(`non-Error thrown: ${name}`));
  return new HttpProblem(500, 'INTERNAL', 'Something went wrong on our side; it has been logged.');
};

export const problems = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const p = toProblem(request.error);
    request.response = problemJson(p.status, p.toBody(), p.headers);
  },
});
