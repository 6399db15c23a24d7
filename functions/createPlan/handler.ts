import { requireRole } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { conflict, unprocessable } from '../../shared/http/problem';
import { AlreadyExists } from '../../shared/store/items';
import type { PlanRecord } from '../../shared/store/plans';

export const handler = httpHandler('createPlan', async ({ body, principal, deps }) => {
  requireRole(principal, 'federation_admin');
  if (body.predecessorPlanId !== undefined) {
    if (body.predecessorPlanId === body.id || !(await deps.plans.get(body.predecessorPlanId))) {
      throw unprocessable('PREDECESSOR_UNKNOWN', `Predecessor plan ${body.predecessorPlanId} does not exist.`);
    }
  }
  const plan: PlanRecord = {
    ...body,
    predecessorPlanId: body.predecessorPlanId ?? null,
    createdAt: deps.clock.now().toISOString(),
    createdBy: principal.sub,
  };
  try {
    await deps.plans.create(plan);
  } catch (e) {
    if (e instanceof AlreadyExists) throw conflict('ALREADY_EXISTS', `Plan ${body.id} already exists; plans are immutable.`);
    throw e;
  }
  return { status: 201, body: plan, headers: { location: `/plans/${plan.id}` } };
});
