import { evaluationView } from '../../shared/evaluation/evaluate';
import { httpHandler } from '../../shared/http/handler';
import { notFound } from '../../shared/http/problem';
import { getEvaluation } from '../../shared/http/routes/evaluations';

/** SPEC §4.5: readable by every role, cut to the caller's subtree (rows, total and CSV). */
export const handler = httpHandler('getEvaluation', getEvaluation, async ({ params, principal, deps }) => {
  const e = await deps.evaluations.get(params.id);
  if (!e) throw notFound('evaluation', params.id);
  return { status: 200, body: await evaluationView(deps, e, principal.orgId) };
});
