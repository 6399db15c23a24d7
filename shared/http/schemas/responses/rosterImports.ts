import * as z from '../zod';
import { described, int, intIn, optional, presignedPost } from './common';

export const RosterImportUpload = z.object({ importId: z.string(), upload: presignedPost() }).check(
  z.meta({
    id: 'RosterImportUpload',
    description: 'A presigned S3 POST (≤ 15 minutes) pinning key, content type and size; the upload starts the import',
  }),
);

export const RosterImport = z
  .object({
    importId: z.string(),
    unitId: z.string(),
    planId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: int(),
    status: z.enum(['awaiting_upload', 'processing', 'done', 'failed']),
    rows: described(int(), 'data rows in the file (0 until the file has been read through)'),
    accepted: int(),
    rejected: int(),
    skippedRows: described(int(), 'totals rows (合计/小计/总计 and no ID number) skipped, not judged'),
    enrolledDate: optional(z.string(), 'a backdated import: the enrolledDate of every row (office or federation staff)'),
    progressPermille: intIn(0, 1000),
    createdAt: z.string(),
    startedAt: z.optional(z.string()),
    finishedAt: z.optional(z.string()),
    error: optional(
      z.object({ code: z.string(), message: z.string() }),
      'failed only: why (the file, never a row: rows are judged one by one)',
    ),
    results: optional(
      z.string(),
      'done only: a presigned link (≤ 5 minutes) to a CSV of every row: row, masked ID, enrolmentId or code and message',
    ),
  })
  .check(z.meta({ id: 'RosterImport' }));
