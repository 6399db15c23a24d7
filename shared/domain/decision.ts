/**
 * Review decisions (SPEC §4.4 "Decision"): who may decide, from which state,
 * and the base amount the benefit (§6.2) is then computed on. The cap
 * reservation itself (CAP_EXHAUSTED) is the store's job, atomically.
 */
import { type ClaimStatus, transition } from './claim';

export type DecisionInput = { decision: 'approve' | 'reject' | 'return'; reason?: string; adjustedSelfPaidInScopeFen?: number };

export type DecisionJudgement =
  | { ok: true; to: ClaimStatus; baseFen: number }
  | { ok: false; status: 400 | 403 | 409 | 422; code: string; message: string; path?: string };

/**
 * Checks in this order: SAME_PERSON (403) first, since four-eyes is about who
 * asks and holds whatever the claim's state; INVALID_STATE (409) next, since
 * a claim not under review cannot be decided whatever the body says; then
 * the body's own rules (reason for reject/return, then the adjustment).
 */
export const judgeDecision = (
  claim: { status: ClaimStatus; createdBy: string; adjustableBaseFen: number | undefined },
  d: DecisionInput,
  deciderSub: string,
): DecisionJudgement => {
  if (claim.createdBy === deciderSub) {
    return { ok: false, status: 403, code: 'SAME_PERSON', message: 'the person who created a claim may not decide it' };
  }
  // decision 'return' is the state machine's action 'return'; the others match too.
  const to = transition(claim.status, d.decision);
  if (claim.status !== 'submitted' || to === null) {
    return { ok: false, status: 409, code: 'INVALID_STATE', message: `only a submitted claim can be decided; this one is ${claim.status}` };
  }
  if (d.decision !== 'approve' && (typeof d.reason !== 'string' || d.reason.trim() === '')) {
    return { ok: false, status: 400, code: 'VALIDATION_FAILED', path: 'reason', message: `a reason is required to ${d.decision} a claim` };
  }
  const adjusted = d.adjustedSelfPaidInScopeFen;
  if (adjusted !== undefined) {
    const path = 'adjustedSelfPaidInScopeFen';
    if (d.decision !== 'approve') {
      return { ok: false, status: 400, code: 'VALIDATION_FAILED', path, message: 'an adjustment is only possible when approving' };
    }
    if (!Number.isSafeInteger(adjusted) || adjusted < 0) {
      return { ok: false, status: 400, code: 'VALIDATION_FAILED', path, message: 'must be a whole number of fen, 0 or more' };
    }
    if (claim.adjustableBaseFen === undefined) {
      return {
        ok: false,
        status: 400,
        code: 'VALIDATION_FAILED',
        path,
        message: 'this claim pays a fixed amount: there is nothing to adjust',
      };
    }
    if (adjusted > claim.adjustableBaseFen) {
      return {
        ok: false,
        status: 422,
        code: 'ADJUSTMENT_NOT_LOWER',
        path,
        message: `the adjustment may only lower the amount: ${adjusted} is above the filed selfPaidInScopeFen ${claim.adjustableBaseFen}`,
      };
    }
  }
  return { ok: true, to, baseFen: adjusted ?? claim.adjustableBaseFen ?? 0 };
};
