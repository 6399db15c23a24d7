import { languageOfHeaders, msg, render } from '../../shared/messages/catalogue';
import { todayIn } from '../../shared/clock';
import { type FundingPerShare, subsidyProblem } from '../../shared/domain/enrolment';
import { isEnrolmentOpen } from '../../shared/domain/plan';
import type { MalformedRow, RosterRow } from '../../shared/domain/roster';
import { enrolRows, RosterPartlyEnrolled } from '../../shared/enrol/pipeline';
import { unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { enrolMembers } from '../../shared/http/routes/enrolment';
import { HttpProblem, notFound, unprocessable, validationFailed } from '../../shared/http/problem';
import { readRosterBuffer, RosterFileError, rosterFormatOf } from '../../shared/roster/read';

/** Rows per request (SPEC §4.3); larger rosters go through /units/{unitId}/roster-imports. */
const MAX_ROWS = 5000;

/** A roster file (CSV in UTF-8 or GBK, or an Excel workbook) → its rows; whole-file faults are a 400 that never quotes a cell. */
const readFile = async (bytes: Buffer, mediaType: string | undefined): Promise<(RosterRow | MalformedRow)[]> => {
  try {
    return await readRosterBuffer(bytes, rosterFormatOf(mediaType ?? '') ?? 'csv', { maxRows: MAX_ROWS });
  } catch (e) {
    if (e instanceof RosterFileError) throw validationFailed([{ path: 'body', message: e.detail }], msg('VALIDATION_FAILED.roster'));
    throw e;
  }
};

export const handler = httpHandler(
  'enrolMembers',
  enrolMembers,
  async ({ params, query, body, rawBody, mediaType, principal, deps, idempotency, event }) => {
    const file = rawBody !== undefined;
    const planId = file ? query.planId : body.planId;
    if (!planId) throw validationFailed([{ path: 'query.planId', message: msg('FIELD.planIdForFile') }]);
    const rows = file
      ? await readFile(rawBody, mediaType)
      : body.members.map((m, i): RosterRow => ({ row: i + 1, idNumber: m.idNumber, name: m.name, shares: m.shares, phone: m.phone }));
    if (rows.length === 0) throw validationFailed([{ path: 'body', message: msg('FIELD.noDataRows') }]);

    const plan = await deps.plans.get(planId);
    if (!plan) throw notFound('plan', planId);
    const unit = await unitInScope(deps, principal, params.unitId, 'enrol');
    const now = deps.clock.now();
    const today = todayIn(deps.clock);
    if (!isEnrolmentOpen(plan, today)) {
      throw unprocessable(
        'ENROLMENT_CLOSED',
        msg('ENROLMENT_CLOSED', { planId: plan.id, open: plan.enrolmentOpen, close: plan.enrolmentClose }),
      );
    }

    // Co-funding (SPEC §4.3): beside `members`, or the same two names in the query for a roster file.
    if (!file && (query.administrationPerShareFen !== undefined || query.unionPerShareFen !== undefined)) {
      // Money is never ignored: a JSON roster says its co-funding in the body.
      throw validationFailed([{ path: 'query', message: msg('FIELD.fundingInBody') }]);
    }
    const funding: FundingPerShare | undefined = file
      ? { administrationPerShareFen: query.administrationPerShareFen, unionPerShareFen: query.unionPerShareFen }
      : body.funding;
    const subsidy = subsidyProblem(plan, funding);
    if (subsidy) throw unprocessable('SUBSIDY_TOO_HIGH', subsidy(true));

    try {
      // With an Idempotency-Key, the rows carry the request's marker: a re-run after a death (the record is written
      // after the last chunk) counts the rows it already enrolled as its own, so it answers as the first run would have.
      const source = idempotency?.source;
      const { enrolments, rejected } = await enrolRows(
        { deps, plan, unit, principal, today, now, funding, ...(source ? { source } : {}) },
        rows,
      );
      // Row messages in the reader's language (SPEC §3).
      const lang = languageOfHeaders(event.headers);
      const shown = rejected.map((r) => ({ ...r, message: render(r.message, lang) }));
      return { status: 200, body: { planId: plan.id, unitId: unit.id, accepted: enrolments.length, enrolments, rejected: shown } };
    } catch (e) {
      if (!(e instanceof RosterPartlyEnrolled)) throw e;
      // Nothing more will land: name what did, so the client can reconcile; a retry reports those rows ALREADY_ENROLLED.
      throw new HttpProblem(503, 'SERVICE_UNAVAILABLE', msg('SERVICE_UNAVAILABLE.partlyEnrolled', { count: e.enrolments.length }), {
        headers: { 'retry-after': '1' },
        extra: { enrolments: e.enrolments },
        cause: e,
      });
    }
  },
  { secrets: secretsManager },
);
