/**
 * The reconciliation as the nightly job and `npm run reconcile` run it (SPEC §5): every plan asked for
 * (default: all), then every payment; with `repair`, the confirmed counter drifts corrected with an
 * audit item each (../store/reconcile.ts). Money drifts are only reported.
 */
import type { Deps } from '../deps';
import pLimit from 'p-limit';
import { plansCovering } from './generate';
import { queryAll } from '../store/items';
import { keys } from '../store/keys';
import {
  type CounterCorrection,
  type Drift,
  type Reconciliation,
  reconcilePayments,
  reconcilePlan,
  repairCounters,
} from '../store/reconcile';

export interface ReconcileRun {
  plans: Reconciliation[];
  payments: number;
  /** Payment drifts (plan-independent). */
  paymentDrifts: Drift[];
  inFlight: string[];
  corrections: CounterCorrection[];
  drifts: number;
}

export const runReconcile = async (
  deps: Deps,
  opts: { planIds?: string[]; repair?: boolean; by: string; recheckDelayMs?: number },
): Promise<ReconcileRun> => {
  const root = deps.config.rootOrgId;
  const planIds = opts.planIds ?? (await queryAll(deps.store, { index: 'gsi1', partition: keys.planList })).map((p) => String(p.id));
  const paths = new Map((await deps.orgs.subtree([root])).map((o) => [o.id, o.path]));
  const plans: Reconciliation[] = [];
  const corrections: CounterCorrection[] = [];
  for (const planId of planIds) {
    const r = await reconcilePlan(deps.store, root, planId, {
      ...(opts.recheckDelayMs === undefined ? {} : { recheckDelayMs: opts.recheckDelayMs }),
    });
    plans.push(r);
    if (opts.repair) corrections.push(...(await repairCounters(deps.store, r, { by: opts.by, at: deps.clock.now().toISOString() }, paths)));
  }
  const p = await reconcilePayments(deps.store);
  return {
    plans,
    payments: p.payments,
    paymentDrifts: p.drifts,
    inFlight: [...new Set([...plans.flatMap((x) => x.inFlight), ...p.inFlight])].sort(),
    corrections,
    drifts: plans.reduce((s, x) => s + x.drifts.length, 0) + p.drifts.length,
  };
};

/** One line per drift: ids and amounts only, never personal data. */
export const driftLine = (d: Drift, planId?: string) =>
  `drift ${planId ? `${planId} ` : ''}${d.entity} ${d.id} ${d.field}: expected ${d.expected}, actual ${d.actual}`;

/**
 * The nightly job's step before the report: reconcile and repair the plans the report reads. Drifts and
 * corrections are logged (ids and amounts only); a failure is logged too and the report still runs.
 */
export const nightlyReconcile = async (
  deps: Deps,
  date: string,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<ReconcileRun | undefined> => {
  try {
    const planIds = (await plansCovering(deps, date)).map((p) => p.id);
    const run = await runReconcile(deps, { planIds, repair: true, by: 'nightly-job' });
    for (const r of run.plans) for (const d of r.drifts) log('reconcile drift', { line: driftLine(d, r.planId) });
    for (const d of run.paymentDrifts) log('reconcile drift', { line: driftLine(d) });
    for (const c of run.corrections) log('counter repaired', { planId: c.planId, unitId: c.unitId, changes: c.changes });
    return run;
  } catch (e) {
    log('reconcile failed; the report runs anyway', { error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    return undefined;
  }
};

/**
 * The one-off migration to the sharded unit enrolment lists (shared/store/README.md "Hot partitions"):
 * every unit's enrolments still under the unsharded gsi1 key move to their shard. Idempotent; lists and the
 * reconciliation read the unsharded partition too, so nothing is missed before or during it.
 * `npm run reconcile -- --reindex` locally; in AWS, run the same function once after the deploy (a one-off
 * invocation against the table). Returns the units walked and the enrolments moved (0 on a second run).
 */
export const reindexEnrolments = async (deps: Deps): Promise<{ units: number; moved: number }> => {
  const units = (await deps.orgs.subtree([deps.config.rootOrgId])).filter((o) => o.kind === 'unit');
  const limit = pLimit(4);
  const moved = await Promise.all(units.map((u) => limit(() => deps.enrolments.reindexUnsharded(u.id))));
  return { units: units.length, moved: moved.reduce((a, b) => a + b, 0) };
};
