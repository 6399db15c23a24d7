/**
 * Plan simulation (测算, SPEC §4.6), the steps: read the plan's totals from its
 * counters and its approval facts, replay the facts under the plan's own rules
 * and under the candidate in one pass, check the replay of the plan's own
 * rules against the counters (the built-in check), and answer the figures.
 * Callable from the handler, a seed script or a benchmark alike (a
 * StoreContext and a plan are all it needs).
 *
 * Cost: the counters (units × shards × days since the latest snapshot, as the
 * report reads them) twice, and the plan's approval facts once — it grows
 * with the plan's claims, never with its members.
 *
 * Candidates: a banded plan takes banded rules (the SPEC's `benefit`); a
 * lump-sum plan takes lump-sum rules (`kind: "lump_sum"`, conditions with
 * their amounts per share, cap per share): each approved condition is paid
 * again at the candidate's amount for its code (0 if the candidate drops the
 * code; a condition the plan did not list has no history to replay), under
 * the candidate's cap. A candidate of the other kind is refused
 * (BenefitKindMismatch): the facts of one kind cannot be judged by the
 * other's rules.
 */
import {
  checkActual,
  type Mismatch,
  mergeTotals,
  type PlanTotals,
  type Prices,
  ReplayError,
  Replayer,
  type ReplayTotals,
  type SimulationResult,
  simulationResult,
} from '../domain/simulation';
import { type BenefitRules, type Plan, planKindOf } from '../domain/plan';
import { MAX_FACT_RANGES, type ReadCount, readApprovalFacts } from '../store/approvalFacts';
import { readPlanCountersAsOf } from '../store/counters';
import type { StoreContext } from '../store/items';

export interface SimulationRequest extends Prices {
  benefit: BenefitRules;
  /** Default 0; ≥ −1000. */
  enrolmentChangePermille?: number | undefined;
}

export type Simulation = { planId: string } & SimulationResult;

/** The candidate's benefit is of the other plan kind. */
export class BenefitKindMismatch extends Error {
  constructor(
    readonly planKind: string,
    readonly candidateKind: string,
  ) {
    super(`a ${planKind} plan cannot be simulated with ${candidateKind} rules`);
    this.name = 'BenefitKindMismatch';
  }
}

/** The candidate's figures leave the exact integer range (absurd prices or amounts). */
export class SimulationOutOfRange extends Error {
  constructor(options?: ErrorOptions) {
    super('the candidate’s figures exceed the exact integer range', options);
    this.name = 'SimulationOutOfRange';
  }
}

/** The built-in check failed: the plan's records disagree with its counters (a drift reconcile names). */
export class SimulationMismatch extends Error {
  constructor(
    readonly planId: string,
    readonly mismatches: Mismatch[],
    options?: ErrorOptions,
  ) {
    super(`plan ${planId}: the replay of its approvals disagrees with its counters`, options);
    this.name = 'SimulationMismatch';
  }
}

/** Approvals, enrolments or payments kept landing while the plan was read: no consistent picture. */
export class SimulationBusy extends Error {
  constructor(readonly planId: string) {
    super(`plan ${planId} kept changing while it was read`);
    this.name = 'SimulationBusy';
  }
}

const FAR_FUTURE = '9999-12-31';

/** The plan's current totals: every unit's counters summed (the report's read, up to the far future). */
export const readPlanTotals = async (ctx: StoreContext, planId: string, counted?: ReadCount): Promise<PlanTotals> => {
  const { sums } = await readPlanCountersAsOf(ctx, planId, FAR_FUTURE, counted);
  const t: PlanTotals = { enrolled: 0, sharesNew: 0, sharesRenewal: 0, contributionsFen: 0, claimsApproved: 0, benefitsApprovedFen: 0 };
  for (const sum of sums.values()) for (const f of Object.keys(t) as (keyof PlanTotals)[]) t[f] += sum[f] ?? 0;
  return t;
};

const sameTotals = (a: PlanTotals, b: PlanTotals) => (Object.keys(a) as (keyof PlanTotals)[]).every((k) => a[k] === b[k]);

/** Facts per key range the read aims at: about one 1 MB page of facts (≈ 3,000 of them). */
const FACTS_PER_RANGE = 2000;

/** Ranges for a plan of `claims` approvals: about one page each, at least 4, at most every two-character prefix. */
export const rangesFor = (claims: number) => Math.max(4, Math.min(MAX_FACT_RANGES, Math.ceil(claims / FACTS_PER_RANGE)));

