import { documentStates, observeDocuments } from '../../shared/claims/documents';
import { claimInScope, claimMember, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { getClaim } from '../../shared/http/routes/claims';
import { observeClaims } from '../../shared/payments/observe';

/** One claim; each document says whether it is in S3 and, if so, carries a download link valid ≤ 5 minutes. */
export const handler = httpHandler('getClaim', getClaim, async ({ params, principal, deps }) => {
  // Paid as soon as its payment completed, whether or not the roll-forward has reached it yet.
  // Read consistently: a stale read could miss a reservation whose payment has completed since.
  const [c] = await observeClaims(deps, [await claimInScope(deps, principal, params.id, true)]);
  const [states, enrolment] = await Promise.all([
    documentStates(deps, c!, await observeDocuments(deps, c!)),
    deps.enrolments.get(c!.enrolmentId),
  ]);
  if (!enrolment) throw new Error(`claim ${c!.claimId} names a missing enrolment`);
  // Who the claim is for, as a reviewer needs it (SPEC §4.4): the name unsealed, the ID number masked.
  return { status: 200, body: claimView(c!, await claimMember(deps, c!, enrolment), states) };
});
