import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './counters';
import type { CursorCodec } from './cursor';
import { AlreadyExists, cancellationReasons } from './errors';
import { inOrder } from './keys';
import { withRetries } from './retry';
import { type IndexName, keyAttributesOf } from './table';

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
