import { documentStates, observeDocuments } from '../../shared/claims/documents';
import { claimInScope, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { getClaim } from '../../shared/http/routes/claims';
import { observeClaims } from '../../shared/payments/observe';
import { piiOf } from '../../shared/pii/fromConfig';
import type { SealedPii } from '../../shared/store/enrolments';

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
  const pii = await piiOf(deps).open<SealedPii>(enrolment.pii, enrolment.enrolmentId);
  return { status: 200, body: claimView(c!, states, { memberName: pii.name, idNumberMasked: enrolment.idNumberMasked }) };
});
