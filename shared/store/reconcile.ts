/**
 * Recounts a plan's unit × plan counters from the records (SPEC §5: "a
 * reconciliation command recounts from the records and reports any drift").
 * This reads every enrolment and claim of the plan, so it is an operator
 * tool (`npm run reconcile`), never part of the nightly report.
 *
 * What each counter means, as the writers move it:
 *   enrolled, contributions*      active enrolments now in the unit (transfers move them)
 *   claimsSubmitted               claims ever submitted (firstSubmittedDate set)
 *   claimsApproved / Paid / Rejected   claims now approved-or-paid / paid / rejected
 *   benefitsApprovedFen / PaidFen approvedBenefitFen of approved-or-paid / paid claims
 *   paidDaysTotal                 paidDays of paid claims
 *   openSubmitted@<day>           claims now submitted, by lastSubmittedDate
 * Claims count in the unit they were filed in (their counters never move).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { StoreContext } from './items';
import { keyAttributesOf } from './table';
import { openSubmittedOn, readPlanCountersUnder, UNIT_PLAN_FIELDS } from './counters';
import { keys } from './keys';
import { orgRepo } from './orgs';

export interface Drift {
  unitId: string;
  field: string;
  counted: number;
  recorded: number;
}

export interface Reconciliation {
  planId: string;
  units: number;
  enrolments: number;
  claims: number;
  drifts: Drift[];
}

type Tally = Map<string, Record<string, number>>;
const bump = (t: Tally, unitId: string, field: string, by: number) => {
  const row = t.get(unitId) ?? {};
  row[field] = (row[field] ?? 0) + by;
  t.set(unitId, row);
};

/** Every item of a partition (optionally narrowed by sort prefix and a planId filter), page by page. */
const eachItem = async (
  ctx: StoreContext,
  q: { index: 'gsi1' | 'gsi2'; partition: string; sortPrefix: string; planId?: string },
  visit: (item: Record<string, unknown>) => void,
) => {
  const { partition, sort } = keyAttributesOf(q.index);
  let start: Record<string, unknown> | undefined;
  do {
    const r = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: q.index,
        KeyConditionExpression: '#p = :p AND begins_with(#s, :s)',
        ...(q.planId ? { FilterExpression: '#plan = :plan' } : {}),
        ExpressionAttributeNames: { '#p': partition, '#s': sort, ...(q.planId ? { '#plan': 'planId' } : {}) },
        ExpressionAttributeValues: { ':p': q.partition, ':s': q.sortPrefix, ...(q.planId ? { ':plan': q.planId } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    for (const i of r.Items ?? []) visit(i);
    start = r.LastEvaluatedKey;
  } while (start);
};

const num = (v: unknown) => (typeof v === 'number' ? v : 0);

export const reconcilePlan = async (ctx: StoreContext, rootOrgId: string, planId: string): Promise<Reconciliation> => {
  const counted: Tally = new Map();
  const units = (await orgRepo(ctx).subtree([rootOrgId])).filter((o) => o.kind === 'unit');
  let enrolments = 0;
  let claims = 0;

  // Enrolments: one Query per unit on its enrolment list, narrowed to the plan.
  const limit = pLimit(8);
  await Promise.all(
    units.map((u) =>
      limit(() =>
        eachItem(ctx, { index: 'gsi1', partition: keys.unitEnrolments(u.id), sortPrefix: keys.unitEnrolmentSort(planId, '') }, (e) => {
          if (e.status !== 'active') return;
          enrolments++;
          bump(counted, u.id, 'enrolled', 1);
          bump(counted, u.id, 'contributionsFen', num(e.contributionFen));
          // The co-funding split, once enrolments carry it (SPEC §4.3).
          const f = e.funding as Record<string, unknown> | undefined;
          if (f) {
            bump(counted, u.id, 'contributionsAdministrationFen', num(f.administrationFen));
            bump(counted, u.id, 'contributionsUnionFen', num(f.unionFen));
            bump(counted, u.id, 'contributionsWorkerFen', num(f.workerFen));
          }
        }),
      ),
    ),
  );

  // Claims: the all-statuses list over the whole tree, filtered to the plan.
  await eachItem(ctx, { index: 'gsi2', partition: keys.claimsAll, sortPrefix: keys.pathPrefix([rootOrgId]), planId }, (c) => {
    claims++;
    const unit = String(c.unitId);
    const status = c.status;
    if (c.firstSubmittedDate) bump(counted, unit, 'claimsSubmitted', 1);
    if (status === 'approved' || status === 'paid') {
      bump(counted, unit, 'claimsApproved', 1);
      bump(counted, unit, 'benefitsApprovedFen', num(c.approvedBenefitFen));
    }
    if (status === 'paid') {
      bump(counted, unit, 'claimsPaid', 1);
      bump(counted, unit, 'benefitsPaidFen', num(c.approvedBenefitFen));
      bump(counted, unit, 'paidDaysTotal', num(c.paidDays));
    }
    if (status === 'rejected') bump(counted, unit, 'claimsRejected', 1);
    if (status === 'submitted' && typeof c.lastSubmittedDate === 'string') bump(counted, unit, openSubmittedOn(c.lastSubmittedDate), 1);
  });

  const recorded = await readPlanCountersUnder(ctx, planId, [rootOrgId]);
  return { planId, units: units.length, enrolments, claims, drifts: compare(counted, recorded) };
};

/** Every (unit, field) where the two disagree; a field absent on one side is 0 there. Sorted for stable output. */
export const compare = (counted: ReadonlyMap<string, Record<string, number>>, recorded: ReadonlyMap<string, Record<string, number>>) => {
  const drifts: Drift[] = [];
  const unitIds = [...new Set([...counted.keys(), ...recorded.keys()])].sort();
  for (const unitId of unitIds) {
    const c = counted.get(unitId) ?? {};
    const r = recorded.get(unitId) ?? {};
    const fields = new Set<string>([...UNIT_PLAN_FIELDS, ...Object.keys(c), ...Object.keys(r)]);
    for (const field of [...fields].sort()) {
      const a = c[field] ?? 0;
      const b = r[field] ?? 0;
      if (a !== b) drifts.push({ unitId, field, counted: a, recorded: b });
    }
  }
  return drifts;
};
