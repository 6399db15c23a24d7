/**
 * The nightly quota report (SPEC §5), computed from exact counters. Pure: no
 * I/O, no clock (`generatedAt`/`asOf` are inputs). Cost is O(plans × nodes)
 * plus a sort of the units for ranking; it never looks at members or claims.
 *
 * Tree: built from `parentId`, walked from the root (the org with
 * `parentId === null`, preferring kind `federation`, then the smallest id).
 * Orgs that this walk does not reach — an unknown parent, a parent chain that
 * never meets the root — are left out of the nodes, with their subtrees.
 * Units are leaves (SPEC §4.1): anything filed under a unit is left out too.
 * Node order is depth-first pre-order from the root, children by id, so a
 * parent always precedes its descendants (cutReport relies on that).
 */
import { compareDates, dayOfYear, daysInYear, diffDays, isRealDate } from './dates';

import { cutRewards, type RewardsPaid } from './rewards';
import type { OrgKind, OrgNode } from './scope';

/** How the report files name each kind of org. */
export const ORG_KIND_ZH: Readonly<Record<OrgKind, string>> = {
  federation: '市总工会',
  office: '办事处',
  agency: '代办处',
  unit: '基层工会',
};

/** The report reads the tree as it is; path is not needed, the tree is built from parentId. */
export type ReportOrg = OrgNode;

export interface ReportPlan {
  id: string;
  name: string;
  coverageStart: string;
  coverageEnd: string;
  /** Default 0 (no unit is ever below it). */
  minUnitParticipationPermille?: number;
}

/** The numeric counters of a unit in a plan that roll up by summing (the store's counter family holds exactly these). */
export const SUMMED = [
  'enrolled',
  'contributionsFen',
  'contributionsAdministrationFen',
  'contributionsUnionFen',
  'contributionsWorkerFen',
  'claimsSubmitted',
  'claimsApproved',
  'claimsPaid',
  'claimsRejected',
  'benefitsApprovedFen',
  'benefitsPaidFen',
  /** Σ days from (first) submit to paid over paid claims. */
  'paidDaysTotal',
  /** Shares of active newcomers' / renewing members' enrolments (SPEC §4.6 simulation; not report fields). */
  'sharesNew',
  'sharesRenewal',
] as const;
type Summed = Record<(typeof SUMMED)[number], number>;

/** Exact counters of ONE unit in ONE plan, as the store keeps them (summed over shards). */
export interface UnitPlanCounters extends Summed {
  /** Submit date (YYYY-MM-DD) → number of claims now in 'submitted' that were submitted that day. */
  openSubmitted: Record<string, number>;
}

export interface ReportInput {
  date: string;
  generatedAt: string;
  asOf: string;
  orgs: ReportOrg[];
  /** orgId → enrolmentTarget of the date's year. */
  targets: ReadonlyMap<string, number>;
  plans: ReportPlan[];
  /** planId → unitId → counters. */
  counters: ReadonlyMap<string, ReadonlyMap<string, UnitPlanCounters>>;
}

/** A node of the report: its own figures, and every summed counter but paidDaysTotal (shown as avgDaysToPay) and the simulation's shares. */
export interface ReportNode extends Omit<Summed, 'paidDaysTotal' | 'sharesNew' | 'sharesRenewal'> {
  orgId: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  /** Units with a completion only: competition rank (1,2,2,4) among all units of the plan. */
  rank?: number;
  target: number | null;
  completionPermille: number | null;
  timeElapsedPermille: number;
  onTrack: boolean | null;
  headcount: number | null;
  participationPermille: number | null;
  /** A unit: below the plan's minimum participation. Any other node: how many units of its subtree are. */
  belowMinParticipation: boolean | number;
  lossRatioPermille: number | null;
  overdueClaims: number;
  avgDaysToPay: number | null;
}

export interface ReportPlanSection {
  planId: string;
  name: string;
  contributionsFen: number;
  benefitsApprovedFen: number;
  poolFen: number;
  lossRatioPermille: number | null;
  projectedLossRatioPermille: number | null;
  alert: boolean;
  /** What the projection rests on (projectionBasis below); absent from reports stored before it existed. */
  projectionBasis?: ProjectionBasis;
  nodes: ReportNode[];
}

