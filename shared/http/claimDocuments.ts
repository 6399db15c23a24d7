import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { MAGIC_BYTES_NEEDED, type ObservedObject } from '../domain/documents';
import { inspectObject } from '../objects/inspect';
import { objectKeys } from '../objects/keys';
import { presignDownload } from '../objects/presign';
import type { ClaimRecord } from '../store/claimRecord';
import { type DocumentState, documentFileName } from './claimView';
import { s3Of } from '../objects/client';

/**
 * What really arrived in S3 for each declared document: HEAD (exists, size,
 * type) and a ranged GET of the first bytes (magic numbers). S3 answers 403
 * rather than 404 for a missing key when the caller may not list the bucket
 * (least privilege grants GetObject on claims/ only), so 403 reads as "not
 * there"; a real permission fault then shows as every document missing,
 * never as a wrong acceptance. Other S3 failures propagate (→ 503).
 */
export const observeDocuments = async (deps: Deps, c: ClaimRecord): Promise<Map<string, ObservedObject>> => {
  if (c.documents.length === 0) return new Map();
  const limit = pLimit(8);
  const seen = await Promise.all(
    c.documents.map((d) =>
      limit(async (): Promise<[string, ObservedObject]> => {
        try {
          const info = await inspectObject(
            s3Of(deps),
            deps.config.bucketName,
            objectKeys.claimDocument(c.claimId, d.documentId),
            MAGIC_BYTES_NEEDED,
          );
          return [d.documentId, info];
        } catch (e) {
          if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403)
            return [d.documentId, { exists: false }];
          throw e;
        }
      }),
    ),
  );
  return new Map(seen);
};

/**
 * `uploaded` for each document, and a presigned GET (≤ 5 minutes) for those
 * that are. The declared content type is forced on the answer, so an upload
 * that lied cannot render as a page.
 */
export const documentStates = async (
  deps: Deps,
  c: ClaimRecord,
  observed: ReadonlyMap<string, ObservedObject>,
): Promise<Map<string, DocumentState>> => {
  const states = await Promise.all(
    c.documents.map(async (d): Promise<[string, DocumentState]> => {
      if (!observed.get(d.documentId)?.exists) return [d.documentId, { uploaded: false }];
      const downloadUrl = await presignDownload(s3Of(deps), deps.config.bucketName, objectKeys.claimDocument(c.claimId, d.documentId), {
        fileName: documentFileName(d),
        contentType: d.contentType,
      });
      return [d.documentId, { uploaded: true, downloadUrl }];
    }),
  );
  return new Map(states);
};
