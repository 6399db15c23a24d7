import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { MAGIC_BYTES_NEEDED, type ObservedObject } from '../domain/documents';
import { s3Of } from '../objects/client';
import { copyIfUnchanged, inspectObject, ObjectChanged } from '../objects/inspect';
import { objectKeys } from '../objects/keys';
import { presignDownload } from '../objects/presign';
import type { ClaimDocument, ClaimRecord } from '../store/claimRecord';
import { StaleRecord } from '../store/errors';
import { type DocumentState, documentFileName } from './views';

/**
 * Receipts in S3 (SPEC §4.4 "Documents"). Until submit a document is an
 * upload at `claims/<claimId>/<documentId>`, which its presigned form may
 * overwrite for up to 15 minutes. Submit checks each upload in one read and
 * copies exactly the checked version to `evidence/…/<etag>` (freezeDocuments);
 * from then on the claim names that copy and every download is of it, so a
 * later upload with a still-valid form changes nothing a reviewer sees.
 */

/** The document's frozen copy, once submit has made one. */
const evidenceKey = (c: ClaimRecord, d: ClaimDocument): string | undefined =>
  d.evidence ? objectKeys.claimEvidence(c.claimId, d.documentId, d.evidence.etag) : undefined;

/**
 * What really arrived in S3 for each document not yet frozen: one version
 * each (inspectObject: size, type, ETag, first bytes). Frozen documents
 * are not looked at: the claim records what they are. S3 answers 403 rather
 * than 404 for a missing key when the caller may not list the bucket (least
 * privilege grants GetObject on claims/ only), so 403 reads as "not there";
 * a real permission fault then shows as every document missing, never as a
 * wrong acceptance. Other S3 failures propagate (→ 503).
 */
export const observeDocuments = async (deps: Deps, c: ClaimRecord): Promise<Map<string, ObservedObject>> => {
  const open = c.documents.filter((d) => !d.evidence);
  if (open.length === 0) return new Map();
  const limit = pLimit(8);
  const seen = await Promise.all(
    open.map((d) =>
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
          // Re-uploaded again and again while being read: judge the submission afresh (bounded by rerunOnStale).
          if (e instanceof ObjectChanged) throw new StaleRecord('document', d.documentId, { cause: e });
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
 * Freezes every document submit has just judged valid and not yet frozen:
 * copies the checked version (CopySourceIfMatch its ETag) to its evidence key
 * and answers the documents with `evidence` set, for the submit write to
 * store. Already frozen documents (a claim returned and submitted again) stay
 * as they are. An upload replaced between check and copy is StaleRecord: the
 * submission is judged again from a fresh read. A copy whose claim write then
 * fails is harmless: its key holds the same bytes a retry would write.
 */
export const freezeDocuments = async (deps: Deps, c: ClaimRecord, observed: ReadonlyMap<string, ObservedObject>, at: string) => {
  const limit = pLimit(8);
  return Promise.all(
    c.documents.map((d) =>
      limit(async (): Promise<ClaimDocument> => {
        if (d.evidence) return d;
        const seen = observed.get(d.documentId);
        if (!seen?.exists || !seen.etag || seen.sizeBytes === undefined)
          throw new Error(`document ${d.documentId} was judged without being read`);
        const evidence = { etag: seen.etag.replace(/^"|"$/g, ''), sizeBytes: seen.sizeBytes, frozenAt: at };
        try {
          await copyIfUnchanged(
            s3Of(deps),
            deps.config.bucketName,
            objectKeys.claimDocument(c.claimId, d.documentId),
            objectKeys.claimEvidence(c.claimId, d.documentId, evidence.etag),
            seen.etag,
          );
        } catch (e) {
          if (e instanceof ObjectChanged) throw new StaleRecord('document', d.documentId, { cause: e });
          throw e;
        }
        return { ...d, evidence };
      }),
    ),
  );
};

/**
 * `uploaded` for each document, and a presigned GET (≤ 5 minutes) for those
 * that are: of the frozen copy once there is one, else of the upload. The
 * answer is named after the document's kind and id (never the client's file
 * name) and carries the declared content type, so an upload that lied
 * cannot render as a page.
 */
export const documentStates = async (
  deps: Deps,
  c: ClaimRecord,
  observed: ReadonlyMap<string, ObservedObject>,
): Promise<Map<string, DocumentState>> => {
  const states = await Promise.all(
    c.documents.map(async (d): Promise<[string, DocumentState]> => {
      const key = evidenceKey(c, d) ?? (observed.get(d.documentId)?.exists ? objectKeys.claimDocument(c.claimId, d.documentId) : undefined);
      if (!key) return [d.documentId, { uploaded: false }];
      const downloadUrl = await presignDownload(s3Of(deps), deps.config.bucketName, key, {
        fileName: documentFileName(d),
        contentType: d.contentType,
      });
      return [d.documentId, { uploaded: true, downloadUrl }];
    }),
  );
  return new Map(states);
};
