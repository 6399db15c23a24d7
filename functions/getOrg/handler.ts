import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getOrg } from '../../shared/http/routes/orgs';

export const handler = httpHandler('getOrg', getOrg, async ({ params, principal, deps }) => ({
  status: 200,
  body: await orgInScope(deps, principal, params.id),
}));
