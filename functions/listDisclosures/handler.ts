import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listDisclosures } from '../../shared/http/routes/payments';
import { notFound } from '../../shared/http/problem';

/** Public (no token): a plan's paid claims as disclosed, newest paidDate first. Only the disclosure fields exist to show. */
export const handler = httpHandler(
  'listDisclosures',
  listDisclosures,
  async ({ params, query, deps }) => {
    const plan = await deps.plans.get(params.planId);
    if (!plan) throw notFound('plan', params.planId);
    return { status: 200, body: await deps.disclosures.list(plan.id, query.limit, query.cursor) };
  },
  { secrets: secretsManager },
);
