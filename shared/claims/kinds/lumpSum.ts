import { msg } from '../../messages/catalogue';
import { judgeLumpSumFiling, type LumpSumFiling } from '../../domain/claimFiling';
import { requiredDocumentKinds } from '../../domain/documents';
import { computeLumpSum, type LumpSumExplanation } from '../../domain/explanation';
import type { LumpSumConditionRule, LumpSumRules, Plan } from '../../domain/plan';
import type { ApprovingEnrolment } from '../../store/claimApproval';
import type { LumpSumClaimRecord } from '../../store/claimRecord';
import { ClaimRuleBroken, capExhausted } from '../errors';
import { foreignFields, type KindBody } from './body';
import type { ClaimKind } from './types';

const rulesOf = (plan: Plan): LumpSumRules => plan.benefit as LumpSumRules;

const conditionOf = (plan: Plan, code: string): LumpSumConditionRule => {
  const found = rulesOf(plan).conditions.find((c) => c.code === code);
  // Filing judged the code against this (immutable) plan, so only a damaged record gets here.
  if (!found) throw new Error(`plan ${plan.id} has no condition ${code}`);
  return found;
};

/** min(amountPerShareFen × shares, capFen − usedFen) on the enrolment as it now is (SPEC §4.4). */
const explain = (plan: Plan, e: Pick<ApprovingEnrolment, 'shares' | 'capFen' | 'usedFen'>, code: string): LumpSumExplanation => {
  const condition = conditionOf(plan, code);
  return computeLumpSum({
    amountPerShareFen: condition.amountPerShareFen,
    shares: e.shares,
    capFen: e.capFen,
    usedFen: e.usedFen,
    conditionCode: condition.code,
    conditionName: condition.name,
  });
};

const alreadyClaimed = (claimId: string) =>
  new ClaimRuleBroken(422, 'CONDITION_ALREADY_CLAIMED', msg('CONDITION_ALREADY_CLAIMED', { claimId }), 'conditionCode', {
    duplicateOf: claimId,
  });

const LUMP_SUM_FIELDS = ['diagnosisDate', 'conditionCode'];
const BANDED_ONLY = [
  'admissionDate',
  'dischargeDate',
  'diagnosis',
  'icd10',
  'totalExpenseFen',
  'insuranceReimbursedFen',
  'selfPaidInScopeFen',
];

/** 重大疾病互助 / 女职工特殊疾病互助: a fixed amount per share on the first diagnosis of a listed condition, each once per enrolment. */
export const lumpSumKind: ClaimKind<LumpSumClaimRecord, KindBody<LumpSumFiling>> = {
  kind: 'lump_sum',
  bodyOf: (body) => foreignFields<LumpSumFiling>(body, 'lump_sum', LUMP_SUM_FIELDS, BANDED_ONLY),
  file(plan, enrolment, f, today) {
    const problem = judgeLumpSumFiling({ ...plan, conditions: rulesOf(plan).conditions }, enrolment, f, today);
    if (problem) throw new ClaimRuleBroken(422, problem.code, problem.message, problem.path);
    const estimate = explain(plan, enrolment, f.conditionCode);
    return {
      fields: { diagnosisDate: f.diagnosisDate, conditionCode: f.conditionCode, conditionName: estimate.conditionName },
      estimate,
    };
  },
  duplicate: (duplicateOf) =>
    new ClaimRuleBroken(422, 'CONDITION_ALREADY_CLAIMED', msg('CONDITION_ALREADY_CLAIMED', { claimId: duplicateOf }), 'conditionCode', {
      duplicateOf,
    }),
  requiredDocuments: () => requiredDocumentKinds('lump_sum', 0),
  estimate: (plan, enrolment, c) => explain(plan, enrolment, c.conditionCode),
  approval(plan, enrolment, c, d) {
    if (d.adjustedSelfPaidInScopeFen !== undefined) {
      throw new ClaimRuleBroken(400, 'VALIDATION_FAILED', msg('FIELD.adjustFixed'), 'adjustedSelfPaidInScopeFen');
    }
    // A second claim for a condition already approved (the filing lock keeps this out; approval holds it whatever got filed).
    const holder = enrolment.paidConditions?.[c.conditionCode];
    if (holder !== undefined && holder !== c.claimId) throw alreadyClaimed(holder);
    const b = explain(plan, enrolment, c.conditionCode);
    if (b.benefitFen === 0) {
      throw capExhausted(b);
    }
    return {
      breakdown: b,
      benefitFen: b.benefitFen,
      deductibleConsumedFen: 0,
      paidCondition: c.conditionCode,
      fact: {
        kind: 'lump_sum',
        conditionCode: c.conditionCode,
        shares: b.shares,
        amountPerShareFen: b.amountPerShareFen,
        benefitFen: b.benefitFen,
      },
    };
  },
  disclosureMonth: (c) => c.diagnosisDate.slice(0, 7),
  filedView: (c) => ({
    diagnosisDate: c.diagnosisDate,
    conditionCode: c.conditionCode,
    conditionName: c.conditionName,
    accident: c.accident,
  }),
  decisionView: () => ({}),
  adjustableBase: () => undefined,
};
