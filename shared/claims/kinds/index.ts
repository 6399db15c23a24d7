import { type PlanKindName, planKindOf, type Plan } from '../../domain/plan';
import type { ClaimRecord } from '../../store/claimRecord';
import { bandedKind } from './banded';
import { lumpSumKind } from './lumpSum';
import type { ClaimKind } from './types';

export type { ClaimKind } from './types';

/**
 * THE place that decides per plan kind (SPEC §4.2): a plan's `benefit.kind`
 * names its module here. Adding a kind is a module and a line in this table.
 */
// biome-ignore lint/suspicious/noExplicitAny: each kind checks its own body (bodyOf) before file() reads it
const KINDS: { [K in PlanKindName]: ClaimKind<Extract<ClaimRecord, { kind: K }>, any> } = {
  banded: bandedKind,
  lump_sum: lumpSumKind,
};

/** The kind of claims a plan takes. */
export const kindOfPlan = (plan: Plan): ClaimKind<ClaimRecord, unknown> =>
  KINDS[planKindOf(plan.benefit)] as unknown as ClaimKind<ClaimRecord, unknown>;

/** The kind a stored claim was filed under. */
export const kindOfClaim = (c: ClaimRecord): ClaimKind<ClaimRecord, unknown> => KINDS[c.kind] as unknown as ClaimKind<ClaimRecord, unknown>;
