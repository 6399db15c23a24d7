import type { Plan } from '../domain/plan';
import { getRecord, putNew, queryPage, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';

export interface PlanRecord extends Plan {
  predecessorPlanId: string | null;
  createdAt: string;
  createdBy: string;
}

/** The order fields are answered in: as SPEC §4.2 lists them. */
const decode = inOrder<PlanRecord>([
  'id',
  'name',
  'coverageStart',
  'coverageEnd',
  'enrolmentOpen',
  'enrolmentClose',
  'contributionPerShareFen',
  'renewalContributionPerShareFen',
  'maxShares',
  'waitingDays',
  'minAge',
  'maxAge',
  'predecessorPlanId',
  'minUnitParticipationPermille',
  'benefit',
  'claimDeadlineDays',
  'createdAt',
  'createdBy',
]);

/**
 * Plans are immutable once created (SPEC §4.2), so a plan read once is kept
 * for the life of the container: every enrolment, filing and approval needs
 * its plan, and this saves each of them a read. Only found plans are kept.
 */
const known = new Map<string, PlanRecord>();

export const planRepo = (ctx: StoreContext) => ({
  async get(id: string): Promise<PlanRecord | undefined> {
    const key = `${ctx.tableName}\u0000${id}`;
    const hit = known.get(key);
    if (hit) return hit;
    const plan = await getRecord(ctx, keys.plan(id), decode);
    if (plan) known.set(key, plan);
    return plan;
  },

  /** Plans are immutable: a second create with the same id is refused (AlreadyExists). */
  create: (p: PlanRecord) =>
    putNew(
      ctx,
      itemOf(keys.plan(p.id), { gsi1pk: keys.planList, gsi1sk: keys.planListSort(p.coverageStart, p.id), entity: 'plan', ...p }),
      { entity: 'plan', id: p.id },
    ),

  /** Newest coverage first; plans starting the same day by id, descending. */
  list: (limit: number, cursor?: string) =>
    queryPage(ctx, { index: 'gsi1', partition: keys.planList, limit, cursor, newestFirst: true }, decode),
});

export type PlanRepo = ReturnType<typeof planRepo>;
