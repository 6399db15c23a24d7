import { httpHandler } from '../../shared/http/handler';
import { listPlans } from '../../shared/http/routes/plans';
import { secretsManager } from '../../shared/secretsManager';

/** Plans are the scheme's public rules: every signed-in role may read them. */
export const handler = httpHandler(
  'listPlans',
  listPlans,
  async ({ query, deps }) => ({
    status: 200,
    body: await deps.plans.list(query.limit, query.cursor),
  }),
  { secrets: secretsManager },
);
