import { languageOfHeaders, msg, render } from '../../shared/messages/catalogue';
import { todayIn } from '../../shared/clock';
import { type FundingPerShare, subsidyProblem } from '../../shared/domain/enrolment';
import type { AnyRow, RosterRow } from '../../shared/domain/roster';
import { enrolRows, RosterPartlyEnrolled } from '../../shared/enrol/pipeline';
import { backdatedEnrolment, enrolmentOpenOn, unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { MultipartError, parseMultipart } from '../../shared/http/multipart';
import { secretsManager } from '../../shared/secretsManager';
import { enrolMembers } from '../../shared/http/routes/enrolment';
import { HttpProblem, notFound, unprocessable, validationFailed } from '../../shared/http/problem';
import { isOleFile } from '../../shared/roster/formats';
import { type RosterFormat, readRosterBuffer, RosterFileError, rosterFormatOf } from '../../shared/roster/read';

/** Rows per request (SPEC §4.3); larger rosters go through /units/{unitId}/roster-imports. */
const MAX_ROWS = 5000;

const xlsRefused = () => new HttpProblem(415, 'XLS_NOT_SUPPORTED', msg('XLS_NOT_SUPPORTED'));

/** A roster file (CSV in UTF-8 or GBK, or an Excel workbook) → its rows; whole-file faults are a 400 that never quotes a cell. */
const readFile = async (bytes: Buffer, format: RosterFormat): Promise<AnyRow[]> => {
  // An .xls workbook sent as an .xlsx (or a password-protected one): the same hint as for its own media type.
  if (isOleFile(bytes)) throw xlsRefused();
  try {
    return await readRosterBuffer(bytes, format, { maxRows: MAX_ROWS });
  } catch (e) {
    if (e instanceof RosterFileError) throw validationFailed([{ path: 'body', message: e.detail }], msg('VALIDATION_FAILED.roster'));
    throw e;
  }
};

/**
 * `multipart/form-data` (a browser form, `curl -F file=@roster.xlsx`): exactly one file part, read like the raw
 * body. Its format is what its bytes say (a ZIP is a workbook, an OLE file an old .xls: 415), then its name
 * (.xls: 415), else CSV: Windows labels .csv files `application/vnd.ms-excel`, so the part's type is not trusted.
 * Other form fields are refused: the plan and co-funding go in the query, never silently ignored.
 */
const fileOfForm = (body: Buffer, contentType: string): { bytes: Buffer; format: RosterFormat } => {
  let parts: ReturnType<typeof parseMultipart>;
  try {
    parts = parseMultipart(body, contentType);
  } catch (e) {
    if (e instanceof MultipartError)
      throw validationFailed([{ path: 'body', message: msg('FIELD.formUnreadable') }], msg('VALIDATION_FAILED.form'));
    throw e;
  }
  const files = parts.filter((p) => p.filename !== undefined);
  const fields = parts.filter((p) => p.filename === undefined);
  if (files.length !== 1 || fields.length > 0) {
    throw validationFailed([
      {
        path: 'body',
        message: msg('FIELD.formParts', { files: files.length, fields: fields.length }),
      },
    ]);
  }
  const file = files[0]!;
  if (isOleFile(file.data) || /\.xls$/i.test(file.filename ?? '')) throw xlsRefused();
  const zip = file.data[0] === 0x50 && file.data[1] === 0x4b;
  return { bytes: file.data, format: zip ? 'xlsx' : (rosterFormatOf(file.contentType ?? '') ?? 'csv') };
};

export const handler = httpHandler(
  'enrolMembers',
  enrolMembers,
  async ({ params, query, body, rawBody, mediaType, contentType, principal, deps, idempotency, event }) => {
    const file = rawBody !== undefined;
    const planId = file ? query.planId : body.planId;
    if (!planId) throw validationFailed([{ path: 'query.planId', message: msg('FIELD.planIdForFile') }]);
    if (!file && query.enrolledDate !== undefined) {
      throw validationFailed([{ path: 'query.enrolledDate', message: msg('FIELD.enrolledDateInBody') }]);
    }
    let rows: AnyRow[];
    if (!file) {
      rows = body.members.map((m, i): RosterRow => ({ row: i + 1, idNumber: m.idNumber, name: m.name, shares: m.shares, phone: m.phone }));
    } else if (mediaType === 'multipart/form-data') {
      const form = fileOfForm(rawBody, contentType ?? '');
      rows = await readFile(form.bytes, form.format);
    } else {
      rows = await readFile(rawBody, rosterFormatOf(mediaType ?? '') ?? 'csv');
    }
    if (rows.length === 0) throw validationFailed([{ path: 'body', message: msg('FIELD.noDataRows') }]);

    const plan = await deps.plans.get(planId);
    if (!plan) throw notFound('plan', planId);
    const unit = await unitInScope(deps, principal, params.unitId, 'enrol');
    const now = deps.clock.now();
    const today = todayIn(deps.clock);
    enrolmentOpenOn(plan, today);
    // Backdating (SPEC §4.3): paper enrolments made earlier in the period, recorded by office or federation staff.
    const enrolledDate = backdatedEnrolment(principal, file ? query.enrolledDate : body.enrolledDate, plan, today);

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
      const { enrolments, rejected, skippedRows } = await enrolRows(
        { deps, plan, unit, principal, today, enrolledDate, now, funding, ...(source ? { source } : {}) },
        rows,
      );
      // Row messages in the reader's language (SPEC §3).
      const lang = languageOfHeaders(event.headers);
      const shown = rejected.map((r) => ({ ...r, message: render(r.message, lang) }));
      return {
        status: 200,
        body: { planId: plan.id, unitId: unit.id, accepted: enrolments.length, skippedRows, enrolments, rejected: shown },
      };
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
