import { httpHandler } from '../../shared/http/handler';

/** Plans are the scheme's public rules: every signed-in role may read them. */
export const handler = httpHandler('listPlans', async ({ query, deps }) => ({
  status: 200,
  body: await deps.plans.list(query.limit, query.cursor),
}));
