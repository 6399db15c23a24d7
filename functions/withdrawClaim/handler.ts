import { newId } from '../../shared/ids';
import { claimEvent, nextStatus } from '../../shared/claims/events';
import { claimInScope, claimMember, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { withdrawClaim } from '../../shared/http/routes/claims';
import { rerunOnStale } from '../../shared/store/rerun';

/** draft | returned → withdrawn (final). The stay stops blocking a corrected filing in the same transaction. */
export const handler = httpHandler('withdrawClaim', withdrawClaim, async ({ params, principal, deps }) => {
  const token = newId();
  const next = await rerunOnStale('claim withdrawal', async () => {
    const c = await claimInScope(deps, principal, params.id, true);
    if (c.writeToken === token) return c; // our write landed, its answer was lost
    const to = nextStatus(c, 'withdraw');
    const at = deps.clock.now().toISOString();
    return deps.claims.withdraw(c, { to, event: claimEvent(principal, c.status, to, at), updatedAt: at, token });
  });
  return { status: 200, body: claimView(next, await claimMember(deps, next)) };
});