export interface SimulateOptions {
  /** Key ranges of the facts partition (default: rangesFor the counted approvals), read eight at a time. */
  segments?: number;
  /** Tallies DynamoDB calls and items read (tests, the benchmark). */
  counted?: ReadCount;
  /** Reads of the whole picture before giving up (default 3); a failed check or a change meanwhile reads again. */
  attempts?: number;
  pauseMs?: number;
}

interface Pass {
  actual: ReplayTotals;
  candidate: ReplayTotals;
  factBenefitsFen: number;
  factsDiffering: number;
}

/** One pass over the facts: both replays at once, and each fact's benefit against its replay. */
const replayPass = async (
  ctx: StoreContext,
  plan: Plan,
  candidate: BenefitRules,
  segments: number,
  opts: SimulateOptions,
): Promise<Pass> => {
  const ranges: { actual: Replayer; candidate: Replayer; factBenefitsFen: number; factsDiffering: number }[] = [];
  await readApprovalFacts(
    ctx,
    plan.id,
    (i) => {
      const r = { actual: new Replayer(plan.benefit), candidate: new Replayer(candidate), factBenefitsFen: 0, factsDiffering: 0 };
      ranges[i] = r;
      return (f) => {
        const paid = r.actual.push(f);
        if (paid !== f.benefitFen) r.factsDiffering++;
        r.factBenefitsFen += f.benefitFen;
        r.candidate.push(f);
      };
    },
    { segments, ...(opts.counted ? { counted: opts.counted } : {}) },
  );
  const [first, ...rest] = ranges;
  let actual = first!.actual.result();
  let cand = first!.candidate.result();
  let factBenefitsFen = first!.factBenefitsFen;
  let factsDiffering = first!.factsDiffering;
  for (const r of rest) {
    actual = mergeTotals(actual, r.actual.result());
    cand = mergeTotals(cand, r.candidate.result());
    factBenefitsFen += r.factBenefitsFen;
    factsDiffering += r.factsDiffering;
  }
  return { actual, candidate: cand, factBenefitsFen, factsDiffering };
};

export const simulatePlan = async (
  ctx: StoreContext,
  plan: Plan,
  req: SimulationRequest,
  opts: SimulateOptions = {},
): Promise<Simulation> => {
  const planKind = planKindOf(plan.benefit);
  const candidateKind = planKindOf(req.benefit);
  if (planKind !== candidateKind) throw new BenefitKindMismatch(planKind, candidateKind);
  const attempts = opts.attempts ?? 3;
  let lastMismatch: Mismatch[] | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((r) => setTimeout(r, (opts.pauseMs ?? 200) * attempt));
    const before = await readPlanTotals(ctx, plan.id, opts.counted);
    let pass: Pass;
    try {
      pass = await replayPass(ctx, plan, req.benefit, opts.segments ?? rangesFor(before.claimsApproved), opts);
    } catch (e) {
      // Facts that cannot be replayed (one of the other kind, a broken order) are records out of shape: the check failed.
      if (e instanceof ReplayError) {
        lastMismatch = [];
        continue;
      }
      if (e instanceof RangeError) throw new SimulationOutOfRange({ cause: e });
      throw e;
    }
    const after = await readPlanTotals(ctx, plan.id, opts.counted);
    // Something landed meanwhile (an approval, an enrolment): the picture is not one moment; read again.
    if (!sameTotals(before, after)) continue;
    const mismatches = checkActual({
      totals: after,
      actual: pass.actual,
      factBenefitsFen: pass.factBenefitsFen,
      factsDiffering: pass.factsDiffering,
      planPrices: plan,
    });
    if (mismatches.length > 0) {
      lastMismatch = mismatches;
      continue;
    }
    try {
      return {
        planId: plan.id,
        ...simulationResult({
          totals: after,
          actual: pass.actual,
          candidate: pass.candidate,
          candidatePrices: req,
          enrolmentChangePermille: req.enrolmentChangePermille ?? 0,
        }),
      };
    } catch (e) {
      if (e instanceof RangeError) throw new SimulationOutOfRange({ cause: e });
      throw e;
    }
  }
  if (lastMismatch) throw new SimulationMismatch(plan.id, lastMismatch);
  throw new SimulationBusy(plan.id);
};
