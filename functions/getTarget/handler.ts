import { msg } from '../../shared/messages/catalogue';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getTarget } from '../../shared/http/routes/orgs';
import { notFound } from '../../shared/http/problem';

export const handler = httpHandler('getTarget', getTarget, async ({ params, principal, deps }) => {
  await orgInScope(deps, principal, params.id);
  const target = await deps.targets.get(params.id, params.year);
  if (!target) throw notFound(msg('NOT_FOUND.target', { year: params.year, orgId: params.id }));
  return { status: 200, body: target };
});
