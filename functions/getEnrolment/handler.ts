import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getEnrolment } from '../../shared/http/routes/enrolment';
import { notFound } from '../../shared/http/problem';
import { enrolmentView } from '../../shared/http/views';
import { piiOf } from '../../shared/pii/fromConfig';

export const handler = httpHandler('getEnrolment', getEnrolment, async ({ params, principal, deps }) => {
  const e = await deps.enrolments.get(params.id);
  if (!e) throw notFound('enrolment', params.id);
  await orgInScope(deps, principal, e.unitId);
  return { status: 200, body: await enrolmentView(e, piiOf(deps)) };
});
