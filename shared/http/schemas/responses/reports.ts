import * as z from '../zod';
import { described, int, listOf, optional } from './common';

/** SPEC §5. The report is built by the nightly job; these schemas describe what the API answers. */
const permille = () => z.nullable(int());
const count = () => int();

export const ReportNode = z
  .object({
    orgId: z.string(),
    name: z.string(),
    kind: z.enum(['federation', 'office', 'agency', 'unit']),
    parentId: z.nullable(z.string()),
    rank: optional(int(), 'units with a completion only: competition rank (1,2,2,4) among all units of the plan'),
    enrolled: count(),
    target: described(z.nullable(int()), "the node's own enrolmentTarget for the report date's year"),
    completionPermille: permille(),
    timeElapsedPermille: count(),
    onTrack: z.nullable(z.boolean()),
    headcount: z.nullable(int()),
    participationPermille: permille(),
    contributionsFen: count(),
    contributionsAdministrationFen: count(),
    contributionsUnionFen: count(),
    contributionsWorkerFen: count(),
    belowMinParticipation: described(
      z.union([z.boolean(), int()]),
      'a unit: whether it is below; another node: how many units of its subtree are',
    ),
    claimsSubmitted: count(),
    claimsApproved: count(),
    claimsPaid: count(),
    claimsRejected: count(),
    benefitsApprovedFen: count(),
    benefitsPaidFen: count(),
    lossRatioPermille: permille(),
    overdueClaims: count(),
    avgDaysToPay: z.nullable(z.number()),
  })
  .check(z.meta({ id: 'ReportNode' }));

export const ReportPlan = z
  .object({
    planId: z.string(),
    name: z.string(),
    contributionsFen: described(count(), 'whole plan, also in a cut (the fund is shared)'),
    benefitsApprovedFen: count(),
    poolFen: count(),
    lossRatioPermille: permille(),
    projectedLossRatioPermille: permille(),
    alert: described(z.boolean(), 'projectedLossRatioPermille > 1000'),
    projectionBasis: optional(
      z.object({ approvedClaims: count(), elapsedDays: count(), sufficient: z.boolean() }),
      'what the projection rests on: the plan’s approved claims and days of coverage elapsed (inclusive); sufficient when ≥ 10 claims and ≥ 30 days (absent from reports stored before this field existed)',
    ),
    projectionNote: described(
      z.nullable(z.string()),
      'when the projection rests on too little data (projectionBasis.sufficient false): a plain warning in the reader’s language; null otherwise',
    ),
    nodes: described(z.array(ReportNode), "the cut's nodes, parents before children"),
  })
  .check(z.meta({ id: 'ReportPlan' }));

export const RewardNode = z
  .object({
    orgId: z.string(),
    name: z.string(),
    kind: z.enum(['federation', 'office', 'agency', 'unit']),
    parentId: z.nullable(z.string()),
    rewardsPaidFen: described(
      count(),
      "the node's own rewards paid (奖励兑现) by evaluations paid from 1 January through the report date; not its subtree's (an office's units are paid their own)",
    ),
  })
  .check(z.meta({ id: 'ReportRewardNode' }));

export const ReportRewards = z
  .object({
    from: described(z.string(), '1 January of the report date’s year'),
    to: described(z.string(), 'the report date: evaluations paid out (paidDate) from `from` through `to` count'),
    evaluationIds: z.array(z.string()),
    totalFen: described(count(), "the sum of the nodes' rewardsPaidFen (of the cut)"),
    nodes: described(z.array(RewardNode), "every node of the cut, parents before children; the root's own figure is 0"),
  })
  .check(z.meta({ id: 'ReportRewards' }));

export const ReportLinks = z
  .object({
    json: described(z.string(), 'presigned download (≤ 5 minutes) of report.json holding this subtree only'),
    csv: described(z.string(), 'the same as CSV (UTF-8 with BOM, Chinese headers, one row per plan and node)'),
    html: described(z.string(), 'the same as one self-contained page with the chart of completion against time elapsed'),
  })
  .check(z.meta({ id: 'ReportLinks' }));

export const Report = z
  .object({
    date: z.string(),
    generatedAt: z.string(),
    asOf: described(z.string(), 'when the counters were read: a report run later for a past date includes every change up to asOf'),
    asOfNote: described(z.string(), 'what the figures and asOf mean, in the reader’s language (Accept-Language; Chinese by default)'),
    orgId: described(z.string(), 'the org the report is cut to'),
    plans: described(z.array(ReportPlan), 'plans whose coverage contains date'),
    rewards: optional(ReportRewards, 'rewards paid per node up to date (absent from reports stored before this field existed)'),
    links: ReportLinks,
  })
  .check(z.meta({ id: 'Report' }));

export const ReportListItem = z
  .object({ date: z.string(), generatedAt: z.string(), asOf: z.string() })
  .check(z.meta({ id: 'ReportListItem' }));
export const ReportList = listOf(ReportListItem, 'ReportList');
