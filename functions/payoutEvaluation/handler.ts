import { msg } from '../../shared/messages/catalogue';
import { shanghaiToday } from '../../shared/domain/dates';
import { evaluationView } from '../../shared/evaluation/evaluate';
import { httpHandler } from '../../shared/http/handler';
import { conflict, forbidden, notFound, unprocessable } from '../../shared/http/problem';
import { payoutEvaluation } from '../../shared/http/routes/evaluations';
import { EvaluationStateChanged } from '../../shared/store/evaluations';

/** SPEC §4.5: approved → paid (兑现), only from approved (else 409 INVALID_STATE). */
export const handler = httpHandler('payoutEvaluation', payoutEvaluation, async ({ params, body, principal, deps }) => {
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden(msg('FORBIDDEN.rootOnly', { what: 'rewards' }));
  const e = await deps.evaluations.get(params.id, true);
  if (!e) throw notFound('evaluation', params.id);
  const invalid = (status: string) =>
    conflict('INVALID_STATE', msg('INVALID_STATE.evaluationPayout', { status }), { evaluationStatus: status });
  if (e.status !== 'approved') throw invalid(e.status);
  const now = deps.clock.now();
  if (body.paidDate > shanghaiToday(now)) throw unprocessable('PAID_DATE_IN_FUTURE', msg('PAID_DATE_IN_FUTURE'));
  if (body.paidDate < e.date) throw unprocessable('PAID_DATE_TOO_EARLY', msg('PAID_DATE_TOO_EARLY', { date: e.date }));
  const at = now.toISOString();
  const payout = { paidDate: body.paidDate, reference: body.reference, by: principal.sub, at };
  try {
    await deps.evaluations.payout(e, payout);
  } catch (err) {
    if (err instanceof EvaluationStateChanged) {
      const again = await deps.evaluations.get(params.id, true);
      if (!again) throw notFound('evaluation', params.id);
      throw invalid(again.status);
    }
    throw err;
  }
  const paid = { ...e, status: 'paid' as const, paidDate: body.paidDate, reference: body.reference, paidBy: principal.sub, paidAt: at };
  return { status: 200, body: await evaluationView(deps, paid, principal.orgId) };
});
