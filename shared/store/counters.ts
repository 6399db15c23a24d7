import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  PutCommand,
  QueryCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { addDays, isRealDate, shanghaiDayBounds, shanghaiToday } from '../domain/dates';
import { SUMMED, type UnitPlanCounters } from '../domain/report';
import type { StoreContext } from './items';
import { itemOf, KEY_ATTRIBUTES, keys } from './keys';
import { withRetries } from './retry';
import { keyAttributesOf } from './table';

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

const LABELS = new Set<string>([...KEY_ATTRIBUTES, 'unitId', 'planId', 'path', 'day']);

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
//
// Figures "as of the end of D" (SPEC §5) come from DAY BUCKETS: every move ADDs to the item of
// (unit, plan, day of the write, shard), day = the Asia/Shanghai date of the writer's own clock. A day's
// buckets never change once every write dated that day has landed (SNAPSHOT_MARGIN_MS after midnight), so:
//   counters as of D = snapshot(B) + Σ buckets of the days (B, D]
// where snapshot(B) is the cumulative per-unit state at the end of an earlier day B, written by the report
// run for B (one item per unit with anything counted, then a marker item saying the set is complete).
// Without any snapshot the buckets are summed from the plan's first write (cost: every bucket so far; the
// nightly run writes one snapshot a day, so normally B = D − 1 and the cost is one day of buckets).
// Current totals are the same sum up to the far future: the latest snapshot + every later bucket.

/** A unit as counters see it: its id and its path from the root (for subtree reads). */
export interface CountedUnit {
  id: string;
  path: readonly string[];
}

/** The Asia/Shanghai day of a write, from its ISO instant (the writer's injected clock). */
export const counterDay = (at: string): string => shanghaiToday(new Date(at));

/**
 * The ADD of a unit/plan counter shard of day `day` (the Shanghai date of the write: counterDay(at)).
 * Items also carry gsi2 keys (`COUNTDAYS#<plan>`, `<day>#<unit path>/#<shard>`), so a report reads a
 * plan's buckets of a range of days with one Query.
 */
export const unitPlanCounterAdd = (
  tableName: string,
  unit: CountedUnit,
  planId: string,
  day: string,
  shard: number,
  delta: CounterDelta,
): TransactItem => {
  if (!isRealDate(day)) throw new RangeError('counter day must be a real YYYY-MM-DD date');
  const s = ((shard % COUNTER_SHARDS) + COUNTER_SHARDS) % COUNTER_SHARDS;
  return counterAdd(tableName, keys.unitPlanCounter(unit.id, planId, day, s), delta, {
    entity: 'counter',
    unitId: unit.id,
    planId,
    day,
    gsi2pk: keys.planCounterDays(planId),
    gsi2sk: keys.planCounterDaySort(day, unit.path, s),
  });
};

export const randomShard = () => Math.floor(Math.random() * COUNTER_SHARDS);

/** A day's buckets are final this long after its end: longer than any writer holds a dated write (retries, Lambda timeout). */
export const SNAPSHOT_MARGIN_MS = 15 * 60_000;

/** Whether a snapshot of the end of `day` may be stored at `now` (no write dated `day` can still be in flight). */
export const dayIsClosed = (day: string, now: Date): boolean =>
  now.getTime() >= Date.parse(shanghaiDayBounds(day).end) + 1 + SNAPSHOT_MARGIN_MS;

/** The last day any bucket can have (current totals = as of this day). */
const FAR_FUTURE = '9999-12-31';

type Item = Record<string, unknown>;

