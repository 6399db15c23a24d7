import { msg } from '../../shared/messages/catalogue';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { createOrg } from '../../shared/http/routes/orgs';
import { conflict, forbidden, unprocessable } from '../../shared/http/problem';
import { AlreadyExists } from '../../shared/store/errors';
import type { OrgRecord } from '../../shared/store/orgs';

export const handler = httpHandler('createOrg', createOrg, async ({ body, principal, deps, idempotency }) => {
  const parent = await deps.orgs.get(body.parentId);
  if (!parent) {
    // Only the federation reaches every possible parent: to anyone else an unknown parent and a parent
    // outside their subtree must look the same, or the answer would reveal which ids exist elsewhere.
    if (principal.role !== 'federation_admin') throw forbidden(msg('FORBIDDEN.orgScope', { orgId: body.parentId }));
    throw unprocessable('PARENT_UNKNOWN', msg('PARENT_UNKNOWN', { id: body.parentId }));
  }
  await orgInScope(deps, principal, parent.id);
  if (parent.kind === 'unit') throw unprocessable('PARENT_IS_UNIT', msg('PARENT_IS_UNIT'));
  const now = deps.clock.now().toISOString();
  const org: OrgRecord = {
    id: body.id,
    name: body.name,
    kind: body.kind,
    parentId: parent.id,
    path: [...parent.path, body.id],
    headcount: body.headcount ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const reply = { status: 201, body: org, headers: { location: `/orgs/${org.id}` } };
  try {
    await deps.orgs.create(org, withRecord(idempotency, reply));
  } catch (e) {
    if (e instanceof AlreadyExists) throw conflict('ALREADY_EXISTS', msg('ALREADY_EXISTS.org', { id: body.id }));
    throw e;
  }
  return reply;
});
