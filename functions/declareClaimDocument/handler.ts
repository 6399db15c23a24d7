import { msg } from '../../shared/messages/catalogue';
import { newId } from '../../shared/ids';
import { documentEvent, requireEditable } from '../../shared/claims/events';
import { claimInScope } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { declareClaimDocument } from '../../shared/http/routes/claims';
import { unprocessable } from '../../shared/http/problem';
import { objectKeys } from '../../shared/objects/keys';
import { presignUpload } from '../../shared/objects/presign';
import type { ClaimDocument } from '../../shared/store/claimRecord';
import { rerunOnStale } from '../../shared/store/rerun';
import { s3Of } from '../../shared/objects/client';

/** Enough for every receipt of one stay; a bound keeps the claim item (and submit's S3 checks) small. */
export const MAX_DOCUMENTS_PER_CLAIM = 20;

/**
 * Declares a receipt and answers a presigned S3 POST (≤ 15 minutes) for it.
 * The policy pins the key (claims/<claimId>/<documentId>: ids only), the
 * content type and a size of 1..sizeBytes (the declared size, itself ≤ 10
 * MiB), so the file goes from the client straight to S3. Submit checks what
 * actually arrived. The client's fileName is validated but not kept (see
 * documentFileName): it often names the member.
 */
export const handler = httpHandler('declareClaimDocument', declareClaimDocument, async ({ params, body, principal, deps, idempotency }) => {
  const documentId = newId();
  const at = deps.clock.now();
  // The answer is whole before the write (the Idempotency-Key's record rides in it): presigning needs no claim, only its id.
  const upload = await presignUpload(s3Of(deps), deps.config.bucketName, {
    key: objectKeys.claimDocument(params.id, documentId),
    contentType: body.contentType,
    maxBytes: body.sizeBytes,
    now: at,
  });
  const reply = { status: 201, body: { documentId, upload }, headers: { location: `/claims/${params.id}/documents/${documentId}` } };
  await rerunOnStale('document declaration', async () => {
    const claim = await claimInScope(deps, principal, params.id, true);
    // This declaration landed already (an attempt whose answer was lost, then judged stale): it is done.
    if (claim.documents.some((d) => d.documentId === documentId)) return claim;
    requireEditable(claim);
    if (claim.documents.length >= MAX_DOCUMENTS_PER_CLAIM) {
      throw unprocessable('TOO_MANY_DOCUMENTS', msg('TOO_MANY_DOCUMENTS', { max: MAX_DOCUMENTS_PER_CLAIM }));
    }
    const doc: ClaimDocument = {
      documentId,
      kind: body.kind,
      contentType: body.contentType,
      sizeBytes: body.sizeBytes,
      declaredAt: at.toISOString(),
      declaredBy: principal.sub,
    };
    const event = documentEvent(principal, claim, 'document_declared', doc, at.toISOString());
    return deps.claims.declareDocument(claim, doc, at.toISOString(), event, withRecord(idempotency, reply));
  });
  return reply;
});
