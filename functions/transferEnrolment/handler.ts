import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { conflict, notFound, unprocessable } from '../../shared/http/problem';
import { enrolmentView } from '../../shared/http/views';
import { TransferConflict } from '../../shared/store/enrolments';

/** A worker moved to another unit (SPEC §4.3): both units in the caller's scope; benefits unchanged. */
export const handler = httpHandler('transferEnrolment', async ({ params, body, principal, deps }) => {
  const e = await deps.enrolments.get(params.id);
  if (!e) throw notFound(`Enrolment ${params.id}`);
  await orgInScope(deps, principal, e.unitId);
  const to = await orgInScope(deps, principal, body.toUnitId);
  if (to.kind !== 'unit') throw unprocessable('NOT_A_UNIT', `Org ${to.id} is a ${to.kind}; members belong to units.`);
  if (to.id === e.unitId) throw unprocessable('SAME_UNIT', `Enrolment ${e.enrolmentId} is already in ${to.id}.`);
  try {
    const moved = await deps.enrolments.transfer(e, to.id, {
      at: deps.clock.now().toISOString(),
      actor: principal.sub,
      fromUnitId: e.unitId,
      toUnitId: to.id,
    });
    return { status: 200, body: await enrolmentView(moved, deps.pii) };
  } catch (err) {
    if (err instanceof TransferConflict) throw conflict('CONFLICT', 'The enrolment changed while moving it; read it again and retry.');
    throw err;
  }
});
