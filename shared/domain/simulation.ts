/**
 * Plan simulation (测算, SPEC §4.6), the pure part: replay a plan's approval
 * facts under some benefit rules, and reprice its enrolments from its
 * counters. Nothing here reads a member or a claim; the facts are what the
 * approval transaction wrote (shared/store/claimApproval.ts), one per
 * approval, read per enrolment in approval order.
 *
 * Banded plans: each fact's approved base is run through the §6.2 engine
 * (`computeBenefit`, floor once on the exact sum) with the enrolment's used
 * cap and deductible as the replay has accumulated them so far, so the
 * deductible and the cap apply afresh under the candidate.
 * Lump-sum plans: each fact's condition pays the rules' amount per share ×
 * shares, capped at capPerShareFen × shares − used (a condition the rules
 * do not list pays 0).
 *
 * Per-band figures: `eligibleFen` is the sum over claims of the part of the
 * eligible amount inside the band (one share's view, as §6.2 states bands);
 * `benefitFen` attributes each claim's benefit to its bands from the lowest
 * up (band i gets what the bands up to i pay, in exact 1/1000 fen × shares,
 * floored, less what the lower bands got; the cap and the floor take from
 * the highest), so the bands' benefits sum to the total exactly.
 */
import { computeBenefit } from './benefit';
import type { BandedRules, BenefitRules, LumpSumRules } from './plan';

/** What a replay needs of one approval fact (both kinds; absent `kind` = banded). */
export interface ReplayFact {
  enrolmentId: string;
  seq: number;
  shares: number;
  /** What the approval really paid (checked against the replay under the plan's own rules). */
  benefitFen: number;
  kind?: 'lump_sum';
  /** Banded: the approved base (selfPaidInScopeFen or the reviewer's lower adjustment). */
  baseFen?: number;
  /** Lump sum: the condition it paid. */
  conditionCode?: string;
}

export interface BandFigure {
  uptoFen: number | null;
  ratePermille: number;
  eligibleFen: number;
  benefitFen: number;
}

export interface ConditionFigure {
  code: string;
  amountPerShareFen: number;
  claims: number;
  benefitFen: number;
}

export interface ReplayTotals {
  claims: number;
  benefitsFen: number;
  /** Claims whose benefit the enrolment's cap cut (below what the bands or the amount alone would pay). */
  cappedClaims: number;
  /** Banded rules: one per band; lump sum: none. */
  bands: BandFigure[];
  /** Lump-sum rules: one per listed condition; banded: none. */
  conditions: ConditionFigure[];
}

/** Thrown when the facts cannot be replayed as given (out of order, of the other plan kind, incomplete). */
export class ReplayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayError';
  }
}

const isLumpSum = (r: BenefitRules): r is LumpSumRules => r.kind === 'lump_sum';

