import { type Msg, msg, type ProblemCode } from '../messages/catalogue';
/**
 * Review decisions (SPEC §4.4 "Decision"): who may decide, from which state,
 * and the base amount the benefit (§6.2) is then computed on. The cap
 * reservation itself (CAP_EXHAUSTED) is the store's job, atomically.
 */
import { type ClaimStatus, transition } from './claim';

export type DecisionInput = { decision: 'approve' | 'reject' | 'return'; reason?: string; adjustedSelfPaidInScopeFen?: number };

export type DecisionJudgement =
  | { ok: true; to: ClaimStatus; baseFen: number }
  | { ok: false; status: 400 | 403 | 409 | 422; code: ProblemCode; message: Msg; path?: string };

/**
 * Checks in this order: SAME_PERSON (403) first, since four-eyes is about who
 * asks and holds whatever the claim's state; INVALID_STATE (409) next, since
 * a claim not under review cannot be decided whatever the body says; then
 * the body's own rules (reason for reject/return, then the adjustment).
 */
/** What four-eyes needs of a claim: who made it, who moved it, who declared its documents. */
export interface ClaimHands {
  createdBy: string;
  history: readonly { actor: string; to: ClaimStatus; action?: string }[];
  documents: readonly { declaredBy: string }[];
}

/**
 * Everyone whose hand is on the claim (SPEC §4.4 four-eyes): its creator,
 * whoever submitted it (any submission, resubmissions after a return
 * included), and whoever declared one of its documents — also a document
 * removed since, which history still names.
 */
export const handsOn = (claim: ClaimHands): Set<string> => {
  const hands = new Set([claim.createdBy]);
  for (const e of claim.history) {
    if (e.to === 'submitted' && e.action === undefined) hands.add(e.actor);
    if (e.action === 'document_declared') hands.add(e.actor);
  }
  for (const d of claim.documents) hands.add(d.declaredBy);
  return hands;
};

export const judgeDecision = (
  claim: ClaimHands & { status: ClaimStatus; adjustableBaseFen: number | undefined },
  d: DecisionInput,
  deciderSub: string,
): DecisionJudgement => {
  if (handsOn(claim).has(deciderSub)) {
    return {
      ok: false,
      status: 403,
      code: 'SAME_PERSON',
      message: msg('SAME_PERSON'),
    };
  }
  // decision 'return' is the state machine's action 'return'; the others match too.
  const to = transition(claim.status, d.decision);
  if (claim.status !== 'submitted' || to === null) {
    return { ok: false, status: 409, code: 'INVALID_STATE', message: msg('INVALID_STATE.decide', { status: claim.status }) };
  }
  if (d.decision !== 'approve' && (typeof d.reason !== 'string' || d.reason.trim() === '')) {
    return {
      ok: false,
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'reason',
      message: msg('FIELD.reasonRequired', { decision: d.decision }),
    };
  }
  const adjusted = d.adjustedSelfPaidInScopeFen;
  if (adjusted !== undefined) {
    const path = 'adjustedSelfPaidInScopeFen';
    if (d.decision !== 'approve') {
      return { ok: false, status: 400, code: 'VALIDATION_FAILED', path, message: msg('FIELD.adjustOnlyApprove') };
    }
    if (!Number.isSafeInteger(adjusted) || adjusted < 0) {
      return { ok: false, status: 400, code: 'VALIDATION_FAILED', path, message: msg('FIELD.adjustFen') };
    }
    if (claim.adjustableBaseFen === undefined) {
      return {
        ok: false,
        status: 400,
        code: 'VALIDATION_FAILED',
        path,
        message: msg('FIELD.adjustFixed'),
      };
    }
    if (adjusted > claim.adjustableBaseFen) {
      return {
        ok: false,
        status: 422,
        code: 'ADJUSTMENT_NOT_LOWER',
        path,
        message: msg('ADJUSTMENT_NOT_LOWER', { adjusted, filed: claim.adjustableBaseFen }),
      };
    }
  }
  return { ok: true, to, baseFen: adjusted ?? claim.adjustableBaseFen ?? 0 };
};
