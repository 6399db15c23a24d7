import * as z from '../zod';
import { described, int, listOf, optional } from './common';

/** SPEC §4.5. */
export const EvaluationRules = z
  .object({
    year: int(),
    planIds: z.array(z.string()),
    checkpoints: z.array(z.object({ id: z.string(), date: z.string(), requiredCompletionPermille: int() })),
    rewardRatePermille: int(),
    tiers: z.array(z.object({ minCompletionPermille: int(), multiplierPermille: int() })),
    updatedAt: z.string(),
    updatedBy: z.string(),
    locked: described(z.boolean(), 'an evaluation of the year was approved: the rules can no longer change (409 RULES_LOCKED)'),
  })
  .check(z.meta({ id: 'EvaluationRules' }));

export const EvaluationRow = z
  .object({
    orgId: z.string(),
    name: z.string(),
    kind: z.enum(['office', 'agency', 'unit']),
    parentId: z.nullable(z.string()),
    enrolled: described(int(), "active enrolments in the subtree's units, summed over the rules' planIds"),
    target: z.nullable(int()),
    completionPermille: described(z.nullable(int()), 'null without a target (or a target of 0)'),
    requiredCompletionPermille: int(),
    passed: z.boolean(),
    contributionsFen: int(),
    multiplierPermille: described(int(), 'of the highest tier the completion reaches (0 if none)'),
    rewardFen: described(int(), 'floor(contributionsFen × rewardRatePermille × multiplierPermille / 1,000,000) when passed, else 0'),
    rank: described(z.nullable(int()), 'competition rank by completion: units among units, offices and agencies among themselves'),
  })
  .check(z.meta({ id: 'EvaluationRow' }));

const summary = {
  evaluationId: z.string(),
  year: int(),
  checkpointId: z.string(),
  date: described(z.string(), "the checkpoint's date: the evaluation is computed from that date's stored report"),
  status: z.enum(['draft', 'approved', 'paid']),
  createdBy: z.string(),
  createdAt: z.string(),
  approvedBy: optional(z.string()),
  approvedAt: optional(z.string()),
  paidDate: optional(z.string()),
  reference: optional(z.string()),
  paidBy: optional(z.string()),
  paidAt: optional(z.string()),
  orgId: described(z.string(), "the org the rows are cut to (the caller's)"),
  totalRewardFen: described(int(), 'the sum of rewardFen over the rows of the cut'),
  links: z.object({ csv: described(z.string(), 'presigned download (≤ 5 minutes) of the cut as CSV (UTF-8 with BOM, 元 and %)') }),
};

export const Evaluation = z.object({ ...summary, rows: z.array(EvaluationRow) }).check(z.meta({ id: 'Evaluation' }));
export const EvaluationSummary = z.object(summary).check(z.meta({ id: 'EvaluationSummary' }));
export const EvaluationList = listOf(EvaluationSummary, 'EvaluationList');
