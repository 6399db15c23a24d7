import type { Plan } from '../domain/plan';
import type { TransactItem } from './counters';
import { createNew, getRecord, queryPage, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';

export interface PlanRecord extends Plan {
  predecessorPlanId: string | null;
  createdAt: string;
  createdBy: string;
}

/**
 * The benefit rules' fields in SPEC §4.2's order, nested lists included:
 * DynamoDB keeps no attribute order inside a map either, and a creation
 * answers (and its Idempotency-Key replays) the plan before any read of it.
 */
const benefitOrder = inOrder<Record<string, unknown>>([
  'kind',
  'deductibleFen',
  'deductibleBasis',
  'bands',
  'conditions',
  'capPerShareFen',
]);
const bandOrder = inOrder<Record<string, unknown>>(['uptoFen', 'ratePermille']);
const conditionOrder = inOrder<Record<string, unknown>>(['code', 'name', 'amountPerShareFen']);
const orderBenefit = (b: Record<string, unknown>) => {
  const out = benefitOrder(b);
  if (Array.isArray(out.bands)) out.bands = out.bands.map(bandOrder);
  if (Array.isArray(out.conditions)) out.conditions = out.conditions.map(conditionOrder);
  return out;
};

/** The order fields are answered in: as SPEC §4.2 lists them. */
const topOrder = inOrder<PlanRecord>([
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
const decode = (item: Record<string, unknown>): PlanRecord => {
  const p = topOrder(item);
  return { ...p, benefit: orderBenefit(p.benefit as unknown as Record<string, unknown>) as unknown as PlanRecord['benefit'] };
};

const planItem = (p: PlanRecord) =>
  itemOf(keys.plan(p.id), { gsi1pk: keys.planList, gsi1sk: keys.planListSort(p.coverageStart, p.id), entity: 'plan', ...p });

/** A plan as a read answers it (fields in SPEC order): what a creation answers before writing it. */
export const planAsStored = (p: PlanRecord): PlanRecord => decode(JSON.parse(JSON.stringify(planItem(p))));

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

  /** Plans are immutable: a second create with the same id is refused (AlreadyExists). `extra` items share its transaction. */
  create: (p: PlanRecord, extra: TransactItem[] = []) => createNew(ctx, planItem(p), { entity: 'plan', id: p.id }, extra),

  /** Newest coverage first; plans starting the same day by id, descending. */
  list: (limit: number, cursor?: string) =>
    queryPage(ctx, { index: 'gsi1', partition: keys.planList, limit, cursor, newestFirst: true }, decode),
});

export type PlanRepo = ReturnType<typeof planRepo>;
