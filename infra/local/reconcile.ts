/**
 * `npm run reconcile -- --reindex`: first moves enrolments written before the unit list was sharded to their
 * shard (idempotent; prints how many), then reconciles as below.
 *
 * `npm run reconcile -- [--plan <planId>] [--repair]`: recounts the plan's (default: every plan's)
 * counters from its records and checks the money invariants (SPEC §5, shared/store/reconcile.ts) on the
 * running local stack, then every payment against its claims. Prints every drift
 * (`drift <plan> <entity> <id> <field>: expected X, actual Y`); with --repair corrects the counter drifts
 * (each with an audit item) — never a claim's or an enrolment's money. Exit 0 when no drift is left
 * (repaired counters count as fixed), 1 when any (or on failure), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { buildDeps } from '../../shared/deps';
import { driftLine, reindexEnrolments, runReconcile } from '../../shared/report/reconcileRun';
import { findRunningStack, useRunningStack } from './running';

const fail = (message: string, code = 1): never => {
  console.error(`huzhu reconcile: ${message}`);
  process.exit(code);
};

const { values } = parseArgs({
  options: {
    plan: { type: 'string' },
    repair: { type: 'boolean', default: false },
    reindex: { type: 'boolean', default: false },
  },
});
const stack = findRunningStack();
if (typeof stack === 'string') fail(stack);
useRunningStack(stack as Exclude<typeof stack, string>);
const deps = buildDeps();

try {
  if (values.reindex) {
    const r = await reindexEnrolments(deps);
    console.log(`reindex: ${r.units} units, ${r.moved} enrolments moved to their shard`);
  }
  if (values.plan && !(await deps.plans.get(values.plan))) fail(`plan ${values.plan} not found`, 2);
  const run = await runReconcile(deps, { ...(values.plan ? { planIds: [values.plan] } : {}), repair: values.repair, by: 'cli:reconcile' });
  for (const r of run.plans) for (const d of r.drifts) console.log(driftLine(d, r.planId));
  for (const d of run.paymentDrifts) console.log(driftLine(d));
  for (const c of run.corrections)
    console.log(`repaired ${c.planId} counter ${c.unitId}: ${c.changes.map((x) => `${x.field} ${x.from}→${x.to}`).join(', ')}`);
  if (run.inFlight.length) console.log(`in flight (payment not final, not judged): ${run.inFlight.length} claims`);
  for (const r of run.plans) {
    const n = r.drifts.length;
    console.log(
      `reconcile ${r.planId}: ${r.units} units, ${r.enrolments} enrolments, ${r.claims} claims recounted; ${n === 0 ? 'no drift' : `${n} drift${n === 1 ? '' : 's'}`}`,
    );
  }
  console.log(`payments: ${run.payments} checked; ${run.paymentDrifts.length === 0 ? 'no drift' : `${run.paymentDrifts.length} drifts`}`);
  const repaired = run.corrections.reduce((s, c) => s + c.changes.length, 0);
  process.exit(run.drifts - repaired === 0 ? 0 : 1);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
