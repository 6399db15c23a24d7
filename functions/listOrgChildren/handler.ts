import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listOrgChildren } from '../../shared/http/routes/orgs';

export const handler = httpHandler(
  'listOrgChildren',
  listOrgChildren,
  async ({ params, query, principal, deps }) => {
    await orgInScope(deps, principal, params.id);
    return { status: 200, body: await deps.orgs.children(params.id, query.limit, query.cursor) };
  },
  { secrets: secretsManager },
);
