import { newId } from '../../shared/ids';
import { todayIn } from '../../shared/clock';
import { kindOfClaim } from '../../shared/claims/kinds';
import { judgeDecision } from '../../shared/domain/decision';
import { claimEvent } from '../../shared/claims/events';
import { claimMember, claimReached, claimView } from '../../shared/claims/views';
import type { EnrolmentRecord } from '../../shared/store/enrolments';
import { httpHandler } from '../../shared/http/handler';
import { decideClaim } from '../../shared/http/routes/claims';
import { HttpProblem, validationFailed } from '../../shared/http/problem';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * Enough rounds for a crowd of reviewers approving one member's claims at
 * once: each round at least one of them commits.
 */
const APPROVAL_ROUNDS = 40;

/**
 * Review (SPEC §4.4). judgeDecision first (SAME_PERSON 403, INVALID_STATE
 * 409, reason 400, ADJUSTMENT_NOT_LOWER 422). Approval computes §6.2 from the
 * enrolment as read (consistently) and reserves the benefit in one
 * transaction conditioned on those values; a concurrent approval that got
 * there first makes it recompute from fresh values (rerunOnStale), so the cap
 * and the deductible hold. CAP_EXHAUSTED when the cap leaves nothing.
 */
export const handler = httpHandler('decideClaim', decideClaim, async ({ params, body, principal, deps }) => {
  const at = deps.clock.now().toISOString();
  const token = newId();
  /** The enrolment as last read: whose name the answer carries (a decision never changes it). */
  let enrolmentRead: EnrolmentRecord | undefined;
  const next = await rerunOnStale(
    'claim decision',
    async () => {
      // Claim and enrolment in one consistent read (the claim id carries the enrolment's): what the benefit is computed from.
      const read = await deps.claims.getWithEnrolment(params.id);
      const c = claimReached(principal, params.id, read.claim);
      enrolmentRead = read.enrolment;
      // Our own write landed but its answer was lost (the retried transaction then found the claim changed): done.
      if (c.writeToken === token) return c;
      const kind = kindOfClaim(c);
      const j = judgeDecision(
        { status: c.status, createdBy: c.createdBy, history: c.history, documents: c.documents, adjustableBaseFen: kind.adjustableBase(c) },
        body,
        principal.sub,
      );
      if (!j.ok) {
        if (j.status === 400) throw validationFailed([{ path: `body.${j.path}`, message: j.message }]);
        throw new HttpProblem(j.status, j.code, j.message, {
          ...(j.path ? { errors: [{ path: `body.${j.path}`, message: j.message }] } : {}),
          // The claim's state, under its own name: a problem's `status` is its HTTP status (SPEC §3).
          extra: { claimStatus: c.status },
        });
      }
      const event = claimEvent(principal, c.status, j.to, at, body.reason?.trim());
      if (body.decision === 'reject') return deps.claims.reject(c, { to: j.to, event, updatedAt: at, token });
      if (body.decision === 'return') return deps.claims.returnToFiler(c, { to: j.to, event, updatedAt: at, token });

      const { enrolment } = read;
      const plan = await deps.plans.get(c.planId);
      if (!enrolment || !plan) throw new Error(`claim ${c.claimId} names a missing enrolment or plan`);
      return deps.claims.approve({
        claim: c,
        enrolment,
        ...kind.approval(plan, enrolment, c, body),
        event,
        token,
        at,
        today: todayIn(deps.clock),
      });
    },
    APPROVAL_ROUNDS,
  );
  return { status: 200, body: claimView(next, await claimMember(deps, next, enrolmentRead)) };
});
