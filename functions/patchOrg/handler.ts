import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { patchOrg } from '../../shared/http/routes/orgs';
import { notFound } from '../../shared/http/problem';

export const handler = httpHandler('patchOrg', patchOrg, async ({ params, body, principal, deps }) => {
  await orgInScope(deps, principal, params.id);
  const updated = await deps.orgs.update(params.id, body, deps.clock.now().toISOString());
  if (!updated) throw notFound('org', params.id);
  return { status: 200, body: updated };
});
