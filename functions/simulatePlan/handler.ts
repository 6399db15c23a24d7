import { httpHandler } from '../../shared/http/handler';
import { logger } from '../../shared/http/logger';
import { conflict, HttpProblem, notFound, unprocessable } from '../../shared/http/problem';
import { simulatePlan } from '../../shared/http/routes/plans';
import {
  BenefitKindMismatch,
  SimulationBusy,
  SimulationMismatch,
  SimulationOutOfRange,
  simulatePlan as simulate,
} from '../../shared/simulation/simulate';

/** SPEC §4.6: the figures of the plan under candidate rules; reads only. */
export const handler = httpHandler('simulatePlan', simulatePlan, async ({ params, body, deps }) => {
  const plan = await deps.plans.get(params.id);
  if (!plan) throw notFound(`Plan ${params.id}`);
  try {
    return { status: 200, body: await simulate(deps.store, plan, body) };
  } catch (e) {
    if (e instanceof BenefitKindMismatch) {
      throw unprocessable(
        'BENEFIT_KIND_MISMATCH',
        `Plan ${plan.id} is a ${e.planKind} plan: simulate it with ${e.planKind} benefit rules, not ${e.candidateKind}.`,
        { planKind: e.planKind },
      );
    }
    if (e instanceof SimulationOutOfRange) {
      throw unprocessable(
        'SIMULATION_OUT_OF_RANGE',
        'The candidate’s prices or amounts give figures too large to count exactly; use realistic amounts.',
      );
    }
    if (e instanceof SimulationMismatch) {
      // Ids and aggregate money only: nothing personal in the log or the answer.
      logger.error('plan simulation: the built-in check failed', { planId: e.planId, mismatches: e.mismatches });
      throw new HttpProblem(
        409,
        'SIMULATION_MISMATCH',
        `The approvals of plan ${plan.id} replayed under its own rules do not match its recorded totals, so no simulation can be trusted: run the reconciliation (npm run reconcile) and try again.`,
        { extra: { mismatches: e.mismatches } },
      );
    }
    if (e instanceof SimulationBusy) {
      throw conflict('CONCURRENT_CHANGE', `Plan ${plan.id} kept changing while it was read (approvals or enrolments landing); try again.`);
    }
    throw e;
  }
});
