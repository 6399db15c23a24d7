import { targetSetter } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { putTarget } from '../../shared/http/routes/orgs';
import type { TargetRecord } from '../../shared/store/targets';

export const handler = httpHandler('putTarget', putTarget, async ({ params, body, principal, deps }) => {
  await targetSetter(deps, principal, params.id);
  const target: TargetRecord = {
    orgId: params.id,
    year: params.year,
    enrolmentTarget: body.enrolmentTarget,
    contributionTargetFen: body.contributionTargetFen ?? null,
    setBy: principal.sub,
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.targets.put(target);
  return { status: 200, body: target };
});
