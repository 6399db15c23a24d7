import type { MiddlewareObj } from '@middy/core';
import { ClaimRuleBroken } from '../../claims/errors';
import { AlreadyExists, BadCursor, EnrolmentNotActive, isTransientStoreError, ReportLocked, StaleRecord } from '../../store/errors';
import { languageOfHeaders, type Msg, msg } from '../../messages/catalogue';
import { logger } from '../logger';
import { paymentProblem } from '../paymentProblems';
import { enrolmentCancelled, HttpProblem, unavailable, validationFailed } from '../problem';
import { problemJson } from '../respond';
import type { HttpEvent, HttpResult } from '../types';

/** The store's typed errors (shared/store/errors.ts) → what a client sees. The store itself knows nothing of HTTP. */
const storeProblem = (err: unknown): HttpProblem | undefined => {
  if (err instanceof BadCursor) return validationFailed([{ path: 'query.cursor', message: msg('FIELD.cursor') }]);
  if (err instanceof EnrolmentNotActive) return enrolmentCancelled(err.enrolmentId);
  if (err instanceof StaleRecord) return new HttpProblem(409, 'CONFLICT', msg('CONFLICT', { entity: err.entity }));
  if (err instanceof ReportLocked) return new HttpProblem(409, 'REPORT_LOCKED', msg('REPORT_LOCKED', { date: err.date }));
  if (err instanceof AlreadyExists) return new HttpProblem(409, 'ALREADY_EXISTS', msg('ALREADY_EXISTS', { entity: err.entity }));
  if (isTransientStoreError(err)) {
    logger.warn('store unavailable', { errorName: (err as Error).name });
    return unavailable(1);
  }
  return undefined;
};

/** A claim rule a claim step found broken (shared/claims/errors.ts) → its problem; 400 names each field. */
const claimRuleProblem = (err: ClaimRuleBroken): HttpProblem => {
  const listed = err.extra?.errors as Array<{ path: string; message: Msg }> | undefined;
  const fields = (listed ?? (err.path ? [{ path: err.path, message: err.detail }] : [])).map((e) => ({
    path: `body.${e.path}`,
    message: e.message,
  }));
  if (err.status === 400) return validationFailed(fields);
  const { errors: _listed, ...extra } = err.extra ?? {};
  return new HttpProblem(err.status, err.code, err.detail, {
    ...(fields.length ? { errors: fields } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  });
};

/** Any thrown thing → the problem a client should see. Unknown errors are 500 and logged without payloads. */
export const toProblem = (err: unknown): HttpProblem => {
  if (err instanceof HttpProblem) return err;
  if (err instanceof ClaimRuleBroken) return claimRuleProblem(err);
  const name = err instanceof Error ? err.name : 'unknown';
  const mapped = paymentProblem(err) ?? storeProblem(err);
  if (mapped) return mapped;
  // Wrapped errors are judged by their cause.
  const cause = err instanceof Error ? (err as { cause?: unknown }).cause : undefined;
  if (cause instanceof HttpProblem) return cause;
  const fromCause = cause === undefined ? undefined : storeProblem(cause);
  if (fromCause) return fromCause;
  // Log the error's name, message and stack: our messages never carry personal data.
  logger.error('unhandled error', err instanceof Error ? err : new Error(`non-Error thrown: ${name}`));
  return new HttpProblem(500, 'INTERNAL', msg('INTERNAL'));
};

export const problems = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: (request) => {
    const p = toProblem(request.error);
    // In the reader's language (SPEC §3): Chinese unless Accept-Language prefers English.
    request.response = problemJson(p.status, p.toBody(languageOfHeaders(request.event.headers)), p.headers);
  },
});
