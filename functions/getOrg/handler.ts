import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';

export const handler = httpHandler('getOrg', async ({ params, principal, deps }) => ({
  status: 200,
  body: await orgInScope(deps, principal, params.id),
}));
