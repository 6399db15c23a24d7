import { httpHandler } from '../../shared/http/handler';
import { conflict, forbidden, validationFailed } from '../../shared/http/problem';
import { putEvaluationRules } from '../../shared/http/routes/evaluations';
import { type RulesRecord, RulesLocked } from '../../shared/store/evaluations';

/** SPEC §4.5: a year's rules, replaced while no evaluation of the year is approved (then 409 RULES_LOCKED). */
export const handler = httpHandler('putEvaluationRules', putEvaluationRules, async ({ params, body, principal, deps }) => {
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden('Evaluation rules are set by the federation (the root org).');
  const outside = body.checkpoints.flatMap((c, i) =>
    c.date.startsWith(`${params.year}-`) ? [] : [{ path: `body.checkpoints.${i}.date`, message: `must be a date in ${params.year}` }],
  );
  if (outside.length > 0) throw validationFailed(outside);
  const rules: RulesRecord = { year: params.year, ...body, updatedAt: deps.clock.now().toISOString(), updatedBy: principal.sub };
  try {
    await deps.evaluations.putRules(rules);
  } catch (e) {
    if (e instanceof RulesLocked) {
      throw conflict('RULES_LOCKED', `An evaluation of ${params.year} has been approved: its rules can no longer change.`);
    }
    throw e;
  }
  return { status: 200, body: { ...rules, locked: false } };
});
