import { type Msg, msg } from '../../shared/messages/catalogue';
import { todayIn } from '../../shared/clock';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { conflict, enrolmentCancelled, notFound } from '../../shared/http/problem';
import { cancelEnrolment } from '../../shared/http/routes/enrolment';
import { enrolmentView } from '../../shared/http/views';
import { piiOf } from '../../shared/pii/fromConfig';
import { StaleRecord } from '../../shared/store/errors';
import type { EnrolmentRecord } from '../../shared/store/enrolments';

const inForce = (e: EnrolmentRecord, why: Msg) => conflict('ENROLMENT_IN_FORCE', why, { enrolmentStatus: e.status });

/**
 * An enrolment made in error cancelled (SPEC §4.3), by any role in scope, while today is before its
 * benefitStartDate and no claim was ever filed on it (else 409 ENROLMENT_IN_FORCE). One transaction: status
 * `cancelled` (conditioned on no claim, so a concurrent filing and this cannot both pass), an archived copy, and
 * every summed counter reversed (enrolmentCounterDelta −1) in today's bucket: a past day's report keeps what
 * it counted. The person's key is freed: a correct re-enrolment in this plan works.
 */
export const handler = httpHandler('cancelEnrolment', cancelEnrolment, async ({ params, body, principal, deps }) => {
  const e = await deps.enrolments.get(params.id, true);
  if (!e) throw notFound('enrolment', params.id);
  const unit = await orgInScope(deps, principal, e.unitId);
  if (e.status === 'cancelled') throw enrolmentCancelled(e.enrolmentId);
  const today = todayIn(deps.clock);
  if (today >= e.benefitStartDate) throw inForce(e, msg('ENROLMENT_IN_FORCE', { enrolmentId: e.enrolmentId, date: e.benefitStartDate }));
  if ((e.claimsFiled ?? 0) > 0) throw inForce(e, msg('ENROLMENT_IN_FORCE.claimFiled', { enrolmentId: e.enrolmentId }));
  try {
    const cancelled = await deps.enrolments.cancel(e, unit, {
      at: deps.clock.now().toISOString(),
      actor: principal.sub,
      role: principal.role,
      action: 'cancelled',
      note: body.reason,
    });
    return { status: 200, body: await enrolmentView(cancelled, piiOf(deps)) };
  } catch (err) {
    if (!(err instanceof StaleRecord)) throw err;
    // Something changed since the read: say what it was.
    const now = await deps.enrolments.get(e.enrolmentId, true);
    if (now?.status === 'cancelled') throw enrolmentCancelled(e.enrolmentId);
    if ((now?.claimsFiled ?? 0) > 0) throw inForce(e, msg('ENROLMENT_IN_FORCE.claimFiled', { enrolmentId: e.enrolmentId }));
    throw err;
  }
});