/** Query of the table (consistent when asked) or gsi2, key-bounded, all pages (or `limit` items). */
const query = async (
  ctx: StoreContext,
  q: { index: 'gsi2' | null; partition: string; between?: [string, string]; consistent?: boolean; newestFirst?: boolean; limit?: number },
  counted?: { calls: number; items: number },
): Promise<Item[]> => {
  const { partition, sort } = keyAttributesOf(q.index);
  const out: Item[] = [];
  let start: Item | undefined;
  do {
    const r = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        ...(q.index ? { IndexName: q.index } : { ConsistentRead: q.consistent ?? false }),
        KeyConditionExpression: q.between ? '#p = :p AND #s BETWEEN :a AND :b' : '#p = :p',
        ExpressionAttributeNames: { '#p': partition, ...(q.between ? { '#s': sort } : {}) },
        ExpressionAttributeValues: { ':p': q.partition, ...(q.between ? { ':a': q.between[0], ':b': q.between[1] } : {}) },
        ScanIndexForward: !q.newestFirst,
        ...(q.limit ? { Limit: q.limit } : {}),
        ExclusiveStartKey: start,
      }),
    );
    if (counted) {
      counted.calls++;
      counted.items += r.Items?.length ?? 0;
    }
    out.push(...(r.Items ?? []));
    start = q.limit && out.length >= q.limit ? undefined : r.LastEvaluatedKey;
  } while (start);
  return out;
};

/** Sort-key bounds of everything whose key starts with `${from}#` … `${to}#` ('$' sorts right after '#'). */
const dayRange = (prefix: string, from: string, to: string): [string, string] => [`${prefix}${from}#`, `${prefix}${to}$`];

/** Per unit: the summed counters and the unit's path prefix (`root/…/unit/`) as the items state it. */
export interface PlanCounters {
  sums: Map<string, Record<string, number>>;
  paths: Map<string, string>;
}

/**
 * Pure: snapshot entries + day-bucket items → per-unit cumulative counters. Buckets are summed over their
 * shards and days; a unit absent from both is absent (zero). Zero tallies are kept (callers drop them).
 */
export const foldCounters = (
  snapshot: Iterable<{ unitId: string; path: string; counters: Record<string, number> }>,
  buckets: Item[],
): PlanCounters => {
  const sums = new Map<string, Record<string, number>>();
  const paths = new Map<string, string>();
  for (const s of snapshot) {
    sums.set(s.unitId, { ...s.counters });
    paths.set(s.unitId, s.path);
  }
  const byUnit = new Map<string, Item[]>();
  for (const b of buckets) {
    const u = String(b.unitId);
    byUnit.set(u, [...(byUnit.get(u) ?? []), b]);
    // gsi2sk = `<day>#<path>/#<shard>`: the path as the latest write knew it.
    if (typeof b.gsi2sk === 'string') paths.set(u, b.gsi2sk.slice(11, b.gsi2sk.lastIndexOf('#')));
  }
  for (const [u, list] of byUnit) {
    const into = sums.get(u) ?? {};
    for (const [k, v] of Object.entries(sumCounters(list))) into[k] = (into[k] ?? 0) + v;
    sums.set(u, into);
  }
  return { sums, paths };
};

/** The latest complete snapshot of the plan dated on or before `upTo` (consistent: the marker is written last). */
export const latestPlanSnapshot = async (ctx: StoreContext, planId: string, upTo: string, counted?: { calls: number; items: number }) => {
  const mark = keys.planSnapshotMark(planId, upTo);
  const found = await query(
    ctx,
    { index: null, partition: mark.pk, between: [keys.planSnapshotMarkPrefix, mark.sk], consistent: true, newestFirst: true, limit: 1 },
    counted,
  );
  return found[0] ? String(found[0].date) : undefined;
};

export interface CountersAsOf extends PlanCounters {
  /** The snapshot the figures start from (null: summed from the first bucket). */
  base: string | null;
}

/**
 * Every unit's counters in a plan as of the end of `day` (SPEC §5): the latest snapshot on or before it
 * plus the buckets after it up to `day`. Reads indexes (eventually consistent): a report runs well after
 * the day it counts. `counted` tallies DynamoDB calls and items (the report's cost, for tests and benches).
 */
