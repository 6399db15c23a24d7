import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionalCheckFailed } from './errors';
import { stripKeys } from './keys';

/** A create whose key is taken (conditional put failed). */
export class AlreadyExists extends Error {
  override name = 'AlreadyExists';
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} already exists`);
  }
}

/** Item → record: by default the item without its key attributes; entities may pass their own codec. */
export type Decode<T> = (item: Record<string, unknown>) => T;
const withoutKeys = <T>(item: Record<string, unknown>) => stripKeys(item) as unknown as T;

/** GetItem → the record, or undefined. */
export const getRecord = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  key: Record<string, string>,
  decode: Decode<T> = withoutKeys,
): Promise<T | undefined> => {
  const r = await db.send(new GetCommand({ TableName: tableName, Key: key }));
  return r.Item ? decode(r.Item) : undefined;
};

/** Put only if no item has this key; AlreadyExists otherwise. */
export const putNew = async (
  db: DynamoDBDocumentClient,
  tableName: string,
  item: Record<string, unknown>,
  who: { entity: string; id: string },
): Promise<void> => {
  try {
    await db.send(new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
  } catch (e) {
    if (isConditionalCheckFailed(e)) throw new AlreadyExists(who.entity, who.id);
    throw e;
  }
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * One page of an index-1 list: the partition `gsi1pk = partition`, optionally
 * narrowed to sort keys starting with `sortPrefix`. Cursors are checked to
 * stay inside exactly that partition and prefix (see ./cursor.ts).
 */
export const queryPage = async <T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  q: { partition: string; sortPrefix?: string; limit: number; cursor?: string; newestFirst?: boolean },
  decode: Decode<T> = withoutKeys,
): Promise<Page<T>> => {
  const start = decodeCursor(q.cursor, {
    attribute: 'gsi1pk',
    value: q.partition,
    ...(q.sortPrefix ? { sortAttribute: 'gsi1sk', sortPrefix: q.sortPrefix } : {}),
  });
  const r = await db.send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'gsi1',
      KeyConditionExpression: q.sortPrefix ? 'gsi1pk = :p AND begins_with(gsi1sk, :s)' : 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': q.partition, ...(q.sortPrefix ? { ':s': q.sortPrefix } : {}) },
      ScanIndexForward: !q.newestFirst,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (r.Items ?? []).map((i) => decode(i)), nextCursor: encodeCursor(r.LastEvaluatedKey) };
};
