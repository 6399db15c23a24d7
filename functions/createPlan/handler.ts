import { msg } from '../../shared/messages/catalogue';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { createPlan } from '../../shared/http/routes/plans';
import { conflict, forbidden, unprocessable } from '../../shared/http/problem';
import { AlreadyExists } from '../../shared/store/errors';
import { type PlanRecord, planAsStored } from '../../shared/store/plans';

export const handler = httpHandler('createPlan', createPlan, async ({ body, principal, deps, idempotency }) => {
  // The route admits federation_admin only, and that role only fits the root; checked here too, because plans bind everyone.
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden(msg('FORBIDDEN.rootOnly', { what: 'plans' }));
  if (body.predecessorPlanId !== undefined) {
    if (body.predecessorPlanId === body.id || !(await deps.plans.get(body.predecessorPlanId))) {
      throw unprocessable('PREDECESSOR_UNKNOWN', msg('PREDECESSOR_UNKNOWN', { id: body.predecessorPlanId }));
    }
  }
  const plan: PlanRecord = {
    ...body,
    predecessorPlanId: body.predecessorPlanId ?? null,
    createdAt: deps.clock.now().toISOString(),
    createdBy: principal.sub,
  };
  // Answered as a read would answer it, and built before the write: the Idempotency-Key's record rides in it.
  const reply = { status: 201, body: planAsStored(plan), headers: { location: `/plans/${plan.id}` } };
  try {
    await deps.plans.create(plan, withRecord(idempotency, reply));
  } catch (e) {
    if (e instanceof AlreadyExists) throw conflict('ALREADY_EXISTS', msg('ALREADY_EXISTS.plan', { id: body.id }));
    throw e;
  }
  return reply;
});