const safe = (what: string, v: number) => {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${what} exceeds the exact integer range`);
  return v;
};

/**
 * A streaming replay of one plan's facts under one set of rules. Facts of
 * one enrolment must come together and in ascending seq (the order of their
 * sort keys); enrolments may come in any order, so several replayers can
 * each take a range of enrolments and be merged (`mergeTotals`).
 */
export class Replayer {
  private readonly totals: ReplayTotals;
  private readonly amounts: Map<string, number>;
  private readonly conditionIndex: Map<string, number>;
  private current: string | undefined;
  private lastSeq = 0;
  private usedFen = 0;
  private deductibleUsedFen = 0;
  private readonly seen = new Set<string>();
  private readonly bandParts: number[];
  private readonly bandResults: number[];

  constructor(private readonly rules: BenefitRules) {
    this.amounts = new Map();
    this.conditionIndex = new Map();
    // Banded rules are checked once, by the engine itself (it throws RangeError on rules it would refuse).
    if (!isLumpSum(rules)) computeBenefit({ rules, shares: 1, baseFen: 0, usedFen: 0, deductibleUsedFen: 0 });
    this.bandParts = isLumpSum(rules) ? [] : rules.bands.map(() => 0);
    this.bandResults = isLumpSum(rules) ? [] : rules.bands.map(() => 0);
    if (isLumpSum(rules)) {
      rules.conditions.forEach((c, i) => {
        this.amounts.set(c.code, c.amountPerShareFen);
        this.conditionIndex.set(c.code, i);
      });
    }
    this.totals = {
      claims: 0,
      benefitsFen: 0,
      cappedClaims: 0,
      bands: isLumpSum(rules)
        ? []
        : rules.bands.map((b) => ({ uptoFen: b.uptoFen, ratePermille: b.ratePermille, eligibleFen: 0, benefitFen: 0 })),
      conditions: isLumpSum(rules)
        ? rules.conditions.map((c) => ({ code: c.code, amountPerShareFen: c.amountPerShareFen, claims: 0, benefitFen: 0 }))
        : [],
    };
  }

  /** Replays one fact and answers the benefit it pays under these rules. */
  push(f: ReplayFact): number {
    if (f.enrolmentId !== this.current) {
      if (this.seen.has(f.enrolmentId)) throw new ReplayError(`the facts of enrolment ${f.enrolmentId} are not together`);
      this.seen.add(f.enrolmentId);
      this.current = f.enrolmentId;
      this.lastSeq = 0;
      this.usedFen = 0;
      this.deductibleUsedFen = 0;
    }
    if (!(f.seq > this.lastSeq)) throw new ReplayError(`the facts of enrolment ${f.enrolmentId} are not in approval order`);
    this.lastSeq = f.seq;
    const benefit = isLumpSum(this.rules) ? this.lumpSum(f, this.rules) : this.banded(f, this.rules);
    this.usedFen = safe('usedFen', this.usedFen + benefit);
    this.totals.claims++;
    this.totals.benefitsFen = safe('benefitsFen', this.totals.benefitsFen + benefit);
    return benefit;
  }

  /**
   * computeBenefit's arithmetic (shared/domain/benefit.ts: the same operations in the same order, rules validated once
   * in the constructor by computeBenefit itself) without building its breakdown: a replay of a million facts makes no
   * object per fact. The band parts and results go to two arrays reused for every fact.
   */
  private banded(f: ReplayFact, rules: BandedRules): number {
    if (f.kind === 'lump_sum' || f.baseFen === undefined) throw new ReplayError('a lump-sum fact cannot be replayed under banded rules');
    const { shares, baseFen } = f;
    if (!Number.isSafeInteger(shares) || shares < 1) throw new RangeError('shares must be a safe integer ≥ 1');
    if (!Number.isSafeInteger(baseFen) || baseFen < 0) throw new RangeError('baseFen must be a safe integer ≥ 0');
    const perStay = rules.deductibleBasis === 'per_stay';
    const deductibleAppliedFen = perStay ? rules.deductibleFen : Math.max(0, rules.deductibleFen - this.deductibleUsedFen);
    const eligibleFen = Math.max(0, baseFen - deductibleAppliedFen);
    const parts = this.bandParts;
    const results = this.bandResults;
    let fromFen = 0;
    let sumPermilleFen = 0;
    for (let i = 0; i < rules.bands.length; i++) {
      const { uptoFen, ratePermille } = rules.bands[i]!;
      const top = uptoFen === null ? eligibleFen : Math.min(eligibleFen, uptoFen);
      const partFen = Math.max(0, top - fromFen);
      const resultPermilleFen = safe('band result', partFen * ratePermille);
      sumPermilleFen = safe('banded sum', sumPermilleFen + resultPermilleFen);
      parts[i] = partFen;
      results[i] = resultPermilleFen;
      if (uptoFen !== null) fromFen = uptoFen;
    }
    const bandedFen = (sumPermilleFen - (sumPermilleFen % 1000)) / 1000;
    const capFen = safe('capFen', rules.capPerShareFen * shares);
    const capRemainingBeforeFen = Math.max(0, capFen - this.usedFen);
    const bandedTimesShares = safe('banded × shares', bandedFen * shares);
    const benefitFen = Math.min(bandedTimesShares, capRemainingBeforeFen);
    this.deductibleUsedFen += perStay ? 0 : Math.min(deductibleAppliedFen, baseFen);
    if (benefitFen < bandedTimesShares) this.totals.cappedClaims++;
    // Attribute the benefit to the bands from the lowest up (see the module comment).
    let cumulative = 0;
    let given = 0;
    for (let i = 0; i < parts.length; i++) {
      const figure = this.totals.bands[i]!;
      figure.eligibleFen = safe('band eligibleFen', figure.eligibleFen + parts[i]!);
      cumulative = safe('band cumulative', cumulative + results[i]! * shares);
      const upTo = Math.min(benefitFen, Math.floor(cumulative / 1000));
      figure.benefitFen = safe('band benefitFen', figure.benefitFen + (upTo - given));
      given = upTo;
    }
    return benefitFen;
  }

  private lumpSum(f: ReplayFact, rules: LumpSumRules): number {
    if (f.kind !== 'lump_sum' || f.conditionCode === undefined)
      throw new ReplayError('a banded fact cannot be replayed under lump-sum rules');
    // computeLumpSum's arithmetic (shared/domain/explanation.ts) without its explanation lines: min(amount × shares, cap − used).
    const amount = this.amounts.get(f.conditionCode) ?? 0;
    const beforeCap = safe('amountPerShareFen × shares', amount * f.shares);
    const capFen = safe('capFen', rules.capPerShareFen * f.shares);
    const benefit = Math.min(beforeCap, Math.max(0, capFen - this.usedFen));
    if (benefit < beforeCap) this.totals.cappedClaims++;
    const i = this.conditionIndex.get(f.conditionCode);
    if (i !== undefined) {
      const c = this.totals.conditions[i]!;
      c.claims++;
      c.benefitFen = safe('condition benefitFen', c.benefitFen + benefit);
    }
    return benefit;
  }

  result(): ReplayTotals {
    return structuredClone(this.totals);
  }
}

/** Sums replays of disjoint sets of enrolments under the same rules. */
export const mergeTotals = (a: ReplayTotals, b: ReplayTotals): ReplayTotals => ({
  claims: a.claims + b.claims,
  benefitsFen: safe('benefitsFen', a.benefitsFen + b.benefitsFen),
  cappedClaims: a.cappedClaims + b.cappedClaims,
  bands: a.bands.map((x, i) => ({
    ...x,
    eligibleFen: safe('band eligibleFen', x.eligibleFen + b.bands[i]!.eligibleFen),
    benefitFen: safe('band benefitFen', x.benefitFen + b.bands[i]!.benefitFen),
  })),
  conditions: a.conditions.map((x, i) => ({
    ...x,
    claims: x.claims + b.conditions[i]!.claims,
    benefitFen: safe('condition benefitFen', x.benefitFen + b.conditions[i]!.benefitFen),
  })),
});

/** Replays a whole list of facts (grouped per enrolment, ascending seq) under `rules`. */
export const replay = (rules: BenefitRules, facts: Iterable<ReplayFact>): ReplayTotals => {
  const r = new Replayer(rules);
  for (const f of facts) r.push(f);
  return r.result();
};

/** What the counters say of the whole plan (summed over its units; SPEC §5 fields + sharesNew/sharesRenewal). */
export interface PlanTotals {
  enrolled: number;
  sharesNew: number;
  sharesRenewal: number;
  contributionsFen: number;
  claimsApproved: number;
  benefitsApprovedFen: number;
}

export interface Prices {
  contributionPerShareFen: number;
  /** Absent: contributionPerShareFen. */
  renewalContributionPerShareFen?: number | undefined;
}

export interface Figures {
  enrolments: number;
  contributionsFen: number;
  benefitsFen: number;
  /** floor(benefits × 1000 / contributions); null when contributions are 0. */
  lossRatioPermille: number | null;
  poolFen: number;
  cappedClaims: number;
  bands: BandFigure[];
  conditions?: ConditionFigure[];
}

export interface SimulationResult {
  enrolments: number;
  claims: number;
  actual: Figures;
  candidate: Figures & { alert: boolean };
  difference: { contributionsFen: number; benefitsFen: number; lossRatioPermille: number | null };
}

/** floor(a × b / c) exactly, for non-negative a and c > 0 (BigInt: no product is rounded). */
const mulDiv = (what: string, a: number, b: number, c: number): number => {
  const v = (BigInt(a) * BigInt(b)) / BigInt(c);
  return safe(what, Number(v));
};

export const lossRatio = (benefitsFen: number, contributionsFen: number): number | null =>
  contributionsFen > 0 ? mulDiv('lossRatioPermille', benefitsFen, 1000, contributionsFen) : null;

/** What the plan's shares cost at these prices: new shares at the price, renewing shares at the renewal price. */
export const priceShares = (t: Pick<PlanTotals, 'sharesNew' | 'sharesRenewal'>, p: Prices): number =>
  safe(
    'contributionsFen',
    Number(
      BigInt(t.sharesNew) * BigInt(p.contributionPerShareFen) +
        BigInt(t.sharesRenewal) * BigInt(p.renewalContributionPerShareFen ?? p.contributionPerShareFen),
    ),
  );

/** Scales a non-negative figure by (1000 + change) ‰, floored (enrolmentChangePermille ≥ −1000). */
export const scale = (what: string, v: number, changePermille: number): number => mulDiv(what, v, 1000 + changePermille, 1000);

const figures = (enrolments: number, contributionsFen: number, t: ReplayTotals, benefitsFen: number): Figures => ({
  enrolments,
  contributionsFen,
  benefitsFen,
  lossRatioPermille: lossRatio(benefitsFen, contributionsFen),
  poolFen: contributionsFen - benefitsFen,
  cappedClaims: t.cappedClaims,
  bands: t.bands,
  ...(t.conditions.length > 0 ? { conditions: t.conditions } : {}),
});

/**
 * The §4.6 answer from the two replays and the counters. `actual` is the plan
 * as it is (contributions as counted, benefits as replayed under its own
 * rules); `candidate` prices the same shares at the candidate prices and
 * takes the candidate replay, both scaled by enrolmentChangePermille
 * (enrolments, contributions and benefits; bands, conditions and
 * cappedClaims describe the replay of the real claims, unscaled).
 */
export const simulationResult = (input: {
  totals: PlanTotals;
  actual: ReplayTotals;
  candidate: ReplayTotals;
  candidatePrices: Prices;
  enrolmentChangePermille: number;
}): SimulationResult => {
  const { totals, actual, candidate, candidatePrices } = input;
  const change = input.enrolmentChangePermille;
  if (!Number.isSafeInteger(change) || change < -1000) throw new RangeError('enrolmentChangePermille must be an integer ≥ −1000');
  const a = figures(totals.enrolled, totals.contributionsFen, actual, actual.benefitsFen);
  const contributions = scale('contributionsFen', priceShares(totals, candidatePrices), change);
  const benefits = scale('benefitsFen', candidate.benefitsFen, change);
  const c = figures(scale('enrolments', totals.enrolled, change), contributions, candidate, benefits);
  const alert = c.lossRatioPermille === null ? c.benefitsFen > 0 : c.lossRatioPermille > 1000;
  return {
    enrolments: totals.enrolled,
    claims: actual.claims,
    actual: a,
    candidate: { ...c, alert },
    difference: {
      contributionsFen: c.contributionsFen - a.contributionsFen,
      benefitsFen: c.benefitsFen - a.benefitsFen,
      lossRatioPermille: c.lossRatioPermille === null || a.lossRatioPermille === null ? null : c.lossRatioPermille - a.lossRatioPermille,
    },
  };
};

/** One disagreement of the built-in check (SPEC §4.6: `actual` recomputed must equal the plan's real totals). */
export interface Mismatch {
  field: 'benefitsApprovedFen' | 'claimsApproved' | 'contributionsFen' | 'factBenefits' | 'factsDiffering';
  /** What the counters (for factBenefits: Σ the benefits the facts record; for factsDiffering: 0) say. */
  recorded: number;
  /** What the replay / repricing gives. */
  recomputed: number;
}

/**
 * The built-in check: the replay under the plan's own rules against the
 * counters (approved benefits and claims), each fact's recorded benefit
 * against its replay (`factBenefitsFen`: Σ of the benefits the facts record;
 * `factsDiffering`: how many facts' own benefit differs from their replay),
 * and the shares at the plan's prices against the counted contributions.
 */
export const checkActual = (input: {
  totals: PlanTotals;
  actual: ReplayTotals;
  factBenefitsFen: number;
  factsDiffering: number;
  planPrices: Prices;
}): Mismatch[] => {
  const { totals, actual } = input;
  const out: Mismatch[] = [];
  if (actual.benefitsFen !== totals.benefitsApprovedFen)
    out.push({ field: 'benefitsApprovedFen', recorded: totals.benefitsApprovedFen, recomputed: actual.benefitsFen });
  if (actual.claims !== totals.claimsApproved)
    out.push({ field: 'claimsApproved', recorded: totals.claimsApproved, recomputed: actual.claims });
  if (input.factBenefitsFen !== actual.benefitsFen)
    out.push({ field: 'factBenefits', recorded: input.factBenefitsFen, recomputed: actual.benefitsFen });
  if (input.factsDiffering !== 0) out.push({ field: 'factsDiffering', recorded: 0, recomputed: input.factsDiffering });
  const priced = priceShares(totals, input.planPrices);
  if (priced !== totals.contributionsFen) out.push({ field: 'contributionsFen', recorded: totals.contributionsFen, recomputed: priced });
  return out;
};
