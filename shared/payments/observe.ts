import type { Deps } from '../deps';
import type { ClaimStatus } from '../domain/claim';
import { batchGetAll, batchKey } from '../store/batch';
import type { ClaimRecord } from '../store/claimRecord';
import { keys } from '../store/keys';
import { asPaid, type PaymentRecord } from '../store/payments';

/**
 * Claims as every reader must see them, so that no answer shows part of a
 * batch as paid (SPEC §4.4). The payment's own `completed` is the commit; the
 * roll-forward reaches the claims afterwards, chunk by chunk. So:
 * - a claim reserved for a COMPLETED payment is shown paid, exactly as the
 *   roll-forward will write it (same event, same fields: asPaid);
 * - a claim reserved for a payment that did not complete is shown as stored:
 *   approved, no paymentId (the reservation is internal);
 * - in a list filtered by status, a claim whose shown status differs is
 *   left out, and in the `paid` list so is every claim of a payment not
 *   settled yet (its batch mates may still sit in the approved partition).
 * Payments are read strongly consistent after the claims, so a payment that
 * completed after the claims were read shows its claims paid as well.
 */
export const observeClaims = async (deps: Deps, claims: ClaimRecord[], status?: ClaimStatus): Promise<ClaimRecord[]> => {
  const ids = new Set<string>();
  for (const c of claims) {
    if (c.reservation) ids.add(c.reservation.paymentId);
    if (status === 'paid' && c.paymentId) ids.add(c.paymentId);
  }
  if (ids.size === 0) return claims;
  const found = await batchGetAll(
    deps.store,
    [...ids].map((id) => keys.payment(id)),
    true,
  );
  const payment = (id: string) => found.get(batchKey(keys.payment(id))) as PaymentRecord | undefined;
  const out: ClaimRecord[] = [];
  for (const c of claims) {
    let seen = c;
    let unsettled = false;
    if (c.reservation) {
      const p = payment(c.reservation.paymentId);
      if (p?.status === 'completed') seen = asPaid(c, p);
      else {
        const { reservation: _internal, ...rest } = c;
        seen = rest;
      }
      unsettled = p?.settledAt === undefined;
    } else if (c.paymentId) unsettled = payment(c.paymentId)?.settledAt === undefined;
    if (status !== undefined && (seen.status !== status || (status === 'paid' && unsettled))) continue;
    out.push(seen);
  }
  return out;
};