/**
 * The projection scales the loss ratio so far up to the whole coverage period: early in the
 * period, or with a handful of claims, one claim more or less moves it by hundreds of percent
 * (a 3,000-fen plan pool and one 30,000-fen claim after ten days projects to thousands of
 * percent). The rule: a projection rests on too little data (`sufficient` false) when the plan
 * has fewer than PROJECTION_MIN_APPROVED_CLAIMS approved claims OR fewer than
 * PROJECTION_MIN_DAYS days of coverage have elapsed (counted inclusively, as the projection
 * counts them). The figure is still given — it is exact arithmetic — but every reader shows
 * the hint beside it (report JSON `projectionNote`, report.html, the console).
 */
export const PROJECTION_MIN_APPROVED_CLAIMS = 10;
export const PROJECTION_MIN_DAYS = 30;

export interface ProjectionBasis {
  /** Claims of the plan that ever reached approved (the fund's whole plan, also in a cut). */
  approvedClaims: number;
  /** Days of coverage from coverageStart through the report date, inclusive. */
  elapsedDays: number;
  sufficient: boolean;
}

export const projectionBasis = (approvedClaims: number, elapsedDays: number): ProjectionBasis => ({
  approvedClaims,
  elapsedDays,
  sufficient: approvedClaims >= PROJECTION_MIN_APPROVED_CLAIMS && elapsedDays >= PROJECTION_MIN_DAYS,
});

export interface Report {
  date: string;
  generatedAt: string;
  asOf: string;
  plans: ReportPlanSection[];
  /** Rewards paid per node up to the date (./rewards.ts); absent from reports stored before it existed. */
  rewards?: RewardsPaid;
}

/** Open claims older than this many days are overdue (SPEC §5). */
export const OVERDUE_AFTER_DAYS = 30;

/** floor(a × b / c) exactly, whatever the size of a × b; null when c is 0. */
export const floorMulDiv = (a: number, b: number, c: number): number | null => {
  if (c === 0) return null;
  const n = BigInt(a) * BigInt(b);
  const d = BigInt(c);
  let q = n / d; // truncates toward zero
  if (n % d !== 0n && n < 0n !== d < 0n) q -= 1n;
  return Number(q);
};

const ratio = (num: number, den: number | null): number | null => (den === null ? null : floorMulDiv(num, 1000, den));

/** a / b rounded half-up to one decimal, from integers so no float error decides a tie. */
const mean1 = (total: number, count: number): number | null => {
  if (count === 0) return null;
  return Number((BigInt(total) * 20n + BigInt(count)) / (BigInt(count) * 2n)) / 10;
};

interface Totals extends Summed {
  overdueClaims: number;
  headcount: number;
  /** Whether any unit of the subtree states a headcount (else headcount is null, not 0). */
  headcountKnown: boolean;
  belowMin: number;
}

/** Counters of a unit with nothing counted yet. */
export const zeroCounters = (): UnitPlanCounters => ({
  ...(Object.fromEntries(SUMMED.map((f) => [f, 0])) as Summed),
  openSubmitted: {},
});

const emptyTotals = (): Totals => ({
  ...(Object.fromEntries(SUMMED.map((f) => [f, 0])) as Summed),
  overdueClaims: 0,
  headcount: 0,
  headcountKnown: false,
  belowMin: 0,
});

const addInto = (into: Totals, from: Totals) => {
  for (const k of SUMMED) into[k] += from[k];
  into.overdueClaims += from.overdueClaims;
  into.headcount += from.headcount;
  into.headcountKnown ||= from.headcountKnown;
  into.belowMin += from.belowMin;
};

