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
    if (principal.role !== 'federation_admin') throw forbidden(`Org ${body.parentId} is outside your scope.`);
    throw unprocessable('PARENT_UNKNOWN', `Parent org ${body.parentId} does not exist.`);
  }
  await orgInScope(deps, principal, parent.id);
  if (parent.kind === 'unit') throw unprocessable('PARENT_IS_UNIT', 'Units are leaves: an org cannot be created under a unit.');
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
    if (e instanceof AlreadyExists) throw conflict('ALREADY_EXISTS', `An org with id ${body.id} already exists.`);
    throw e;
  }
  return reply;
});
