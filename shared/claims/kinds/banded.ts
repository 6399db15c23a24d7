import { msg } from '../../messages/catalogue';
import { computeBenefit } from '../../domain/benefit';
import { type BandedFiling, judgeBandedFiling } from '../../domain/claimFiling';
import { requiredDocumentKinds } from '../../domain/documents';
import { explainBanded } from '../../domain/explanation';
import type { BandedRules, Plan } from '../../domain/plan';
import type { BandedClaimRecord } from '../../store/claimRecord';
import { ClaimRuleBroken, capExhausted } from '../errors';
import { foreignFields, type KindBody } from './body';
import type { ClaimKind } from './types';

const rulesOf = (plan: Plan): BandedRules => plan.benefit as BandedRules;

/** The reviewer's lower base when approval adjusted it, else what was filed. */
const baseFenOf = (c: BandedClaimRecord): number => c.adjustedSelfPaidInScopeFen ?? c.selfPaidInScopeFen;

const BANDED_FIELDS = ['admissionDate', 'dischargeDate', 'diagnosis', 'totalExpenseFen', 'insuranceReimbursedFen', 'selfPaidInScopeFen'];
const LUMP_SUM_ONLY = ['diagnosisDate', 'conditionCode'];

/** 住院医疗互助: part of a hospital stay's self-paid costs, in bands after a deductible (SPEC §6.2). */
export const bandedKind: ClaimKind<BandedClaimRecord, KindBody<BandedFiling>> = {
  kind: 'banded',
  bodyOf: (body) => foreignFields<BandedFiling>(body, 'banded', BANDED_FIELDS, LUMP_SUM_ONLY),
  file(plan, enrolment, f, today) {
    const problem = judgeBandedFiling(plan, enrolment, f, today);
    if (problem) throw new ClaimRuleBroken(422, problem.code, problem.message, problem.path);
    const estimate = explainBanded(
      computeBenefit({
        rules: rulesOf(plan),
        shares: enrolment.shares,
        baseFen: f.selfPaidInScopeFen,
        usedFen: enrolment.usedFen,
        deductibleUsedFen: enrolment.deductibleUsedFen,
      }),
    );
    return {
      fields: {
        admissionDate: f.admissionDate,
        dischargeDate: f.dischargeDate,
        diagnosis: f.diagnosis,
        ...(f.icd10 ? { icd10: f.icd10.toUpperCase() } : {}),
        totalExpenseFen: f.totalExpenseFen,
        insuranceReimbursedFen: f.insuranceReimbursedFen,
        selfPaidInScopeFen: f.selfPaidInScopeFen,
      },
      estimate,
    };
  },
  duplicate: (duplicateOf) =>
    new ClaimRuleBroken(422, 'DUPLICATE_STAY', msg('DUPLICATE_STAY', { claimId: duplicateOf }), 'admissionDate', {
      duplicateOf,
    }),
  requiredDocuments: (c) => requiredDocumentKinds('banded', c.insuranceReimbursedFen),
  estimate: (plan, enrolment, c) =>
    explainBanded(
      computeBenefit({
        rules: rulesOf(plan),
        shares: enrolment.shares,
        baseFen: c.selfPaidInScopeFen,
        usedFen: enrolment.usedFen,
        deductibleUsedFen: enrolment.deductibleUsedFen,
      }),
    ),
  approval(plan, enrolment, c, d) {
    const adjusted = d.adjustedSelfPaidInScopeFen;
    const b = computeBenefit({
      rules: rulesOf(plan),
      shares: enrolment.shares,
      baseFen: adjusted ?? baseFenOf(c),
      usedFen: enrolment.usedFen,
      deductibleUsedFen: enrolment.deductibleUsedFen,
    });
    // Zero because of the cap (not because the amount is under the deductible): nothing to approve.
    if (b.benefitFen === 0 && b.bandedFen * b.shares > 0) {
      throw capExhausted(b);
    }
    return {
      breakdown: explainBanded(b),
      benefitFen: b.benefitFen,
      deductibleConsumedFen: b.deductibleConsumedFen,
      ...(adjusted !== undefined ? { claimSet: { adjustedSelfPaidInScopeFen: adjusted } } : {}),
      fact: {
        shares: b.shares,
        baseFen: b.baseFen,
        deductibleAppliedFen: b.deductibleAppliedFen,
        deductibleConsumedFen: b.deductibleConsumedFen,
        benefitFen: b.benefitFen,
      },
    };
  },
  disclosureMonth: (c) => c.admissionDate.slice(0, 7),
  filedView: (c) => ({
    admissionDate: c.admissionDate,
    dischargeDate: c.dischargeDate,
    diagnosis: c.diagnosis,
    ...(c.icd10 === undefined ? {} : { icd10: c.icd10 }),
    accident: c.accident,
    totalExpenseFen: c.totalExpenseFen,
    insuranceReimbursedFen: c.insuranceReimbursedFen,
    selfPaidInScopeFen: c.selfPaidInScopeFen,
  }),
  decisionView: (c) => (c.adjustedSelfPaidInScopeFen === undefined ? {} : { adjustedSelfPaidInScopeFen: c.adjustedSelfPaidInScopeFen }),
  adjustableBase: (c) => c.selfPaidInScopeFen,
};
