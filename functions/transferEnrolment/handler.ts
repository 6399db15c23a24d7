import { msg } from '../../shared/messages/catalogue';
import { orgInScope, unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { transferEnrolment } from '../../shared/http/routes/enrolment';
import { enrolmentCancelled, notFound, unprocessable } from '../../shared/http/problem';
import { enrolmentView } from '../../shared/http/views';
import { piiOf } from '../../shared/pii/fromConfig';

/** A worker moved to another unit (SPEC §4.3): both units in the caller's scope; benefits unchanged. A stale read is 409 CONFLICT. */
export const handler = httpHandler('transferEnrolment', transferEnrolment, async ({ params, body, principal, deps }) => {
  const e = await deps.enrolments.get(params.id, true);
  if (!e) throw notFound('enrolment', params.id);
  const from = await orgInScope(deps, principal, e.unitId);
  if (e.status === 'cancelled') throw enrolmentCancelled(e.enrolmentId);
  const to = await unitInScope(deps, principal, body.toUnitId, 'members');
  if (to.id === e.unitId) throw unprocessable('SAME_UNIT', msg('SAME_UNIT', { enrolmentId: e.enrolmentId, unitId: to.id }));
  const moved = await deps.enrolments.transfer(e, from, to, {
    at: deps.clock.now().toISOString(),
    actor: principal.sub,
    fromUnitId: e.unitId,
    toUnitId: to.id,
  });
  return { status: 200, body: await enrolmentView(moved, piiOf(deps)) };
});
