import { msg } from '../../shared/messages/catalogue';
import { evaluationView } from '../../shared/evaluation/evaluate';
import { httpHandler } from '../../shared/http/handler';
import { conflict, forbidden, notFound } from '../../shared/http/problem';
import { approveEvaluation } from '../../shared/http/routes/evaluations';
import { EvaluationStateChanged } from '../../shared/store/evaluations';

/** SPEC §4.5: draft → approved, four eyes (not its creator: 403 SAME_PERSON); the year's rules lock. */
export const handler = httpHandler('approveEvaluation', approveEvaluation, async ({ params, principal, deps }) => {
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden(msg('FORBIDDEN.rootOnly', { what: 'evaluationsApproved' }));
  const e = await deps.evaluations.get(params.id, true);
  if (!e) throw notFound('evaluation', params.id);
  if (e.createdBy === principal.sub) throw forbidden(msg('SAME_PERSON.evaluation'), 'SAME_PERSON');
  const invalid = (status: string) =>
    conflict('INVALID_STATE', msg('INVALID_STATE.evaluationApprove', { status }), { evaluationStatus: status });
  if (e.status !== 'draft') throw invalid(e.status);
  const at = deps.clock.now().toISOString();
  try {
    await deps.evaluations.approve(e, principal.sub, at);
  } catch (err) {
    if (err instanceof EvaluationStateChanged) {
      const now = await deps.evaluations.get(params.id, true);
      if (!now) throw notFound('evaluation', params.id);
      throw invalid(now.status);
    }
    throw err;
  }
  return {
    status: 200,
    body: await evaluationView(deps, { ...e, status: 'approved', approvedBy: principal.sub, approvedAt: at }, principal.orgId),
  };
});
