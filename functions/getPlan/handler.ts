import { httpHandler } from '../../shared/http/handler';
import { getPlan } from '../../shared/http/routes/plans';
import { notFound } from '../../shared/http/problem';

export const handler = httpHandler('getPlan', getPlan, async ({ params, deps }) => {
  const plan = await deps.plans.get(params.id);
  if (!plan) throw notFound('plan', params.id);
  return { status: 200, body: plan };
});
