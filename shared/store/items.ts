import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './counters';
import type { CursorCodec } from './cursor';
import { AlreadyExists, BadCursor, cancellationReasons } from './errors';
import { inOrder } from './keys';
import { withRetries } from './retry';
import { type IndexName, keyAttributesOf, tableDefinition } from './table';

/** What every repository is built on: the document client, the table, and the cursor signer. */
export interface StoreContext {
  db: DynamoDBDocumentClient;
  tableName: string;
  cursors: CursorCodec;
}

/** Item → record: by default the item without its key attributes; entities pass their own codec. */
export type Decode<T> = (item: Record<string, unknown>) => T;
const alphabetical = inOrder<unknown>([]);
const withoutKeys = <T>(item: Record<string, unknown>) => alphabetical(item) as T;

/** GetItem → the record, or undefined. `consistent` for read-modify-write paths. */
export const getRecord = async <T>(
  ctx: StoreContext,
  key: Record<string, string>,
  decode: Decode<T> = withoutKeys,
  consistent = false,
): Promise<T | undefined> => {
  const r = await ctx.db.send(new GetCommand({ TableName: ctx.tableName, Key: key, ConsistentRead: consistent }));
  return r.Item ? decode(r.Item) : undefined;
};

/**
 * Creates an item only if its key is free (AlreadyExists otherwise), in one
 * transaction with `extra` items (an Idempotency-Key's record rides along:
 * both land or neither). A transaction even alone: its ClientRequestToken
 * makes a retry after a lost answer find its own creation, not a taken key.
 * A failed condition on an extra item passes through as the cancellation.
 */
