import type { RouteDef } from '../route';
import { EnrolParams } from '../schemas/enrolments';
import { CreateRosterImportBody, CreateRosterImportQuery, RosterImportParams } from '../schemas/rosterImports';

export const createRosterImport = {
  method: 'POST',
  path: '/units/{unitId}/roster-imports',
  auth: true,
  scope: { org: 'unitId' },
  tag: 'enrolment',
  summary: 'Start a roster import (up to 50,000 rows): a presigned S3 POST for the CSV / Excel file, whose upload starts the work',
  params: EnrolParams,
  query: CreateRosterImportQuery,
  body: CreateRosterImportBody,
  idempotent: true,
  responses: { 201: { description: 'the import and its upload form', schema: 'RosterImportUpload' } },
  problems: [400, 401, 403, 404, 422],
  permissions: { table: 'readwrite', bucket: { write: ['imports/'] } },
} satisfies RouteDef;

export const getRosterImport = {
  method: 'GET',
  path: '/roster-imports/{importId}',
  auth: true,
  tag: 'enrolment',
  summary: "A roster import's status, counts and progress; when done, a presigned link (≤ 5 min) to every row's outcome as CSV",
  params: RosterImportParams,
  responses: { 200: { description: 'the import', schema: 'RosterImport' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read', bucket: { read: ['imports/'] } },
} satisfies RouteDef;
