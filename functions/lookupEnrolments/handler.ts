import { msg } from '../../shared/messages/catalogue';
import { todayIn } from '../../shared/clock';
import type { Deps } from '../../shared/deps';
import { parseResidentId } from '../../shared/domain/idNumber';
import { inScope } from '../../shared/domain/scope';
import { httpHandler } from '../../shared/http/handler';
import { forbidden, notFound, validationFailed } from '../../shared/http/problem';
import { lookupEnrolments } from '../../shared/http/routes/enrolment';
import { piiOf } from '../../shared/pii/fromConfig';
import { secretsManager } from '../../shared/secretsManager';
import type { Plan } from '../../shared/domain/plan';
import type { EnrolmentRecord } from '../../shared/store/enrolments';

/** Plans read per page while collecting every plan (there are a few a year). */
const PLAN_PAGE = 500;

const allPlans = async (deps: Deps): Promise<Plan[]> => {
  const out: Plan[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.plans.list(PLAN_PAGE, cursor);
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
};

/**
 * A member found by ID number (SPEC §4.3), which travels in the body, never in a URL or a log. Enrolment ids
 * are keyed hashes of (person, plan), so the person's enrolment in each plan is one key: no index of people
 * exists or is needed. Scope per §3: nobody enrolled → 404; enrolled only outside the caller's scope → 403;
 * else the enrolments in scope, masked (no name: the caller knows whom they asked about).
 */
export const handler = httpHandler(
  'lookupEnrolments',
  lookupEnrolments,
  async ({ body, principal, deps }) => {
    const id = parseResidentId(body.idNumber, todayIn(deps.clock));
    // The reason names the rule broken, never the number.
    if (!id.ok) throw validationFailed([{ path: 'body.idNumber', message: id.message }]);
    let plans: Plan[];
    if (body.planId) {
      const plan = await deps.plans.get(body.planId);
      if (!plan) throw notFound('plan', body.planId);
      plans = [plan];
    } else {
      plans = await allPlans(deps);
    }
    const vault = piiOf(deps);
    const ids = await Promise.all(plans.map((p) => vault.enrolmentId(id.value.idNumber, p.id)));
    const found = (await Promise.all(ids.map((e) => deps.enrolments.get(e)))).filter((e): e is EnrolmentRecord => e !== undefined);
    if (found.length === 0) throw notFound(msg('NOT_FOUND.person'));
    const units = new Map(
      (await Promise.all([...new Set(found.map((e) => e.unitId))].map((u) => deps.orgs.get(u)))).flatMap((o) => (o ? [[o.id, o]] : [])),
    );
    const visible = found.filter((e) => {
      const unit = units.get(e.unitId);
      return unit !== undefined && inScope(principal, unit);
    });
    if (visible.length === 0) throw forbidden(msg('FORBIDDEN.personOutside'));
    const planOf = new Map(plans.map((p) => [p.id, p]));
    const items = visible
      .map((e) => ({
        enrolmentId: e.enrolmentId,
        planId: e.planId,
        planName: planOf.get(e.planId)?.name ?? e.planId,
        unitId: e.unitId,
        unitName: units.get(e.unitId)?.name ?? e.unitId,
        idNumberMasked: e.idNumberMasked,
        status: e.status,
        enrolledDate: e.enrolledDate,
        benefitStartDate: e.benefitStartDate,
        capFen: e.capFen,
        usedFen: e.usedFen,
        remainingFen: Math.max(0, e.capFen - e.usedFen),
        coverageStart: planOf.get(e.planId)?.coverageStart ?? '',
      }))
      .sort((a, b) => a.coverageStart.localeCompare(b.coverageStart) || a.planId.localeCompare(b.planId))
      .map(({ coverageStart: _, ...item }) => item);
    return { status: 200, body: { items } };
  },
  { secrets: secretsManager },
);
