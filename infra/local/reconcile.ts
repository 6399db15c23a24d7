/**
 * `npm run reconcile -- --plan <planId>`: recounts the plan's counters from
 * its enrolments and claims on the running local stack and prints every
 * drift (unit, field, counted, recorded). Exit 0 when none, 1 when any (or on
 * failure), 2 on bad usage. Reads every record of the plan: an operator
 * tool, never part of the nightly report.
 */
import { parseArgs } from 'node:util';
import { buildDeps } from '../../shared/deps';
import { reconcilePlan } from '../../shared/store/reconcile';
import { findRunningStack, useRunningStack } from './running';

const fail = (message: string, code = 1): never => {
  console.error(`huzhu reconcile: ${message}`);
  process.exit(code);
};

const { values } = parseArgs({ options: { plan: { type: 'string' } } });
if (!values.plan) fail('usage: npm run reconcile -- --plan <planId>', 2);
const stack = findRunningStack();
if (typeof stack === 'string') fail(stack);
useRunningStack(stack as Exclude<typeof stack, string>);
const deps = buildDeps();

try {
  if (!(await deps.plans.get(values.plan!))) fail(`plan ${values.plan} not found`, 2);
  const r = await reconcilePlan(deps.store, deps.config.rootOrgId, values.plan!);
  for (const d of r.drifts) console.log(`drift ${d.unitId} ${d.field}: counted ${d.counted}, recorded ${d.recorded}`);
  console.log(
    `reconcile ${r.planId}: ${r.units} units, ${r.enrolments} enrolments, ${r.claims} claims recounted; ${r.drifts.length === 0 ? 'no drift' : `${r.drifts.length} drift${r.drifts.length === 1 ? '' : 's'}`}`,
  );
  process.exit(r.drifts.length === 0 ? 0 : 1);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
