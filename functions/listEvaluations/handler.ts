import { evaluationView } from '../../shared/evaluation/evaluate';
import { httpHandler } from '../../shared/http/handler';
import { listEvaluations } from '../../shared/http/routes/evaluations';
import { secretsManager } from '../../shared/secretsManager';

/** SPEC §4.5: a year's evaluations, each cut to the caller's subtree (its total and CSV); rows via GET /evaluations/{id}. */
export const handler = httpHandler(
  'listEvaluations',
  listEvaluations,
  async ({ query, principal, deps }) => {
    const page = await deps.evaluations.list(query.year, query.limit, query.cursor);
    const items = await Promise.all(
      page.items.map(async (e) => {
        const { rows: _rows, ...summary } = await evaluationView(deps, e, principal.orgId);
        return summary;
      }),
    );
    return { status: 200, body: { items, nextCursor: page.nextCursor } };
  },
  { secrets: secretsManager },
);
