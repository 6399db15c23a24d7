import { todayIn } from '../../shared/clock';
import { computeBenefit } from '../../shared/domain/benefit';
import { judgeBandedFiling } from '../../shared/domain/claimFiling';
import { explainBanded } from '../../shared/domain/explanation';
import { orgInScope } from '../../shared/http/access';
import { claimEvent } from '../../shared/http/claimActions';
import { claimView } from '../../shared/http/claimView';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { createClaim } from '../../shared/http/routes/claims';
import { HttpProblem, notFound, unprocessable } from '../../shared/http/problem';
import { type BandedClaimRecord, newClaimId } from '../../shared/store/claimRecord';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * Files a claim (SPEC §4.4) for a member of a unit the caller reaches. Order:
 * body (400, middleware) → enrolment 404 / scope 403 → the filing rules
 * (422, judgeBandedFiling) → DUPLICATE_STAY (422, judged against the
 * person's stays, under any banded plan, inside the filing transaction, so it
 * holds under concurrent filings too, also under a plan and its successor).
 */
export const handler = httpHandler('createClaim', createClaim, async ({ body, principal, deps, idempotency }) => {
  const enrolment = await deps.enrolments.get(body.enrolmentId, true);
  if (!enrolment) throw notFound(`Enrolment ${body.enrolmentId}`);
  const unit = await orgInScope(deps, principal, enrolment.unitId);
  const plan = await deps.plans.get(enrolment.planId);
  if (!plan) throw new Error(`enrolment ${enrolment.enrolmentId} names a plan that does not exist`);
  if ((plan.benefit as { kind?: string }).kind === 'lump_sum') {
    throw unprocessable('PLAN_KIND_UNSUPPORTED', `Plan ${plan.id} pays lump sums; such claims are not accepted yet.`);
  }

  const today = todayIn(deps.clock);
  const problem = judgeBandedFiling(plan, enrolment, body, today);
  if (problem)
    throw new HttpProblem(422, problem.code, problem.message, { errors: [{ path: `body.${problem.path}`, message: problem.message }] });

  const at = deps.clock.now().toISOString();
  const breakdown = explainBanded(
    computeBenefit({
      rules: plan.benefit,
      shares: enrolment.shares,
      baseFen: body.selfPaidInScopeFen,
      usedFen: enrolment.usedFen,
      deductibleUsedFen: enrolment.deductibleUsedFen,
    }),
  );
  const claim: BandedClaimRecord = {
    claimId: newClaimId(enrolment.enrolmentId),
    kind: 'banded',
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
    admissionDate: body.admissionDate,
    dischargeDate: body.dischargeDate,
    diagnosis: body.diagnosis,
    ...(body.icd10 ? { icd10: body.icd10.toUpperCase() } : {}),
    accident: body.accident,
    totalExpenseFen: body.totalExpenseFen,
    insuranceReimbursedFen: body.insuranceReimbursedFen,
    selfPaidInScopeFen: body.selfPaidInScopeFen,
    estimatedBenefitFen: breakdown.benefitFen,
    benefitBreakdown: breakdown,
    documents: [],
    history: [claimEvent(principal, null, 'draft', at)],
    version: 1,
  };
  const reply = { status: 201, body: claimView(claim), headers: { location: `/claims/${claim.claimId}` } };
  const outcome = await rerunOnStale('claim filing', () => deps.claims.file(claim, withRecord(idempotency, reply)), 24);
  if ('duplicateOf' in outcome) {
    throw new HttpProblem(422, 'DUPLICATE_STAY', `This stay overlaps claim ${outcome.duplicateOf} of the same member.`, {
      errors: [{ path: 'body.admissionDate', message: `overlaps the stay of claim ${outcome.duplicateOf}` }],
      extra: { duplicateOf: outcome.duplicateOf },
    });
  }
  return reply;
});
