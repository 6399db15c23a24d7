import { todayIn } from '../../shared/clock';
import { isEnrolmentOpen } from '../../shared/domain/plan';
import { judgeRoster, type MalformedRow, type Rejection, type RosterRow } from '../../shared/domain/roster';
import { inScope } from '../../shared/domain/scope';
import { unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { HttpProblem, notFound, unprocessable, validationFailed } from '../../shared/http/problem';
import { readRosterBuffer, RosterFileError, rosterFormatOf } from '../../shared/roster/read';
import { type EnrolmentRecord, newEnrolmentRecord, PartialEnrolment } from '../../shared/store/enrolments';

/** Rows per request (SPEC §4.3); larger rosters go through /units/{unitId}/roster-imports. */
const MAX_ROWS = 5000;

/** A roster file (CSV in UTF-8 or GBK, or an Excel workbook) → its rows; whole-file faults are a 400 that never quotes a cell. */
const readFile = async (bytes: Buffer, mediaType: string | undefined): Promise<(RosterRow | MalformedRow)[]> => {
  try {
    return await readRosterBuffer(bytes, rosterFormatOf(mediaType ?? '') ?? 'csv', { maxRows: MAX_ROWS });
  } catch (e) {
    if (e instanceof RosterFileError) throw validationFailed([{ path: 'body', message: e.message }], 'The roster file could not be read.');
    throw e;
  }
};

export const handler = httpHandler('enrolMembers', async ({ params, query, body, rawBody, mediaType, principal, deps }) => {
  const file = rawBody !== undefined;
  const planId = file ? query.planId : body.planId;
  if (!planId) throw validationFailed([{ path: 'query.planId', message: 'is required for a roster file' }]);
  const rows = file
    ? await readFile(rawBody, mediaType)
    : body.members.map((m, i): RosterRow => ({ row: i + 1, idNumber: m.idNumber, name: m.name, shares: m.shares, phone: m.phone }));
  if (rows.length === 0) throw validationFailed([{ path: 'body', message: 'the roster has no data rows' }]);

  const plan = await deps.plans.get(planId);
  if (!plan) throw notFound(`Plan ${planId}`);
  const unit = await unitInScope(deps, principal, params.unitId, 'members enrol in units');
  const now = deps.clock.now();
  const today = todayIn(deps.clock);
  if (!isEnrolmentOpen(plan, today)) {
    throw unprocessable('ENROLMENT_CLOSED', `Enrolment in ${plan.id} is open from ${plan.enrolmentOpen} to ${plan.enrolmentClose}.`);
  }

  const { candidates, rejected } = judgeRoster(plan, rows, today);
  const ids = await Promise.all(candidates.map((c) => deps.pii.enrolmentId(c.person.idNumber, plan.id)));
  const personKeys = await Promise.all(candidates.map((c) => deps.pii.personKey(c.person.idNumber)));
  // Renewal: the same person's enrolment in the predecessor plan exists.
  const pred = plan.predecessorPlanId;
  const predIds = pred ? await Promise.all(candidates.map((c) => deps.pii.enrolmentId(c.person.idNumber, pred))) : [];
  const renewing = pred ? await deps.enrolments.unitsOf(predIds) : new Map<string, string>();

  const rowOf = new Map<string, number>();
  const records = await Promise.all(
    candidates.map(async (candidate, i) => {
      const enrolmentId = ids[i]!;
      rowOf.set(enrolmentId, candidate.row);
      return newEnrolmentRecord({
        plan,
        unitId: unit.id,
        candidate,
        enrolmentId,
        personKey: personKeys[i]!,
        pii: await deps.pii.seal({ idNumber: candidate.person.idNumber, name: candidate.name, phone: candidate.phone }, enrolmentId),
        renewal: renewing.has(predIds[i] ?? ''),
        today,
        at: now.toISOString(),
        by: principal.sub,
      });
    }),
  );
  const accepted = (written: EnrolmentRecord[]) =>
    written.map((e) => ({ row: rowOf.get(e.enrolmentId)!, enrolmentId: e.enrolmentId })).sort((a, b) => a.row - b.row);

  let outcome: Awaited<ReturnType<typeof deps.enrolments.enrolMany>>;
  try {
    outcome = await deps.enrolments.enrolMany(unit, records);
  } catch (e) {
    if (!(e instanceof PartialEnrolment)) throw e;
    // Nothing more will land: name what did, so the client can reconcile; a retry reports those rows ALREADY_ENROLLED.
    throw new HttpProblem(
      503,
      'SERVICE_UNAVAILABLE',
      `The data store failed part-way: ${e.committed.written.length} rows were enrolled; retry the roster to finish.`,
      {
        headers: { 'retry-after': '1' },
        extra: { enrolments: accepted(e.committed.written) },
        cause: e,
      },
    );
  }

  // ALREADY_ENROLLED carries the existing enrolment's id when the caller reaches its unit (SPEC §4.3), nothing more otherwise.
  const existingUnits = await deps.enrolments.unitsOf(outcome.taken.map((e) => e.enrolmentId));
  const unitIds = [...new Set(existingUnits.values())];
  const reachable = new Set(
    (await Promise.all(unitIds.map((u) => deps.orgs.get(u)))).flatMap((o) => (o && inScope(principal, o) ? [o.id] : [])),
  );
  const alreadyEnrolled: Rejection[] = outcome.taken.map((e) => {
    const at = existingUnits.get(e.enrolmentId);
    return {
      row: rowOf.get(e.enrolmentId)!,
      idNumberMasked: e.idNumberMasked,
      code: 'ALREADY_ENROLLED',
      message: 'this person is already enrolled in this plan',
      ...(at !== undefined && reachable.has(at) ? { enrolmentId: e.enrolmentId } : {}),
    };
  });
  const enrolments = accepted(outcome.written);
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
