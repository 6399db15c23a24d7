import { newId } from '../../shared/ids';
import { requireEditable } from '../../shared/http/claimActions';
import { claimInScope, claimView } from '../../shared/http/claimView';
import { httpHandler } from '../../shared/http/handler';
import { removeClaimDocument } from '../../shared/http/routes/claims';
import { notFound } from '../../shared/http/problem';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * Drops a declared document (an upload that failed, expired or was wrong):
 * submit requires every declared document to be valid, so this is how a
 * filer recovers. The object, if any, is left to the bucket's lifecycle.
 */
export const handler = httpHandler('removeClaimDocument', removeClaimDocument, async ({ params, principal, deps }) => {
  const token = newId();
  const next = await rerunOnStale('document removal', async () => {
    const c = await claimInScope(deps, principal, params.id, true);
    // This removal landed already (an attempt whose answer was lost, then judged stale): it is done.
    if (c.writeToken === token) return c;
    if (!c.documents.some((d) => d.documentId === params.documentId)) throw notFound(`Document ${params.documentId} of claim ${c.claimId}`);
    requireEditable(c);
    return deps.claims.removeDocument(c, params.documentId, deps.clock.now().toISOString(), token);
  });
  return { status: 200, body: claimView(next) };
});
