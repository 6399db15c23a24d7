import { fundingOf } from '../domain/enrolment';
import type { PiiVault } from '../pii/vault';
import type { EnrolmentRecord, SealedPii } from '../store/enrolments';

/**
 * Stored records → what clients see. ID numbers leave only masked; the name
 * is unsealed for the caller (already scope-checked); keys, blobs and the
 * birth date never leave (masked number + birth date = the number).
 */
export const enrolmentView = async (e: EnrolmentRecord, vault: PiiVault) => {
  const pii = await vault.open<SealedPii>(e.pii, e.enrolmentId);
  return {
    enrolmentId: e.enrolmentId,
    planId: e.planId,
    unitId: e.unitId,
    idNumberMasked: e.idNumberMasked,
    name: pii.name,
    gender: e.gender,
    shares: e.shares,
    contributionFen: e.contributionFen,
    funding: fundingOf(e),
    enrolledDate: e.enrolledDate,
    renewal: e.renewal,
    benefitStartDate: e.benefitStartDate,
    accidentBenefitStartDate: e.accidentBenefitStartDate,
    capFen: e.capFen,
    usedFen: e.usedFen,
    remainingFen: Math.max(0, e.capFen - e.usedFen),
    deductibleUsedFen: e.deductibleUsedFen,
    ...(e.paidConditions ? { paidConditions: Object.keys(e.paidConditions).sort() } : {}),
    status: e.status,
    transfers: e.transfers,
    history: e.history ?? [],
  };
};
