import { languageOfHeaders, msg } from '../../shared/messages/catalogue';
import { withNotes } from '../../shared/report/notes';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getReport } from '../../shared/http/routes/reports';
import { notFound, unprocessable } from '../../shared/http/problem';
import { presignDownload } from '../../shared/objects/presign';
import { reportCut } from '../../shared/report/cut';
import { CONTENT_TYPES } from '../../shared/report/generate';
import { s3Of } from '../../shared/objects/client';

/**
 * A Lambda answer carries at most 6 MB; the whole tree of 5,000 units is
 * ≈ 2.9 MB per plan. Past this, the answer is 422 with the links (the files
 * hold the same), and ?planId= narrows it. Mutable for tests only.
 */
export const limits = { maxAnswerBytes: 5_500_000 };
const LINK_SECONDS = 300;

/**
 * A date's report cut to an org's subtree (default the caller's org), with
 * presigned links to files holding that subtree only (SPEC §5). Order of
 * checks as everywhere: the org exists (404) and is in scope (403), then the
 * report exists (404). An org created after the report ran is in scope but
 * not in the report: its plans come back with no nodes.
 */
export const handler = httpHandler('getReport', getReport, async ({ params, query, principal, deps, event }) => {
  const org = await orgInScope(deps, principal, query.orgId ?? principal.orgId);
  const index = await deps.reports.getIndex(params.date);
  if (!index) throw notFound(msg('NOT_FOUND.report', { date: params.date }));
  const cut = await reportCut(deps, index, org.id);
  const files = cut.files;
  // The notes in the reader's language (a report stored before they were catalogued had English ones).
  const report = withNotes(cut.report, languageOfHeaders(event.headers));
  const link = (file: 'json' | 'csv' | 'html') =>
    presignDownload(s3Of(deps), deps.config.bucketName, files[file], {
      expiresSeconds: LINK_SECONDS,
      fileName: `huzhu-report-${report.date}-${org.id}.${file}`,
      contentType: CONTENT_TYPES[file],
      // The page is meant to be opened (on a phone too); the data files to be saved.
      disposition: file === 'html' ? 'inline' : 'attachment',
    });
  const [json, csv, html] = await Promise.all([link('json'), link('csv'), link('html')]);
  const links = { json, csv, html };
  const { date, generatedAt, asOf, asOfNote } = report;
  const plans = query.planId ? report.plans.filter((p) => p.planId === query.planId) : report.plans;
  const body = { date, generatedAt, asOf, asOfNote, orgId: org.id, plans, ...(report.rewards ? { rewards: report.rewards } : {}), links };
  const bytes = Buffer.byteLength(JSON.stringify(body));
  if (bytes > limits.maxAnswerBytes) {
    throw unprocessable('REPORT_TOO_LARGE', msg('REPORT_TOO_LARGE', { mb: (bytes / 1e6).toFixed(1) }), {
      links,
      planIds: report.plans.map((p) => p.planId),
    });
  }
  return { status: 200, body };
});
