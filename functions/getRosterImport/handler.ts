import { languageOfHeaders, render } from '../../shared/messages/catalogue';
import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { getRosterImport } from '../../shared/http/routes/rosterImports';
import { notFound } from '../../shared/http/problem';
import { objectKeys } from '../../shared/objects/keys';
import { presignDownload } from '../../shared/objects/presign';
import { s3Of } from '../../shared/objects/client';

/**
 * An import as its unit's users see it (scope = the unit's). When done, a
 * presigned link (≤ 5 minutes) to the per-row results, under a fixed file
 * name: the clerk's file name may hold a person's name, so it stays out of URLs.
 */
export const handler = httpHandler('getRosterImport', getRosterImport, async ({ params, principal, deps, event }) => {
  const r = await deps.rosterImports.get(params.importId, true);
  if (!r) throw notFound('rosterImport', params.importId);
  await orgInScope(deps, principal, r.unitId);
  const results =
    r.status === 'done'
      ? await presignDownload(s3Of(deps), deps.config.bucketName, objectKeys.rosterImportResults(r.importId), {
          fileName: `roster-import-${r.importId}-results.csv`,
          contentType: 'text/csv; charset=utf-8',
        })
      : undefined;
  return {
    status: 200,
    body: {
      importId: r.importId,
      unitId: r.unitId,
      planId: r.planId,
      fileName: r.fileName,
      contentType: r.contentType,
      sizeBytes: r.sizeBytes,
      status: r.status,
      rows: r.rows,
      accepted: r.accepted,
      rejected: r.rejected,
      skippedRows: r.skippedRows ?? 0,
      ...(r.enrolledDate ? { enrolledDate: r.enrolledDate } : {}),
      progressPermille: r.progressPermille,
      createdAt: r.createdAt,
      ...(r.startedAt ? { startedAt: r.startedAt } : {}),
      ...(r.finishedAt ? { finishedAt: r.finishedAt } : {}),
      // The failure's message in the reader's language (SPEC §3); records from before the catalogue keep their text.
      ...(r.error
        ? {
            error: {
              code: r.error.code,
              message: r.error.detail ? render(r.error.detail, languageOfHeaders(event.headers)) : (r.error.message ?? ''),
            },
          }
        : {}),
      ...(results ? { results } : {}),
    },
  };
});
