import { msg } from '../../shared/messages/catalogue';
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
  if (!plan) throw notFound('plan', params.id);
  try {
    return { status: 200, body: await simulate(deps.store, plan, body) };
  } catch (e) {
    if (e instanceof BenefitKindMismatch) {
      throw unprocessable(
        'BENEFIT_KIND_MISMATCH',
        msg('BENEFIT_KIND_MISMATCH', { planId: plan.id, planKind: e.planKind, candidateKind: e.candidateKind }),
        { planKind: e.planKind },
      );
    }
    if (e instanceof SimulationOutOfRange) {
      throw unprocessable('SIMULATION_OUT_OF_RANGE', msg('SIMULATION_OUT_OF_RANGE'));
    }
    if (e instanceof SimulationMismatch) {
      // Ids and aggregate money only: nothing personal in the log or the answer.
      logger.error('plan simulation: the built-in check failed', { planId: e.planId, mismatches: e.mismatches });
      throw new HttpProblem(409, 'SIMULATION_MISMATCH', msg('SIMULATION_MISMATCH', { planId: plan.id }), {
        extra: { mismatches: e.mismatches },
      });
    }
    if (e instanceof SimulationBusy) {
      throw conflict('CONCURRENT_CHANGE', msg('CONCURRENT_CHANGE.plan', { planId: plan.id }));
    }
    throw e;
  }
});