export const createNew = async (
  ctx: StoreContext,
  item: Record<string, unknown>,
  who: { entity: string; id: string },
  extra: TransactItem[] = [],
): Promise<void> => {
  const items: TransactItem[] = [
    { Put: { TableName: ctx.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
    ...extra,
  ];
  try {
    await withRetries(`${who.entity} creation`, () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
  } catch (e) {
    if (cancellationReasons(e)[0] === 'ConditionalCheckFailed') throw new AlreadyExists(who.entity, who.id, { cause: e });
    throw e;
  }
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageQuery {
  /** The table (`null`) or an index; every list names the one it reads. */
  index: IndexName | null;
  partition: string;
  /** Narrow to sort keys starting with this (an org path for subtree lists, a plan id…). */
  sortPrefix?: string;
  /** Narrow to sort keys in [from, to] (inclusive); exclusive with sortPrefix. */
  sortBetween?: [string, string];
  /** Extra conditions on non-key attributes (equality), e.g. { planId }. Pages may then hold fewer than `limit`. */
  where?: Record<string, string>;
  /** An extra range condition on a non-key attribute (inclusive), e.g. a date range. */
  whereBetween?: { attribute: string; from: string; to: string };
  /** An extra prefix condition on a non-key attribute, e.g. an org path for "in this subtree". */
  whereBeginsWith?: { attribute: string; prefix: string };
  limit: number;
  cursor?: string;
  newestFirst?: boolean;
}

/**
 * One page of a list. The cursor is signed for exactly this list (index,
 * partition, narrowing, filters), so it cannot be edited or carried to another.
 */
export const queryPage = async <T>(ctx: StoreContext, q: PageQuery, decode: Decode<T> = withoutKeys): Promise<Page<T>> => {
  const { partition, sort } = keyAttributesOf(q.index);
  const scope = JSON.stringify([
    q.index,
    q.partition,
    q.sortPrefix ?? null,
    q.sortBetween ?? null,
    q.where ?? null,
    q.whereBetween ?? null,
    q.whereBeginsWith ?? null,
    !!q.newestFirst,
  ]);
  const start = await ctx.cursors.decode(q.cursor, scope);
  const names: Record<string, string> = { '#p': partition };
  const values: Record<string, unknown> = { ':p': q.partition };
  let condition = '#p = :p';
  if (q.sortPrefix !== undefined) {
    names['#s'] = sort;
    values[':s'] = q.sortPrefix;
    condition += ' AND begins_with(#s, :s)';
  } else if (q.sortBetween) {
    names['#s'] = sort;
    values[':s0'] = q.sortBetween[0];
    values[':s1'] = q.sortBetween[1];
    condition += ' AND #s BETWEEN :s0 AND :s1';
  }
  const filters = Object.entries(q.where ?? {}).map(([attr, value], i) => {
    names[`#w${i}`] = attr;
    values[`:w${i}`] = value;
    return `#w${i} = :w${i}`;
  });
  if (q.whereBetween) {
    names['#wb'] = q.whereBetween.attribute;
    values[':wb0'] = q.whereBetween.from;
    values[':wb1'] = q.whereBetween.to;
    filters.push('#wb BETWEEN :wb0 AND :wb1');
  }
  if (q.whereBeginsWith) {
    names['#wp'] = q.whereBeginsWith.attribute;
    values[':wp'] = q.whereBeginsWith.prefix;
    filters.push('begins_with(#wp, :wp)');
  }
  const r = await ctx.db.send(
    new QueryCommand({
      TableName: ctx.tableName,
      ...(q.index ? { IndexName: q.index } : {}),
      KeyConditionExpression: condition,
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: !q.newestFirst,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (r.Items ?? []).map((i) => decode(i)), nextCursor: await ctx.cursors.encode(r.LastEvaluatedKey, scope) };
};

/** Every item of a partition (paginated internally): for small, bounded partitions only (counter shards, an enrolment's facts). */
export const queryAll = async (ctx: StoreContext, q: Omit<PageQuery, 'limit' | 'cursor'>, consistent = false) => {
  const { partition, sort } = keyAttributesOf(q.index);
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const r = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        ...(q.index ? { IndexName: q.index } : { ConsistentRead: consistent }),
        KeyConditionExpression: q.sortPrefix !== undefined ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
        ExpressionAttributeNames: { '#p': partition, ...(q.sortPrefix !== undefined ? { '#s': sort } : {}) },
        ExpressionAttributeValues: { ':p': q.partition, ...(q.sortPrefix !== undefined ? { ':s': q.sortPrefix } : {}) },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return out;
};

export interface MergedPageQuery {
  /** An index whose list is split over several partitions (shards) of one logical list. */
  index: IndexName;
  /** The shards, in a fixed order (the cursor names finished ones by position). */
  partitions: readonly string[];
  sortPrefix?: string;
  limit: number;
  cursor?: string;
}

/** A merged list's position: the key (pk, sk, index sort key) of the last item given, and the shards with nothing after it. */
interface MergedPosition {
  after: [string, string, string];
  done: number[];
}

const MAX_CURSOR_VALUE = 1024;
const isMergedPosition = (v: unknown, shards: number): v is MergedPosition => {
  if (typeof v !== 'object' || v === null) return false;
  const { after, done } = v as Record<string, unknown>;
  return (
    Array.isArray(after) &&
    after.length === 3 &&
    after.every((s) => typeof s === 'string' && s.length <= MAX_CURSOR_VALUE) &&
    Array.isArray(done) &&
    done.every((i) => Number.isInteger(i) && i >= 0 && i < shards)
  );
};

/** DynamoDB orders string sort keys by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units: differs above U+FFFF). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * One page of a list spread over several partitions (a sharded list), in
 * ascending sort-key order exactly as if it were one partition: each shard
 * is read from the cursor's position (a few items at a time, more only for
 * a shard that runs dry before the page is full) and the heads are merged.
 * The cursor (signed for this list like queryPage's) holds every shard's
 * position — "after the last item given", which merged order makes the same
 * key for all of them — and which shards are finished. Sort keys must be
 * unique across the shards (they are: an item lives in one shard).
 */
export const queryMergedPage = async <T>(ctx: StoreContext, q: MergedPageQuery, decode: Decode<T> = withoutKeys): Promise<Page<T>> => {
  const { partition, sort } = keyAttributesOf(q.index);
  const { partitionKey: tablePk, sortKey: tableSk } = tableDefinition;
  const n = q.partitions.length;
  const scope = JSON.stringify(['merged', q.index, q.partitions, q.sortPrefix ?? null]);
  let position: MergedPosition | undefined;
  if (q.cursor !== undefined) {
    const opened = await ctx.cursors.open(q.cursor, scope);
    if (!isMergedPosition(opened, n)) throw new BadCursor();
    position = opened;
  }
  // Per shard: what was read and not yet given, where its next read starts, and whether it has more.
  const shards = q.partitions.map((p, i) => ({
    buffer: [] as Record<string, unknown>[],
    start: position
      ? ({ [partition]: p, [sort]: position.after[2], [tablePk]: position.after[0], [tableSk]: position.after[1] } as Record<
          string,
          unknown
        >)
      : undefined,
    more: !position?.done.includes(i),
  }));
  // An even share of the page per shard and some slack: most pages need one read of each shard.
  const chunk = Math.min(q.limit, Math.ceil((q.limit * 3) / (2 * n)) + 1);
  const fill = async (i: number) => {
    const s = shards[i]!;
    const r = await ctx.db.send(
      new QueryCommand({
        TableName: ctx.tableName,
        IndexName: q.index,
        KeyConditionExpression: q.sortPrefix !== undefined ? '#p = :p AND begins_with(#s, :s)' : '#p = :p',
        ExpressionAttributeNames: { '#p': partition, ...(q.sortPrefix !== undefined ? { '#s': sort } : {}) },
        ExpressionAttributeValues: { ':p': q.partitions[i], ...(q.sortPrefix !== undefined ? { ':s': q.sortPrefix } : {}) },
        Limit: chunk,
        ExclusiveStartKey: s.start,
      }),
    );
    s.buffer.push(...(r.Items ?? []));
    s.start = r.LastEvaluatedKey;
    s.more = r.LastEvaluatedKey !== undefined;
  };
  const page: Record<string, unknown>[] = [];
  while (page.length < q.limit) {
    // A shard with nothing in hand but more to read must be read before anything can be known to come next.
    const dry = shards.flatMap((s, i) => (s.buffer.length === 0 && s.more ? [i] : []));
    if (dry.length) {
      await Promise.all(dry.map(fill));
      continue;
    }
    let next = -1;
    for (let i = 0; i < n; i++) {
      const head = shards[i]!.buffer[0];
      if (head && (next < 0 || byteOrder(String(head[sort]), String(shards[next]!.buffer[0]![sort])) < 0)) next = i;
    }
    if (next < 0) break;
    page.push(shards[next]!.buffer.shift()!);
  }
  const last = page.at(-1);
  const finished = shards.flatMap((s, i) => (s.buffer.length === 0 && !s.more ? [i] : []));
  const nextCursor =
    last && finished.length < n
      ? await ctx.cursors.seal({ after: [String(last[tablePk]), String(last[tableSk]), String(last[sort])], done: finished }, scope)
      : null;
  return { items: page.map((i) => decode(i)), nextCursor };
};
