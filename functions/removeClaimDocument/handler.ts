import { msg } from '../../shared/messages/catalogue';
import { newId } from '../../shared/ids';
import { documentEvent, requireEditable } from '../../shared/claims/events';
import { claimInScope, claimMember, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { removeClaimDocument } from '../../shared/http/routes/claims';
import { notFound } from '../../shared/http/problem';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * Drops a declared document (an upload that failed, expired or was wrong):
 * submit requires every declared document to be valid, so this is how a
 * filer recovers. The upload, if any, is left to the bucket's lifecycle; a
 * document frozen by an earlier submit keeps its evidence object (never
 * deleted), named by the history event.
 */
export const handler = httpHandler('removeClaimDocument', removeClaimDocument, async ({ params, principal, deps }) => {
  const token = newId();
  const next = await rerunOnStale('document removal', async () => {
    const c = await claimInScope(deps, principal, params.id, true);
    // This removal landed already (an attempt whose answer was lost, then judged stale): it is done.
    if (c.writeToken === token) return c;
    const doc = c.documents.find((d) => d.documentId === params.documentId);
    if (!doc) throw notFound(msg('NOT_FOUND.document', { documentId: params.documentId, claimId: c.claimId }));
    requireEditable(c);
    const at = deps.clock.now().toISOString();
    return deps.claims.removeDocument(c, doc.documentId, at, documentEvent(principal, c, 'document_removed', doc, at), token);
  });
  return { status: 200, body: claimView(next, await claimMember(deps, next)) };
});
