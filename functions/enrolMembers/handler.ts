import { todayIn } from '../../shared/clock';
import { isEnrolmentOpen } from '../../shared/domain/plan';
import { judgeRoster, type Rejection, type RosterRow } from '../../shared/domain/roster';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { notFound, unprocessable, validationFailed } from '../../shared/http/problem';
import { parseRosterCsv } from '../../shared/http/rosterCsv';
import { newEnrolmentRecord } from '../../shared/store/enrolments';

export const handler = httpHandler('enrolMembers', async ({ params, query, body, rawBody, principal, deps }) => {
  const csv = rawBody !== undefined;
  const planId = csv ? query.planId : body.planId;
  if (!planId) throw validationFailed([{ path: 'query.planId', message: 'is required for a text/csv roster' }]);
  const rows: RosterRow[] = csv
    ? parseRosterCsv(rawBody)
    : body.members.map((m, i) => ({ row: i + 1, idNumber: m.idNumber, name: m.name, shares: m.shares, phone: m.phone }));

  const plan = await deps.plans.get(planId);
  if (!plan) throw notFound(`Plan ${planId}`);
  const unit = await orgInScope(deps, principal, params.unitId);
  if (unit.kind !== 'unit') throw unprocessable('NOT_A_UNIT', `Org ${unit.id} is a ${unit.kind}; members enrol in units.`);
  const now = deps.clock.now();
  const today = todayIn(deps.clock);
  if (!isEnrolmentOpen(plan, today)) {
    throw unprocessable('ENROLMENT_CLOSED', `Enrolment in ${plan.id} is open from ${plan.enrolmentOpen} to ${plan.enrolmentClose}.`);
  }

  const { candidates, rejected } = judgeRoster(plan, rows, today);
  const personKeys = await Promise.all(candidates.map((c) => deps.pii.personKey(c.person.idNumber)));
  const ids = await Promise.all(candidates.map((c) => deps.pii.enrolmentId(c.person.idNumber, plan.id)));
  // Renewal: the same person's enrolment in the predecessor plan exists.
  const pred = plan.predecessorPlanId;
  const predIds = pred ? await Promise.all(candidates.map((c) => deps.pii.enrolmentId(c.person.idNumber, pred))) : [];
  const renewing = pred ? await deps.enrolments.existing(predIds) : new Set<string>();

  const rowOf = new Map<string, number>();
  const records = await Promise.all(
    candidates.map(async (candidate, i) => {
      rowOf.set(ids[i]!, candidate.row);
      return newEnrolmentRecord({
        plan,
        unitId: unit.id,
        candidate,
        enrolmentId: ids[i]!,
        personKey: personKeys[i]!,
        pii: await deps.pii.seal({ idNumber: candidate.person.idNumber, name: candidate.name, phone: candidate.phone }),
        renewal: renewing.has(predIds[i] ?? ''),
        today,
        at: now.toISOString(),
        by: principal.sub,
      });
    }),
  );

  const { written, taken } = await deps.enrolments.enrolMany(records);
  const alreadyEnrolled: Rejection[] = taken.map((e) => ({
    row: rowOf.get(e.enrolmentId)!,
    idNumberMasked: e.idNumberMasked,
    code: 'ALREADY_ENROLLED',
    message: 'this person is already enrolled in this plan',
  }));
  const enrolments = written.map((e) => ({ row: rowOf.get(e.enrolmentId)!, enrolmentId: e.enrolmentId })).sort((a, b) => a.row - b.row);
  return {
    status: 200,
    body: {
      planId: plan.id,
      unitId: unit.id,
      accepted: enrolments.length,
      enrolments,
      rejected: [...rejected, ...alreadyEnrolled].sort((a, b) => a.row - b.row),
    },
  };
});
