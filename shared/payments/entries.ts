import { kindOfClaim } from '../claims/kinds';
import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { diffDays } from '../domain/dates';
import { maskName } from '../domain/names';
import { newOpaqueRef } from '../ids';
import { piiOf } from '../pii/fromConfig';
import type { SealedBlob } from '../pii/vault';
import { batchGetAll, batchKey } from '../store/batch';
import type { ClaimRecord } from '../store/claimRecord';
import type { SealedPii } from '../store/enrolments';
import { keys } from '../store/keys';
import type { PaymentEntry } from '../store/payments';

/**
 * Each claim with what its roll-forward will write: its disclosure (the
 * member's name masked — opened from the sealed identity here, never stored
 * or logged in clear —, the unit's name, the admission month, a fresh random
 * claimRef) and its days from first submission to payment.
 */
export const paymentEntries = async (deps: Deps, claims: ClaimRecord[], paymentId: string, paidDate: string): Promise<PaymentEntry[]> => {
  const [enrolments, orgs] = await Promise.all([
    batchGetAll(
      deps.store,
      claims.map((c) => keys.enrolment(c.enrolmentId)),
    ),
    batchGetAll(
      deps.store,
      claims.map((c) => keys.org(c.unitId)),
    ),
  ]);
  const limit = pLimit(16);
  const masked = new Map<string, string>();
  await Promise.all(
    [...new Set(claims.map((c) => c.enrolmentId))].map((id) =>
      limit(async () => {
        const e = enrolments.get(batchKey(keys.enrolment(id)));
        if (!e) throw new Error(`enrolment ${id} of a claim is missing`);
        const pii = await piiOf(deps).open<SealedPii>(e.pii as SealedBlob, id);
        masked.set(id, maskName(pii.name));
      }),
    ),
  );
  return claims.map((c) => ({
    claim: c,
    reservation: {
      paymentId,
      paidDays: diffDays(c.firstSubmittedDate!, paidDate),
      disclosure: {
        claimRef: newOpaqueRef(),
        memberName: masked.get(c.enrolmentId)!,
        unitName: String(orgs.get(batchKey(keys.org(c.unitId)))?.name ?? c.unitId),
        admissionMonth: kindOfClaim(c).disclosureMonth(c),
        benefitFen: c.approvedBenefitFen ?? 0,
        paidDate,
      },
    },
  }));
};
