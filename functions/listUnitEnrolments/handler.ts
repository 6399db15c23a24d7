import { unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listUnitEnrolments } from '../../shared/http/routes/enrolment';
import { enrolmentView } from '../../shared/http/views';
import { piiOf } from '../../shared/pii/fromConfig';

export const handler = httpHandler(
  'listUnitEnrolments',
  listUnitEnrolments,
  async ({ params, query, principal, deps }) => {
    await unitInScope(deps, principal, params.unitId, 'enrolments');
    const page = await deps.enrolments.listByUnit(params.unitId, query.planId, query.limit, query.cursor);
    return {
      status: 200,
      body: { items: await Promise.all(page.items.map((e) => enrolmentView(e, piiOf(deps)))), nextCursor: page.nextCursor },
    };
  },
  { secrets: secretsManager },
);
