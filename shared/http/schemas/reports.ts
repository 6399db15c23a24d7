// A namespace import, not `import { z }`: esbuild then bundles only what is used (not every locale: ~360 KB and ~17 ms of cold start).
import * as z from 'zod';
import { clientId, isoDate, ListQuery, listOf } from './common';

/** SPEC §5. The report is built by the nightly job; these schemas describe what the API answers. */
const permille = () => z.number().int().nullable();
const count = () => z.number().int();

export const ReportNode = z
  .object({
    orgId: z.string(),
    name: z.string(),
    kind: z.enum(['federation', 'office', 'agency', 'unit']),
    parentId: z.string().nullable(),
    rank: z.number().int().optional().describe('units with a completion only: competition rank (1,2,2,4) among all units of the plan'),
    enrolled: count(),
    target: z.number().int().nullable().describe("the node's own enrolmentTarget for the report date's year"),
    completionPermille: permille(),
    timeElapsedPermille: count(),
    onTrack: z.boolean().nullable(),
    headcount: z.number().int().nullable(),
    participationPermille: permille(),
    contributionsFen: count(),
    contributionsAdministrationFen: count(),
    contributionsUnionFen: count(),
    contributionsWorkerFen: count(),
    belowMinParticipation: z
      .union([z.boolean(), z.number().int()])
      .describe('a unit: whether it is below; another node: how many units of its subtree are'),
    claimsSubmitted: count(),
    claimsApproved: count(),
    claimsPaid: count(),
    claimsRejected: count(),
    benefitsApprovedFen: count(),
    benefitsPaidFen: count(),
    lossRatioPermille: permille(),
    overdueClaims: count(),
    avgDaysToPay: z.number().nullable(),
  })
  .meta({ id: 'ReportNode' });

export const ReportPlan = z
  .object({
    planId: z.string(),
    name: z.string(),
    contributionsFen: count().describe('whole plan, also in a cut (the fund is shared)'),
    benefitsApprovedFen: count(),
    poolFen: count(),
    lossRatioPermille: permille(),
    projectedLossRatioPermille: permille(),
    alert: z.boolean().describe('projectedLossRatioPermille > 1000'),
    nodes: z.array(ReportNode).describe("the cut's nodes, parents before children"),
  })
  .meta({ id: 'ReportPlan' });

export const ReportLinks = z
  .object({
    json: z.string().describe('presigned download (≤ 5 minutes) of report.json holding this subtree only'),
    csv: z.string().describe('the same as CSV (UTF-8 with BOM, Chinese headers, one row per plan and node)'),
    html: z.string().describe('the same as one self-contained page with the chart of completion against time elapsed'),
  })
  .meta({ id: 'ReportLinks' });

export const Report = z
  .object({
    date: z.string(),
    generatedAt: z.string(),
    asOf: z.string().describe('when the counters were read: a report run later for a past date includes every change up to asOf'),
    asOfNote: z.string(),
    orgId: z.string().describe('the org the report is cut to'),
    plans: z.array(ReportPlan).describe('plans whose coverage contains date'),
    links: ReportLinks,
  })
  .meta({ id: 'Report' });

export const ReportListItem = z.object({ date: z.string(), generatedAt: z.string(), asOf: z.string() }).meta({ id: 'ReportListItem' });
export const ReportList = listOf(ReportListItem, 'ReportList');

const orgId = () => clientId().optional().describe("the subtree to report on (default: the caller's org)");
export const ReportsQuery = ListQuery.extend({ orgId: orgId() });
export const ReportParams = z.strictObject({ date: isoDate() });
export const ReportQuery = z.strictObject({
  orgId: orgId(),
  planId: clientId().optional().describe('answer with this plan only (the linked files always hold every plan of the subtree)'),
});
