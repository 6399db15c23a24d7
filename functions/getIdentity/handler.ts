import { newId } from '../../shared/ids';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getIdentity } from '../../shared/http/routes/enrolment';
import { notFound } from '../../shared/http/problem';
import type { SealedPii } from '../../shared/store/enrolments';
import { piiOf } from '../../shared/pii/fromConfig';

/**
 * The only way to see a full ID number (SPEC §3, §4.3). The access record is
 * written first: if it cannot be written, nothing is revealed.
 */
export const handler = httpHandler('getIdentity', getIdentity, async ({ params, query, principal, deps }) => {
  const e = await deps.enrolments.get(params.id);
  if (!e) throw notFound('enrolment', params.id);
  await orgInScope(deps, principal, e.unitId);
  await deps.identityAccess.record(
    {
      accessId: newId(),
      at: deps.clock.now().toISOString(),
      actor: principal.sub,
      role: principal.role,
      orgId: principal.orgId,
      enrolmentId: e.enrolmentId,
      unitId: e.unitId,
      purpose: query.purpose,
    },
    principal.orgPath ?? [principal.orgId],
  );
  const pii = await piiOf(deps).open<SealedPii>(e.pii, e.enrolmentId);
  return { status: 200, body: { idNumber: pii.idNumber, name: pii.name, phone: pii.phone } };
});
