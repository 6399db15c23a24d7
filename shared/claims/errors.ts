import { type Msg, msg, type ProblemCode, render } from '../messages/catalogue';

/**
 * A claim rule the request breaks, as the claim steps (shared/claims/) raise
 * it: the step knows the rule, its code and the field at fault, not HTTP.
 * shared/http/middleware/problems.ts maps it to problem+json (400 becomes
 * VALIDATION_FAILED naming the field), as it does the store's typed errors.
 */
export class ClaimRuleBroken extends Error {
  override readonly name = 'ClaimRuleBroken';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    readonly code: ProblemCode,
    /** What to fix (catalogue message), rendered in the reader's language; also the field's message when `path` is set. */
    readonly detail: Msg,
    /** The body field at fault, e.g. 'diagnosisDate'. */
    readonly path?: string,
    readonly extra?: Record<string, unknown>,
  ) {
    super(render(detail, 'en'));
  }
}

/** 422 CAP_EXHAUSTED (SPEC §4.4): the cap left for the member pays nothing of this claim, whatever its kind. */
export const capExhausted = (b: { capFen: number; capRemainingBeforeFen: number }) =>
  new ClaimRuleBroken(422, 'CAP_EXHAUSTED', msg('CAP_EXHAUSTED', { capFen: b.capFen }), undefined, {
    capFen: b.capFen,
    capRemainingFen: b.capRemainingBeforeFen,
  });
