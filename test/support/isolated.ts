import { ulid } from 'ulid';
import { bootstrapStore } from '../../infra/local/bootstrap';
import { type Clock, fixedClock } from '../../shared/clock';
import { buildDeps, type Deps } from '../../shared/deps';
import type { RouteName } from '../../shared/http/routes';
import { type Call, invoke } from './invoke';

/**
 * A table of its own with a root of its own, in the shared DynamoDB Local.
 * For tests that read the whole tree (the nightly report, reconciliation):
 * on the shared table every other test file's orgs would be in it, and they
 * are being created while the test runs.
 */
export const isolatedStore = async (name: string, opts: { rootOrgName?: string } = {}) => {
  const base = buildDeps();
  const suffix = ulid().toLowerCase().slice(-10);
  const config = { ...base.config, tableName: `huzhu-${name}-${suffix}`, rootOrgId: `${name}-root-${suffix}` };
  await bootstrapStore(base.ddb, config.tableName, config.rootOrgId, new Date(), opts.rootOrgName);
  const deps = (clock: Clock = fixedClock('2026-03-10T04:00:00Z'), over: Partial<Deps> = {}) =>
    buildDeps({ config, ddb: base.ddb, clock, ...over });
  /** invoke() against this table; the clock defaults to 2026-03-10 noon Shanghai (enrolment open). */
  const call = (route: RouteName, c: Call & { clock?: Clock } = {}) =>
    invoke(route, { ...c, deps: { config, ...(c.clock ? { clock: c.clock } : { clock: fixedClock('2026-03-10T04:00:00Z') }), ...c.deps } });
  return { config, rootId: config.rootOrgId, deps, call };
};
