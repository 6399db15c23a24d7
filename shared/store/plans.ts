import type { Plan } from '../domain/plan';
import { getRecord, putNew, queryPage, type StoreContext } from './items';
import { inOrder, keys } from './keys';

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

export const planRepo = (ctx: StoreContext) => ({
  get: (id: string) => getRecord(ctx, keys.plan(id), decode),

  /** Plans are immutable: a second create with the same id is refused (AlreadyExists). */
  create: (p: PlanRecord) =>
    putNew(
      ctx,
      { ...keys.plan(p.id), gsi1pk: keys.planList, gsi1sk: keys.planListSort(p.coverageStart, p.id), entity: 'plan', ...p },
      { entity: 'plan', id: p.id },
    ),

  /** Newest coverage first; plans starting the same day by id, descending. */
  list: (limit: number, cursor?: string) =>
    queryPage(ctx, { index: 'gsi1', partition: keys.planList, limit, cursor, newestFirst: true }, decode),
});

export type PlanRepo = ReturnType<typeof planRepo>;
