import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { unprocessable } from '../../shared/http/problem';
import { enrolmentView } from '../../shared/http/views';

export const handler = httpHandler('listUnitEnrolments', async ({ params, query, principal, deps }) => {
  const unit = await orgInScope(deps, principal, params.unitId);
  if (unit.kind !== 'unit') throw unprocessable('NOT_A_UNIT', `Org ${unit.id} is a ${unit.kind}; enrolments belong to units.`);
  const page = await deps.enrolments.listByUnit(params.unitId, query.planId, query.limit, query.cursor);
  return {
    status: 200,
    body: { items: await Promise.all(page.items.map((e) => enrolmentView(e, deps.pii))), nextCursor: page.nextCursor },
  };
});
