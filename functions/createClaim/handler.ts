import { todayIn } from '../../shared/clock';
import { kindOfPlan } from '../../shared/claims/kinds';
import { orgInScope } from '../../shared/http/access';
import { claimEvent } from '../../shared/claims/events';
import { claimMember, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { createClaim } from '../../shared/http/routes/claims';
import { enrolmentCancelled, notFound } from '../../shared/http/problem';
import { type ClaimRecord, newClaimId } from '../../shared/store/claimRecord';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * Files a claim (SPEC §4.4) for a member of a unit the caller reaches. Order:
 * body (400, middleware; then 400 when it does not fit the plan's kind) →
 * enrolment 404 / scope 403 → the kind's filing rules (422) → the kind's
 * duplicate lock (DUPLICATE_STAY against the person's stays under any banded
 * plan, CONDITION_ALREADY_CLAIMED against the enrolment's conditions), judged
 * inside the filing transaction, so it holds under concurrent filings too.
 */
export const handler = httpHandler('createClaim', createClaim, async ({ body, principal, deps, idempotency }) => {
  const enrolment = await deps.enrolments.get(body.enrolmentId, true);
  if (!enrolment) throw notFound('enrolment', body.enrolmentId);
  const unit = await orgInScope(deps, principal, enrolment.unitId);
  if (enrolment.status === 'cancelled') throw enrolmentCancelled(enrolment.enrolmentId);
  const plan = await deps.plans.get(enrolment.planId);
  if (!plan) throw new Error(`enrolment ${enrolment.enrolmentId} names a plan that does not exist`);

  const kind = kindOfPlan(plan);
  const { fields, estimate } = kind.file(plan, enrolment, kind.bodyOf(body), todayIn(deps.clock));
  const at = deps.clock.now().toISOString();
  const claim = {
    claimId: newClaimId(enrolment.enrolmentId),
    kind: kind.kind,
    enrolmentId: enrolment.enrolmentId,
    planId: plan.id,
    personKey: enrolment.personKey,
    unitId: unit.id,
    unitPath: unit.path,
    status: 'draft',
    createdBy: principal.sub,
    createdAt: at,
    updatedAt: at,
    hospital: body.hospital,
    accident: body.accident,
    ...fields,
    estimatedBenefitFen: estimate.benefitFen,
    benefitBreakdown: estimate,
    documents: [],
    history: [claimEvent(principal, null, 'draft', at)],
    version: 1,
  } as unknown as ClaimRecord;
  const reply = {
    status: 201,
    body: claimView(claim, await claimMember(deps, claim, enrolment)),
    headers: { location: `/claims/${claim.claimId}` },
  };
  const outcome = await rerunOnStale('claim filing', () => deps.claims.file(claim, withRecord(idempotency, reply)), 24);
  if ('duplicateOf' in outcome) throw kind.duplicate(outcome.duplicateOf);
  return reply;
});
