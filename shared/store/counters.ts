import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { SUMMED, type UnitPlanCounters } from '../domain/report';
import type { StoreContext } from './items';
import { queryAll } from './items';
import { KEY_ATTRIBUTES, keys } from './keys';

/**
 * Exact counters (SPEC §5: the nightly report reads only these). Every change
 * to what they count moves them in the same transaction. A counter family is a
 * set of numeric attributes on a few items (shards) that share a partition and
 * a sort-key prefix: a writer picks a shard, a reader sums them all, so
 * parallel writers (roster chunks, approvals) rarely contend on one item.
 *
 * A delta names attributes freely; per-key tallies are flattened into
 * attribute names `<map>@<key>` (e.g. `openSubmitted@2026-03-10`), because
 * DynamoDB's ADD cannot create a nested map path that does not exist yet.
 */
export const COUNTER_SHARDS = 8;

export type CounterDelta = Readonly<Record<string, number>>;
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** One transaction item that ADDs `delta` to a counter item (created on first use), setting `labels` too. */
export const counterAdd = (
  tableName: string,
  key: { pk: string; sk: string },
  delta: CounterDelta,
  labels: Record<string, string>,
): TransactItem => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const adds: string[] = [];
  Object.entries(labels).forEach(([k, v], i) => {
    names[`#l${i}`] = k;
    values[`:l${i}`] = v;
    sets.push(`#l${i} = :l${i}`);
  });
  Object.entries(delta).forEach(([k, v], i) => {
    if (!Number.isSafeInteger(v)) throw new RangeError(`counter delta ${k} must be an integer`);
    names[`#c${i}`] = k;
    values[`:c${i}`] = v;
    adds.push(`#c${i} :c${i}`);
  });
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
};

const LABELS = new Set<string>([...KEY_ATTRIBUTES, 'unitId', 'planId', 'path']);

/** Sums the numeric attributes of counter items (labels and keys skipped). */
export const sumCounters = (items: Record<string, unknown>[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(item)) {
      if (LABELS.has(k) || typeof v !== 'number') continue;
      out[k] = (out[k] ?? 0) + v;
    }
  }
  return out;
};

/** The per-key tallies `<map>@<key>` of summed counters, as a record (zero entries dropped). */
export const tallies = (sum: Record<string, number>, map: string): Record<string, number> => {
  const out: Record<string, number> = {};
  const prefix = `${map}@`;
  for (const [k, v] of Object.entries(sum)) if (k.startsWith(prefix) && v !== 0) out[k.slice(prefix.length)] = v;
  return out;
};

// ---- The unit × plan family: everything the nightly report needs about one unit in one plan. ----

/** A unit as counters see it: its id and its path from the root (for subtree reads). */
export interface CountedUnit {
  id: string;
  path: readonly string[];
}

/**
 * The ADD of a unit/plan counter shard. Items also carry gsi2 keys
 * (`COUNTERS#<plan>`, `<unit path>/#<shard>`), so a report reads a plan's
 * counters for a whole subtree with one Query.
 */
export const unitPlanCounterAdd = (
  tableName: string,
  unit: CountedUnit,
  planId: string,
  shard: number,
  delta: CounterDelta,
): TransactItem => {
  const s = ((shard % COUNTER_SHARDS) + COUNTER_SHARDS) % COUNTER_SHARDS;
  return counterAdd(tableName, keys.unitPlanCounter(unit.id, planId, s), delta, {
    entity: 'counter',
    unitId: unit.id,
    planId,
    gsi2pk: keys.planCounters(planId),
    gsi2sk: keys.planCounterSort(unit.path, s),
  });
};

export const randomShard = () => Math.floor(Math.random() * COUNTER_SHARDS);

/** A unit's summed counters in a plan (strongly consistent). */
export const readUnitPlanCounters = async (ctx: StoreContext, unitId: string, planId: string): Promise<Record<string, number>> =>
  sumCounters(await queryAll(ctx, { index: null, partition: keys.org(unitId).pk, sortPrefix: keys.unitPlanCounterPrefix(planId) }, true));

/** Every unit's summed counters in a plan under an org path (the report's one read per plan). */
export const readPlanCountersUnder = async (
  ctx: StoreContext,
  planId: string,
  path: readonly string[],
): Promise<Map<string, Record<string, number>>> => {
  const items = await queryAll(ctx, { index: 'gsi2', partition: keys.planCounters(planId), sortPrefix: keys.pathPrefix(path) });
  const byUnit = new Map<string, Record<string, unknown>[]>();
  for (const i of items) {
    const u = String(i.unitId);
    byUnit.set(u, [...(byUnit.get(u) ?? []), i]);
  }
  return new Map([...byUnit].map(([u, list]) => [u, sumCounters(list)]));
};

/**
 * The numeric fields of the unit × plan family, by what moves them (SPEC §5):
 * enrolment and transfer → enrolled, contributions*; claim submit / approve /
 * reject / pay → claims*, benefits*, paidDaysTotal; submit adds and
 * decide / return removes `openSubmitted@<submit date>`.
 */
export const UNIT_PLAN_FIELDS = SUMMED;
export type UnitPlanField = (typeof UNIT_PLAN_FIELDS)[number];
/** The per-day tally of claims now waiting in `submitted`, keyed by the day they were (last) submitted. */
export const OPEN_SUBMITTED = 'openSubmitted';
export const openSubmittedOn = (date: string) => `${OPEN_SUBMITTED}@${date}`;

/** Summed counter attributes → the report's UnitPlanCounters (absent fields are 0). */
export const toUnitPlanCounters = (sum: Record<string, number>): UnitPlanCounters => ({
  ...(Object.fromEntries(UNIT_PLAN_FIELDS.map((f) => [f, sum[f] ?? 0])) as Record<UnitPlanField, number>),
  openSubmitted: tallies(sum, OPEN_SUBMITTED),
});
