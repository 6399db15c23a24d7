import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { BenefitExplanation } from '../domain/explanation';
import { applyChange, type ClaimChange, type ClaimEvent, type ClaimRecord, claimChangeItem } from './claimRecord';
import { openSubmittedOn, randomShard, unitPlanCounterAdd } from './counters';
import type { EnrolmentRecord } from './enrolments';
import { cancellationReasons, StaleRecord } from './errors';
import type { StoreContext } from './items';
import { keys, itemOf } from './keys';
import { withRetries } from './retry';

/**
 * Approval (SPEC §4.4, §6.2) in ONE transaction:
 *   0. the claim: submitted → approved, benefit and breakdown frozen, event —
 *      only if still submitted at the version read;
 *   1. the enrolment: usedFen and deductibleUsedFen set from the values the
 *      benefit was computed on — only if they are still those values. This
 *      is what keeps concurrent approvals of one member under the cap and
 *      the deductible counted once: whoever commits second finds the values
 *      changed and recomputes (StaleRecord → ./rerun.ts);
 *   2. the counters: approved +1, benefits, the open submission closed;
 *   3. the approval fact a plan simulation replays (SPEC §4.6), keyed by the
 *      enrolment's approval sequence, which item 1 moves under the same
 *      condition, so the replay order is the order approvals really took.
 */

/** An enrolment as approval reads it: the record plus its approval sequence (absent before the first approval). */
export type ApprovingEnrolment = EnrolmentRecord & {
  approvalSeq?: number;
  /** Lump-sum enrolments: each condition approved so far → the claim it was approved on (SPEC §4.2 once per enrolment). */
  paidConditions?: Record<string, string>;
};

export interface Approval<C extends ClaimRecord = ClaimRecord> {
  claim: C;
  enrolment: ApprovingEnrolment;
  breakdown: BenefitExplanation;
  benefitFen: number;
  /** The deductible this benefit consumes (banded per-period plans; 0 otherwise). */
  deductibleConsumedFen: number;
  /** Further attributes frozen on the claim (the reviewer's adjusted base). */
  claimSet?: Record<string, unknown>;
  /** A lump-sum condition this approval pays: added to the enrolment's paidConditions under the same condition. */
  paidCondition?: string;
  /** The kind's own part of the approval fact a simulation replays (see ApprovalFact). */
  fact: BandedFactPart | LumpSumFactPart;
  event: ClaimEvent;
  /** Identifies the request (ClaimChange.token). */
  token: string;
  /** ISO instant and its Asia/Shanghai date. */
  at: string;
  today: string;
}

interface FactCommon {
  planId: string;
  enrolmentId: string;
  seq: number;
  claimId: string;
  unitId: string;
  approvedAt: string;
}

/** A banded approval: no `kind` (facts written before lump sums existed read the same). */
export interface BandedFactPart {
  shares: number;
  baseFen: number;
  deductibleAppliedFen: number;
  deductibleConsumedFen: number;
  benefitFen: number;
}

/** A lump-sum approval: what a replay needs to pay the same condition again (amount × shares, capped). */
export interface LumpSumFactPart {
  kind: 'lump_sum';
  conditionCode: string;
  shares: number;
  amountPerShareFen: number;
  benefitFen: number;
}

export type ApprovalFact = FactCommon & (BandedFactPart | LumpSumFactPart);

/**
 * Item 1: the enrolment's used cap and deductible moved by this benefit, and
 * its approval sequence by one, only if all three are still what the benefit
 * was computed from. Exported so the approvals benchmark's raw writer sends
 * exactly this item.
 */
export const enrolmentCapUpdate = (
  tableName: string,
  e: ApprovingEnrolment,
  b: { benefitFen: number; deductibleConsumedFen: number },
  paid?: { conditionCode: string; claimId: string },
) => {
  const seq = e.approvalSeq ?? 0;
  // The whole map, written under the approvalSeq condition: a concurrent approval of the same condition re-reads and finds it taken.
  const conditions = paid ? { ':pc': { ...(e.paidConditions ?? {}), [paid.conditionCode]: paid.claimId } } : {};
  return {
    Update: {
      TableName: tableName,
      Key: keys.enrolment(e.enrolmentId),
      UpdateExpression: `SET usedFen = :u2, deductibleUsedFen = :d2, approvalSeq = :n2${paid ? ', paidConditions = :pc' : ''}`,
      ConditionExpression: `usedFen = :u AND deductibleUsedFen = :d AND ${e.approvalSeq === undefined ? 'attribute_not_exists(approvalSeq)' : 'approvalSeq = :n'}`,
      ExpressionAttributeValues: {
        ':u': e.usedFen,
        ':d': e.deductibleUsedFen,
        ':u2': e.usedFen + b.benefitFen,
        ':d2': e.deductibleUsedFen + b.deductibleConsumedFen,
        ':n2': seq + 1,
        ...conditions,
        ...(e.approvalSeq === undefined ? {} : { ':n': seq }),
      },
    },
  };
};

export const approveClaim = async <C extends ClaimRecord>(ctx: StoreContext, a: Approval<C>): Promise<C> => {
  const { claim: c, enrolment: e, breakdown: b } = a;
  const seq = e.approvalSeq ?? 0;
  const change: ClaimChange = {
    to: 'approved',
    event: a.event,
    set: {
      approvedBenefitFen: a.benefitFen,
      benefitBreakdown: b,
      approvedAt: a.at,
      approvedDate: a.today,
      ...(a.claimSet ?? {}),
    },
    updatedAt: a.at,
    token: a.token,
  };
  const fact: ApprovalFact = {
    planId: c.planId,
    enrolmentId: e.enrolmentId,
    seq: seq + 1,
    claimId: c.claimId,
    unitId: c.unitId,
    ...a.fact,
    approvedAt: a.at,
  };
  const items = [
    claimChangeItem(ctx.tableName, c, change),
    enrolmentCapUpdate(ctx.tableName, e, a, a.paidCondition ? { conditionCode: a.paidCondition, claimId: c.claimId } : undefined),
    unitPlanCounterAdd(ctx.tableName, { id: c.unitId, path: c.unitPath }, c.planId, a.today, randomShard(), {
      claimsApproved: 1,
      benefitsApprovedFen: a.benefitFen,
      [openSubmittedOn(c.lastSubmittedDate!)]: -1,
    }),
    {
      Put: {
        TableName: ctx.tableName,
        Item: itemOf(keys.approvalFact(c.planId, e.enrolmentId, seq + 1), { entity: 'approvalFact', ...fact }),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
  try {
    await withRetries('claim approval', () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
  } catch (err) {
    const reasons = cancellationReasons(err);
    if (reasons[0] === 'ConditionalCheckFailed') throw new StaleRecord('claim', c.claimId, { cause: err });
    if (reasons.includes('ConditionalCheckFailed')) throw new StaleRecord('enrolment', e.enrolmentId, { cause: err });
    throw err;
  }
  return applyChange(c, change);
};