interface TreeNode {
  org: ReportOrg;
  /** Index of the parent in the pre-order array; -1 for the root. */
  parent: number;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const pickRoot = (orgs: ReportOrg[]): ReportOrg | undefined =>
  orgs
    .filter((o) => o.parentId === null)
    .sort((a, b) => Number(b.kind === 'federation') - Number(a.kind === 'federation') || byId(a.id, b.id))[0];

/** Pre-order walk from the root; see the module comment for what is left out. */
const orgTree = (orgs: ReportOrg[]): TreeNode[] => {
  const root = pickRoot(orgs);
  if (!root) return [];
  const children = new Map<string, ReportOrg[]>();
  const seen = new Set<string>([root.id]);
  for (const o of orgs) {
    if (seen.has(o.id) || o.parentId === null) continue; // first occurrence of a duplicate id wins
    seen.add(o.id);
    const list = children.get(o.parentId) ?? [];
    list.push(o);
    children.set(o.parentId, list);
  }
  for (const list of children.values()) list.sort((a, b) => byId(a.id, b.id));
  const out: TreeNode[] = [];
  // Explicit stack: a deep tree must not overflow the call stack. Each org has one parent, so no cycle can reach the root.
  const stack: TreeNode[] = [{ org: root, parent: -1 }];
  while (stack.length > 0) {
    const n = stack.pop()!;
    const index = out.push(n) - 1;
    if (n.org.kind === 'unit') continue;
    const kids = children.get(n.org.id) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ org: kids[i]!, parent: index });
  }
  return out;
};

/** A malformed submit date in openSubmitted throws (diffDays): corrupt counters should fail loudly, not shrink a figure. */
const unitTotals = (org: ReportOrg, c: UnitPlanCounters | undefined, date: string, minParticipation: number): Totals => {
  const t = emptyTotals();
  if (c) {
    for (const k of SUMMED) t[k] = c[k];
    for (const [submitted, n] of Object.entries(c.openSubmitted)) {
      if (diffDays(submitted, date) > OVERDUE_AFTER_DAYS) t.overdueClaims += n;
    }
  }
  if (org.headcount !== null) {
    t.headcount = org.headcount;
    t.headcountKnown = true;
  }
  const participation = ratio(t.enrolled, t.headcountKnown ? t.headcount : null);
  t.belowMin = participation !== null && participation < minParticipation ? 1 : 0;
  return t;
};

/** Standard competition ranking (1,2,2,4) by completion, descending; null completions are unranked. */
const competitionRanks = (entries: Array<{ index: number; completion: number | null }>): Map<number, number> => {
  const ranked = entries.filter((e) => e.completion !== null).sort((a, b) => b.completion! - a.completion!);
  const ranks = new Map<number, number>();
  ranked.forEach((e, i) => {
    const prev = ranked[i - 1];
    ranks.set(e.index, prev && prev.completion === e.completion ? ranks.get(prev.index)! : i + 1);
  });
  return ranks;
};

const inclusiveDays = (from: string, to: string) => diffDays(from, to) + 1;

