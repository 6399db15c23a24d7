/**
 * Rewards paid (奖励兑现) as the nightly report shows them (SPEC §4.5, §5;
 * issue 16): per org node, what the federation paid that node through
 * evaluations paid out in the report's year up to and including the report
 * date, plus the total. Pure: the caller reads the paid evaluations' rows.
 *
 * A node's figure is **its own** reward only, not its subtree's: an office
 * is rewarded for its subtree's results, but that money is the office's, and
 * its units' rewards are theirs; adding them up the tree would count the
 * units' money twice in the total. The root (not evaluated) shows 0.
 */
import { compareDates } from './dates';
import type { OrgKind } from './scope';

export interface PaidEvaluation {
  evaluationId: string;
  /** The payout's paidDate (兑现日期, Asia/Shanghai). */
  paidDate: string;
  rows: readonly { orgId: string; rewardFen: number }[];
}

export interface RewardNode {
  orgId: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  rewardsPaidFen: number;
}

export interface RewardsPaid {
  /** The window counted: 1 January of the report's year through the report date, by paidDate. */
  from: string;
  to: string;
  /** The evaluations counted (paid, paidDate in the window). */
  evaluationIds: string[];
  totalFen: number;
  /** Every node of the tree, parents before children (the report's order). */
  nodes: RewardNode[];
}

/** The paid evaluations a report of `date` counts: paidDate within [1 January of date's year, date]. */
export const countedEvaluations = (paid: readonly PaidEvaluation[], date: string): PaidEvaluation[] => {
  const from = `${date.slice(0, 4)}-01-01`;
  return paid.filter((e) => compareDates(from, e.paidDate) <= 0 && compareDates(e.paidDate, date) <= 0);
};

export const rewardsPaid = (
  orgs: readonly { id: string; name: string; kind: OrgKind; parentId: string | null; path: readonly string[] }[],
  paid: readonly PaidEvaluation[],
  date: string,
): RewardsPaid => {
  const counted = countedEvaluations(paid, date);
  const byOrg = new Map<string, number>();
  for (const e of counted) for (const r of e.rows) byOrg.set(r.orgId, (byOrg.get(r.orgId) ?? 0) + r.rewardFen);
  // Parents before children: by path, segment by segment.
  const nodes = [...orgs]
    .sort((a, b) => {
      for (let i = 0; i < Math.min(a.path.length, b.path.length); i++) {
        const c = a.path[i]! < b.path[i]! ? -1 : a.path[i]! > b.path[i]! ? 1 : 0;
        if (c !== 0) return c;
      }
      return a.path.length - b.path.length;
    })
    .map((o) => ({ orgId: o.id, name: o.name, kind: o.kind, parentId: o.parentId, rewardsPaidFen: byOrg.get(o.id) ?? 0 }));
  return {
    from: `${date.slice(0, 4)}-01-01`,
    to: date,
    evaluationIds: counted.map((e) => e.evaluationId).sort(),
    totalFen: nodes.reduce((s, n) => s + n.rewardsPaidFen, 0),
    nodes,
  };
};

/** The same cut to orgId's subtree (nodes in pre-order: a node is inside when its parent is); the total is the cut's. */
export const cutRewards = (r: RewardsPaid, orgId: string): RewardsPaid => {
  const inside = new Set<string>();
  const nodes = r.nodes.filter((n) => {
    const keep = n.orgId === orgId || (n.parentId !== null && inside.has(n.parentId));
    if (keep) inside.add(n.orgId);
    return keep;
  });
  return { ...r, nodes, totalFen: nodes.reduce((s, n) => s + n.rewardsPaidFen, 0) };
};
