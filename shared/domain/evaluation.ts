/**
 * Evaluations and rewards (SPEC §4.5): pure rules. An evaluation is computed
 * from the stored nightly report of a checkpoint's date; this module turns
 * the report's nodes and the year's rules into one row per unit, office and
 * agency (never the root), with completion, pass, tier multiplier, reward and
 * rank. Money is integer fen, rates permille; the reward's product is taken
 * in BigInt (contributions × rate × multiplier passes 2^53 long before a
 * real fund does).
 */
import type { OrgKind } from './scope';

export interface Checkpoint {
  id: string;
  date: string;
  requiredCompletionPermille: number;
}

export interface Tier {
  minCompletionPermille: number;
  multiplierPermille: number;
}

export interface EvaluationRules {
  planIds: string[];
  checkpoints: Checkpoint[];
  rewardRatePermille: number;
  /** Ascending by minCompletionPermille. */
  tiers: Tier[];
}

/** What a row needs of a report node (SPEC §5 fields, per plan). */
export interface NodeFigures {
  orgId: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  enrolled: number;
  target: number | null;
  contributionsFen: number;
}

export interface EvaluationRow {
  orgId: string;
  name: string;
  kind: Exclude<OrgKind, 'federation'>;
  parentId: string | null;
  enrolled: number;
  target: number | null;
  completionPermille: number | null;
  requiredCompletionPermille: number;
  passed: boolean;
  contributionsFen: number;
  multiplierPermille: number;
  rewardFen: number;
  rank: number | null;
}

/** floor(enrolled × 1000 / target); null without a target or with a target of 0. */
export const completionOf = (enrolled: number, target: number | null): number | null =>
  target === null || target <= 0 ? null : Math.floor((enrolled * 1000) / target);

/** The multiplier of the highest tier whose minimum the completion reaches; 0 when none does or there is no completion. */
export const multiplierOf = (tiers: readonly Tier[], completion: number | null): number => {
  if (completion === null) return 0;
  let m = 0;
  for (const t of tiers) if (completion >= t.minCompletionPermille) m = t.multiplierPermille;
  return m;
};

/** floor(contributionsFen × rewardRatePermille × multiplierPermille / 1,000,000), exact for any size. */
export const rewardOf = (contributionsFen: number, rewardRatePermille: number, multiplierPermille: number): number =>
  Number((BigInt(contributionsFen) * BigInt(rewardRatePermille) * BigInt(multiplierPermille)) / 1_000_000n);

/** Standard competition ranking (1,2,2,4) by completion, descending; null completions are unranked (null). */
export const competitionRanks = (completions: readonly (number | null)[]): (number | null)[] => {
  const order = completions
    .map((c, i) => ({ c, i }))
    .filter((e): e is { c: number; i: number } => e.c !== null)
    .sort((a, b) => b.c - a.c);
  const ranks: (number | null)[] = completions.map(() => null);
  order.forEach((e, k) => {
    const prev = order[k - 1];
    ranks[e.i] = prev && prev.c === e.c ? ranks[prev.i]! : k + 1;
  });
  return ranks;
};

/** Units rank among units; offices and agencies (both intermediate nodes, SPEC §2) among each other. */
const rankGroup = (kind: OrgKind) => (kind === 'unit' ? 'unit' : 'office');

/**
 * The rows of an evaluation. `sections` are the report's plan sections (each
 * holds the whole tree); only those whose planId the rules name are summed.
 * The tree (names, parents, own targets) is taken from the first section, so a
 * report whose plans are all outside the rules still yields every node (with 0
 * enrolled). Rows keep the report's order (parents before children).
 */
export const evaluationRows = (
  sections: readonly { planId: string; nodes: readonly NodeFigures[] }[],
  rules: Pick<EvaluationRules, 'planIds' | 'rewardRatePermille' | 'tiers'>,
  checkpoint: Pick<Checkpoint, 'requiredCompletionPermille'>,
): EvaluationRow[] => {
  const tree = sections[0]?.nodes ?? [];
  const counted = sections.filter((s) => rules.planIds.includes(s.planId));
  const sums = new Map<string, { enrolled: number; contributionsFen: number }>();
  for (const s of counted) {
    for (const n of s.nodes) {
      const a = sums.get(n.orgId) ?? { enrolled: 0, contributionsFen: 0 };
      a.enrolled += n.enrolled;
      a.contributionsFen += n.contributionsFen;
      sums.set(n.orgId, a);
    }
  }
  const required = checkpoint.requiredCompletionPermille;
  const rows: EvaluationRow[] = [];
  for (const n of tree) {
    if (n.kind === 'federation') continue;
    const { enrolled, contributionsFen } = sums.get(n.orgId) ?? { enrolled: 0, contributionsFen: 0 };
    const completionPermille = completionOf(enrolled, n.target);
    const passed = completionPermille !== null && completionPermille >= required;
    const multiplierPermille = multiplierOf(rules.tiers, completionPermille);
    rows.push({
      orgId: n.orgId,
      name: n.name,
      kind: n.kind as EvaluationRow['kind'],
      parentId: n.parentId,
      enrolled,
      target: n.target,
      completionPermille,
      requiredCompletionPermille: required,
      passed,
      contributionsFen,
      multiplierPermille,
      rewardFen: passed ? rewardOf(contributionsFen, rules.rewardRatePermille, multiplierPermille) : 0,
      rank: null,
    });
  }
  for (const group of ['unit', 'office'] as const) {
    const members = rows.filter((r) => rankGroup(r.kind) === group);
    const ranks = competitionRanks(members.map((r) => r.completionPermille));
    members.forEach((r, i) => {
      r.rank = ranks[i]!;
    });
  }
  return rows;
};

export const totalReward = (rows: readonly Pick<EvaluationRow, 'rewardFen'>[]): number => rows.reduce((s, r) => s + r.rewardFen, 0);

/**
 * The rows of an org's subtree: the org and its descendants (by parentId).
 * An org that is not a row (the root, or one created after the evaluation)
 * reaches every row below it that is one — the root, all of them.
 */
export const cutRows = <R extends { orgId: string; parentId: string | null }>(
  rows: readonly R[],
  orgId: string,
  rootOrgId: string,
): R[] => {
  if (orgId === rootOrgId) return [...rows];
  const inside = new Set([orgId]);
  // Rows come parents before children (the report's order), so one pass suffices; a second guards any other order.
  for (let pass = 0; pass < 2; pass++) for (const r of rows) if (r.parentId !== null && inside.has(r.parentId)) inside.add(r.orgId);
  return rows.filter((r) => inside.has(r.orgId));
};