const planSection = (plan: ReportPlan, tree: TreeNode[], input: ReportInput, timeElapsedPermille: number): ReportPlanSection => {
  const counters = input.counters.get(plan.id) ?? new Map<string, UnitPlanCounters>();
  const min = plan.minUnitParticipationPermille ?? 0;
  // Units first, then children into parents in reverse pre-order: every subtree is complete before it is added.
  const totals = tree.map((n) => (n.org.kind === 'unit' ? unitTotals(n.org, counters.get(n.org.id), input.date, min) : emptyTotals()));
  for (let i = tree.length - 1; i > 0; i--) addInto(totals[tree[i]!.parent]!, totals[i]!);

  const completion = tree.map((n, i) => {
    const target = input.targets.get(n.org.id);
    return target === undefined ? null : ratio(totals[i]!.enrolled, target);
  });
  const ranks = competitionRanks(tree.flatMap((n, i) => (n.org.kind === 'unit' ? [{ index: i, completion: completion[i]! }] : [])));

  const nodes = tree.map((n, i): ReportNode => {
    const t = totals[i]!;
    const c = completion[i]!;
    const headcount = t.headcountKnown ? t.headcount : null;
    const rank = ranks.get(i);
    return {
      orgId: n.org.id,
      name: n.org.name,
      kind: n.org.kind,
      parentId: n.org.parentId,
      ...(rank === undefined ? {} : { rank }),
      enrolled: t.enrolled,
      target: input.targets.get(n.org.id) ?? null,
      completionPermille: c,
      timeElapsedPermille,
      onTrack: c === null ? null : c >= timeElapsedPermille,
      headcount,
      participationPermille: ratio(t.enrolled, headcount),
      contributionsFen: t.contributionsFen,
      contributionsAdministrationFen: t.contributionsAdministrationFen,
      contributionsUnionFen: t.contributionsUnionFen,
      contributionsWorkerFen: t.contributionsWorkerFen,
      belowMinParticipation: n.org.kind === 'unit' ? t.belowMin === 1 : t.belowMin,
      claimsSubmitted: t.claimsSubmitted,
      claimsApproved: t.claimsApproved,
      claimsPaid: t.claimsPaid,
      claimsRejected: t.claimsRejected,
      benefitsApprovedFen: t.benefitsApprovedFen,
      benefitsPaidFen: t.benefitsPaidFen,
      lossRatioPermille: ratio(t.benefitsApprovedFen, t.contributionsFen),
      overdueClaims: t.overdueClaims,
      avgDaysToPay: mean1(t.paidDaysTotal, t.claimsPaid),
    };
  });

  // The fund is the whole plan's money: every counter of the plan, also of units the tree walk left out.
  let contributionsFen = 0;
  let benefitsApprovedFen = 0;
  let approvedClaims = 0;
  for (const c of counters.values()) {
    contributionsFen += c.contributionsFen;
    benefitsApprovedFen += c.benefitsApprovedFen;
    approvedClaims += c.claimsApproved;
  }
  const elapsedDays = inclusiveDays(plan.coverageStart, input.date);
  const lossRatioPermille = ratio(benefitsApprovedFen, contributionsFen);
  const projectedLossRatioPermille =
    lossRatioPermille === null ? null : floorMulDiv(lossRatioPermille, inclusiveDays(plan.coverageStart, plan.coverageEnd), elapsedDays);
  return {
    planId: plan.id,
    name: plan.name,
    contributionsFen,
    benefitsApprovedFen,
    poolFen: contributionsFen - benefitsApprovedFen,
    lossRatioPermille,
    projectedLossRatioPermille,
    alert: projectedLossRatioPermille !== null && projectedLossRatioPermille > 1000,
    projectionBasis: projectionBasis(approvedClaims, elapsedDays),
    nodes,
  };
};

export const timeElapsedPermille = (date: string): number => floorMulDiv(dayOfYear(date), 1000, daysInYear(Number(date.slice(0, 4))))!;

const covers = (p: ReportPlan, date: string) => compareDates(p.coverageStart, date) <= 0 && compareDates(date, p.coverageEnd) <= 0;

export const buildReport = (input: ReportInput): Report => {
  if (!isRealDate(input.date)) throw new RangeError('report date must be a real YYYY-MM-DD date');
  const tree = orgTree(input.orgs);
  const elapsed = timeElapsedPermille(input.date);
  const plans = input.plans
    .filter((p) => covers(p, input.date))
    .sort((a, b) => compareDates(a.coverageStart, b.coverageStart) || byId(a.id, b.id))
    .map((p) => planSection(p, tree, input, elapsed));
  return { date: input.date, generatedAt: input.generatedAt, asOf: input.asOf, plans };
};

/**
 * The report restricted to orgId's subtree (orgId and its descendants), per
 * plan. It needs only the report itself (each node's parentId, and the
 * pre-order that puts parents first), so it works as well on a report read
 * back from report.json. Fund figures and ranks stay as computed for the
 * whole plan (the fund is shared). An orgId not in the report leaves every
 * plan with no nodes; the plans themselves are kept.
 */
export const cutReport = (report: Report, orgId: string): Report => ({
  ...report,
  plans: report.plans.map((plan) => {
    const inside = new Set<string>();
    const nodes = plan.nodes.filter((n) => {
      const keep = n.orgId === orgId || (n.parentId !== null && inside.has(n.parentId));
      if (keep) inside.add(n.orgId);
      return keep;
    });
    return { ...plan, nodes };
  }),
  ...(report.rewards ? { rewards: cutRewards(report.rewards, orgId) } : {}),
});