export const readPlanCountersAsOf = async (
  ctx: StoreContext,
  planId: string,
  day: string,
  counted?: { calls: number; items: number },
): Promise<CountersAsOf> => {
  const base = await latestPlanSnapshot(ctx, planId, day, counted);
  const snapshot = base
    ? (await query(ctx, { index: 'gsi2', partition: keys.planSnapshot(planId, base) }, counted)).map((i) => ({
        unitId: String(i.unitId),
        path: String(i.gsi2sk),
        counters: i.counters as Record<string, number>,
      }))
    : [];
  const buckets =
    base === day
      ? []
      : await query(
          ctx,
          { index: 'gsi2', partition: keys.planCounterDays(planId), between: dayRange('', base ? addDays(base, 1) : '0000-01-01', day) },
          counted,
        );
  return { ...foldCounters(snapshot, buckets), base: base ?? null };
};

/** Every unit's current counters in a plan under an org path (latest snapshot + every later bucket). */
export const readPlanCountersUnder = async (
  ctx: StoreContext,
  planId: string,
  path: readonly string[],
): Promise<Map<string, Record<string, number>>> => {
  const { sums, paths } = await readPlanCountersAsOf(ctx, planId, FAR_FUTURE);
  const prefix = keys.pathPrefix(path);
  return new Map([...sums].filter(([u]) => (paths.get(u) ?? '').startsWith(prefix)));
};

/** A unit's current counters in a plan, strongly consistent: its latest snapshot item + its later buckets. */
export const readUnitPlanCounters = async (ctx: StoreContext, unitId: string, planId: string): Promise<Record<string, number>> => {
  const pk = keys.org(unitId).pk;
  const snapPrefix = keys.unitPlanSnapshotPrefix(planId);
  const [snap] = await query(ctx, {
    index: null,
    partition: pk,
    between: [snapPrefix, `${snapPrefix}\uffff`],
    consistent: true,
    newestFirst: true,
    limit: 1,
  });
  const from = snap ? addDays(String(snap.date), 1) : '0000-01-01';
  const buckets = await query(ctx, {
    index: null,
    partition: pk,
    between: dayRange(keys.unitPlanCounterPrefix(planId), from, FAR_FUTURE),
    consistent: true,
  });
  return (
    foldCounters(snap ? [{ unitId, path: '', counters: snap.counters as Record<string, number> }] : [], buckets).sums.get(unitId) ?? {}
  );
};

/**
 * Stores the plan's counters as of the end of `day` (only once the day is closed, see dayIsClosed): one
 * item per unit with anything counted, then the marker. Items are plain puts of values already final, so a
 * run cut short and re-run writes the same again.
 */
export const writePlanSnapshot = async (ctx: StoreContext, planId: string, day: string, counters: PlanCounters, at: string) => {
  const items: Item[] = [];
  for (const [unitId, sum] of counters.sums) {
    const kept = Object.fromEntries(Object.entries(sum).filter(([, v]) => v !== 0));
    if (Object.keys(kept).length === 0) continue;
    items.push(
      itemOf(keys.unitPlanSnapshot(unitId, planId, day), {
        entity: 'counterSnapshot',
        gsi2pk: keys.planSnapshot(planId, day),
        gsi2sk: counters.paths.get(unitId) ?? '',
        unitId,
        planId,
        date: day,
        counters: kept,
      }),
    );
  }
  const limit = pLimit(4);
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        let request: BatchWriteCommandInput['RequestItems'] = { [ctx.tableName]: batch.map((Item) => ({ PutRequest: { Item } })) };
        while (request && Object.keys(request).length > 0) {
          const left: BatchWriteCommandInput['RequestItems'] = request;
          const r: BatchWriteCommandOutput = await withRetries('counter snapshot', () =>
            ctx.db.send(new BatchWriteCommand({ RequestItems: left })),
          );
          request = r.UnprocessedItems;
        }
      }),
    ),
  );
  await withRetries('counter snapshot', () =>
    ctx.db.send(
      new PutCommand({
        TableName: ctx.tableName,
        Item: itemOf(keys.planSnapshotMark(planId, day), {
          entity: 'counterSnapshotMark',
          planId,
          date: day,
          units: items.length,
          writtenAt: at,
        }),
      }),
    ),
  );
  return items.length;
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
