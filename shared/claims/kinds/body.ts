import { msg } from '../../messages/catalogue';
import { ClaimRuleBroken } from '../errors';

/** A filed body as a kind receives it: its own fields plus the enrolment and the fields every kind files. */
export type KindBody<F> = F & { enrolmentId: string };

/**
 * The body (already valid against one branch of the FileClaim union) as the
 * plan's kind needs it: each field the kind requires and the body lacks, and
 * each field of another kind it carries, is named in one 400 — a banded body
 * sent for a lump-sum plan answers what a lump-sum body must hold.
 */
export const foreignFields = <F>(
  body: Record<string, unknown>,
  kind: 'banded' | 'lump_sum',
  required: readonly string[],
  foreign: readonly string[],
): KindBody<F> => {
  const errors = [
    ...required.filter((k) => body[k] === undefined).map((k) => ({ path: k, message: msg('FIELD.requiredForKind', { kind }) })),
    ...foreign.filter((k) => body[k] !== undefined).map((k) => ({ path: k, message: msg('FIELD.foreignToKind', { kind }) })),
  ];
  if (errors.length > 0) {
    throw new ClaimRuleBroken(400, 'VALIDATION_FAILED', msg('VALIDATION_FAILED.claimKind', { kind }), errors[0]!.path, {
      errors,
    });
  }
  return body as KindBody<F>;
};
