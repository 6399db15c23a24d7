import { validatePersonName } from '../../shared/domain/names';
import { normalisePhone } from '../../shared/domain/roster';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { enrolmentCancelled, notFound } from '../../shared/http/problem';
import { patchEnrolment } from '../../shared/http/routes/enrolment';
import { enrolmentView } from '../../shared/http/views';
import { piiOf } from '../../shared/pii/fromConfig';
import type { SealedPii } from '../../shared/store/enrolments';

/**
 * A typing error in the name or phone corrected (SPEC §4.3), by any role in scope. Names and phones live only
 * in the sealed `pii` blob, so it is opened, changed and sealed again (bound to the same enrolment id); the
 * history event names the fields changed, never their values. The ID number is never patched: it is the
 * enrolment's identity (a wrong one is a cancellation and a new enrolment). A concurrent change is 409 CONFLICT.
 */
export const handler = httpHandler('patchEnrolment', patchEnrolment, async ({ params, body, principal, deps }) => {
  const e = await deps.enrolments.get(params.id, true);
  if (!e) throw notFound('enrolment', params.id);
  await orgInScope(deps, principal, e.unitId);
  if (e.status === 'cancelled') throw enrolmentCancelled(e.enrolmentId);
  const vault = piiOf(deps);
  const pii = await vault.open<SealedPii>(e.pii, e.enrolmentId);
  const next: SealedPii = { ...pii };
  if (body.name !== undefined) {
    const name = validatePersonName(body.name);
    if (name.ok) next.name = name.value;
  }
  if (body.phone !== undefined) next.phone = body.phone === null ? null : normalisePhone(body.phone);
  const changed = (['name', 'phone'] as const).filter((f) => next[f] !== pii[f]);
  if (changed.length === 0) return { status: 200, body: await enrolmentView(e, vault) };
  const corrected = await deps.enrolments.correct(e, await vault.seal(next, e.enrolmentId), {
    at: deps.clock.now().toISOString(),
    actor: principal.sub,
    role: principal.role,
    action: 'corrected',
    note: changed.join(', '),
  });
  return { status: 200, body: await enrolmentView(corrected, vault) };
});
