import { msg } from '../../shared/messages/catalogue';
import { httpHandler } from '../../shared/http/handler';
import { conflict, forbidden, validationFailed } from '../../shared/http/problem';
import { putEvaluationRules } from '../../shared/http/routes/evaluations';
import { type RulesRecord, RulesLocked } from '../../shared/store/evaluations';

/** SPEC §4.5: a year's rules, replaced while no evaluation of the year is approved (then 409 RULES_LOCKED). */
export const handler = httpHandler('putEvaluationRules', putEvaluationRules, async ({ params, body, principal, deps }) => {
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden(msg('FORBIDDEN.rootOnly', { what: 'evaluationRules' }));
  const outside = body.checkpoints.flatMap((c, i) =>
    c.date.startsWith(`${params.year}-`)
      ? []
      : [{ path: `body.checkpoints.${i}.date`, message: msg('FIELD.dateInYear', { year: params.year }) }],
  );
  if (outside.length > 0) throw validationFailed(outside);
  const rules: RulesRecord = { year: params.year, ...body, updatedAt: deps.clock.now().toISOString(), updatedBy: principal.sub };
  try {
    await deps.evaluations.putRules(rules);
  } catch (e) {
    if (e instanceof RulesLocked) {
      throw conflict('RULES_LOCKED', msg('RULES_LOCKED', { year: params.year }));
    }
    throw e;
  }
  return { status: 200, body: { ...rules, locked: false } };
});
