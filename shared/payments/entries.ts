import { kindOfClaim } from '../claims/kinds';
import { claimMembers } from '../claims/views';
import type { Deps } from '../deps';
import { diffDays } from '../domain/dates';
import { maskName } from '../domain/names';
import { newOpaqueRef } from '../ids';
import { batchGetAll, batchKey } from '../store/batch';
import type { ClaimRecord } from '../store/claimRecord';
import { keys } from '../store/keys';
import type { PaymentEntry } from '../store/payments';

/**
 * Each claim with what its roll-forward will write: its disclosure (the
 * member's name masked — opened from the sealed identity here, never stored
 * or logged in clear —, the unit's name, the admission month, a fresh random
 * claimRef) and its days from first submission to payment.
 */
export const paymentEntries = async (deps: Deps, claims: ClaimRecord[], paymentId: string, paidDate: string): Promise<PaymentEntry[]> => {
  const [members, orgs] = await Promise.all([
    claimMembers(deps, claims),
    batchGetAll(
      deps.store,
      claims.map((c) => keys.org(c.unitId)),
    ),
  ]);
  return claims.map((c) => ({
    claim: c,
    reservation: {
      paymentId,
      paidDays: diffDays(c.firstSubmittedDate!, paidDate),
      disclosure: {
        claimRef: newOpaqueRef(),
        memberName: maskName(members.get(c.enrolmentId)!.memberName),
        unitName: String(orgs.get(batchKey(keys.org(c.unitId)))?.name ?? c.unitId),
        admissionMonth: kindOfClaim(c).disclosureMonth(c),
        benefitFen: c.approvedBenefitFen ?? 0,
        paidDate,
      },
    },
  }));
};
