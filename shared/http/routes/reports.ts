import type { RouteDef } from '../route';
import { ReportParams, ReportQuery, ReportsQuery } from '../schemas/reports';

export const listReports = {
  method: 'GET',
  path: '/reports',
  auth: true,
  tag: 'reports',
  summary: 'Dates with a stored nightly report, newest first',
  query: ReportsQuery,
  responses: { 200: { description: 'a page of report dates', schema: 'ReportList' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', cursors: true },
} satisfies RouteDef;

export const getReport = {
  method: 'GET',
  path: '/reports/{date}',
  auth: true,
  tag: 'reports',
  summary: "A date's report cut to an org's subtree, with presigned links to files holding that subtree only",
  params: ReportParams,
  query: ReportQuery,
  responses: { 200: { description: 'the report of the subtree', schema: 'Report' } },
  // 422 REPORT_TOO_LARGE: more than a Lambda answer carries (whole tree, many plans); the problem still has the links.
  problems: [400, 401, 403, 404, 422],
  // Writes a cut's files (reports/<date>/<org>/) and its marker item on first request.
  permissions: { table: 'readwrite', bucket: { read: ['reports/'], write: ['reports/'] } },
  memoryMb: 1024,
} satisfies RouteDef;
