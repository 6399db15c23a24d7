// A namespace import, not `import { z }`: esbuild then bundles only what is used (not every locale: ~360 KB and ~17 ms of cold start).
import * as z from 'zod';
import { MAX_ROSTER_FILE_BYTES, ROSTER_CONTENT_TYPES } from '../../roster/formats';
import { clientId, serverId, text } from './common';

/**
 * SPEC §4.3 "Large rosters". `funding` (co-funding) comes with its own issue;
 * until then the strict schema refuses it (400) rather than ignore money.
 */
export const CreateRosterImportBody = z
  .strictObject({
    planId: clientId(),
    fileName: text(255).describe('as the clerk named it; shown back, never part of a key, log or link'),
    contentType: z.enum([ROSTER_CONTENT_TYPES.csv, ROSTER_CONTENT_TYPES.xlsx]),
    sizeBytes: z
      .number()
      .int()
      .min(1)
      .max(MAX_ROSTER_FILE_BYTES)
      .describe('the exact size of the file to upload: the upload may not be larger (≤ 20 MiB)'),
  })
  .meta({ id: 'CreateRosterImport' });

export const RosterImportParams = z.strictObject({ importId: serverId() });

export const RosterImportUpload = z
  .object({
    importId: z.string(),
    upload: z.object({
      method: z.literal('POST'),
      url: z.string(),
      fields: z.record(z.string(), z.string()).describe('send every field before the file'),
      expiresAt: z.string(),
    }),
  })
  .meta({
    id: 'RosterImportUpload',
    description: 'A presigned S3 POST (≤ 15 minutes) pinning key, content type and size; the upload starts the import',
  });

export const RosterImport = z
  .object({
    importId: z.string(),
    unitId: z.string(),
    planId: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number().int(),
    status: z.enum(['awaiting_upload', 'processing', 'done', 'failed']),
    rows: z.number().int().describe('data rows in the file (0 until the file has been read through)'),
    accepted: z.number().int(),
    rejected: z.number().int(),
    progressPermille: z.number().int().min(0).max(1000),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    error: z
      .object({ code: z.string(), message: z.string() })
      .optional()
      .describe('failed only: why (the file, never a row: rows are judged one by one)'),
    results: z
      .string()
      .optional()
      .describe('done only: a presigned link (≤ 5 minutes) to a CSV of every row: row, masked ID, enrolmentId or code and message'),
  })
  .meta({ id: 'RosterImport' });
