import { msg } from '../../shared/messages/catalogue';
import { shanghaiDayBounds } from '../../shared/domain/dates';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listIdentityAccess } from '../../shared/http/routes/enrolment';
import { validationFailed } from '../../shared/http/problem';

/** Identity reveals by actors in an org's subtree (default: everyone), between two Shanghai days inclusive, oldest first. */
export const handler = httpHandler(
  'listIdentityAccess',
  listIdentityAccess,
  async ({ query, principal, deps }) => {
    const org = await orgInScope(deps, principal, query.orgId ?? principal.orgId);
    if (query.from && query.to && query.from > query.to)
      throw validationFailed([{ path: 'query.to', message: msg('FIELD.notBeforeFrom') }]);
    const from = query.from ? shanghaiDayBounds(query.from).start : '0000';
    const to = query.to ? shanghaiDayBounds(query.to).end : '9999';
    return { status: 200, body: await deps.identityAccess.list(org.path, from, to, query.limit, query.cursor) };
  },
  { secrets: secretsManager },
);
