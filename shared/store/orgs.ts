import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionalCheckFailed } from './errors';
import { keys, stripKeys } from './keys';

export type OrgKind = 'federation' | 'office' | 'agency' | 'unit';

export interface OrgRecord {
  id: string;
  name: string;
  kind: OrgKind;
  parentId: string | null;
  /** Ids from the root down to this org, inclusive. Orgs never move, so it is stable. */
  path: string[];
  headcount: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export class OrgAlreadyExists extends Error {
  override name = 'OrgAlreadyExists';
}

const toItem = (o: OrgRecord) => ({
  ...keys.org(o.id),
  entity: 'org',
  ...(o.parentId ? { gsi1pk: keys.orgChildren(o.parentId), gsi1sk: keys.orgChildSort(o.id) } : {}),
  ...o,
});

const fromItem = (item: Record<string, unknown>): OrgRecord => stripKeys(item) as unknown as OrgRecord;

export const orgRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  async get(id: string): Promise<OrgRecord | undefined> {
    const r = await db.send(new GetCommand({ TableName: tableName, Key: keys.org(id) }));
    return r.Item ? fromItem(r.Item) : undefined;
  },

  /** Creates the org; throws OrgAlreadyExists when the id is taken. */
  async create(o: OrgRecord): Promise<void> {
    try {
      await db.send(
        new PutCommand({ TableName: tableName, Item: toItem(o), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    } catch (e) {
      if (isConditionalCheckFailed(e)) throw new OrgAlreadyExists(o.id);
      throw e;
    }
  },

  /** Creates the root org unless it exists (bootstrap; idempotent). */
  async ensureRoot(id: string, now: string): Promise<void> {
    try {
      await this.create({ id, name: 'Federation', kind: 'federation', parentId: null, path: [id], headcount: null, createdAt: now, updatedAt: now });
    } catch (e) {
      if (!(e instanceof OrgAlreadyExists)) throw e;
    }
  },

  async update(id: string, patch: { name?: string; headcount?: number }, now: string): Promise<OrgRecord | undefined> {
    const sets = ['updatedAt = :now'];
    const values: Record<string, unknown> = { ':now': now };
    const names: Record<string, string> = {};
    if (patch.name !== undefined) {
      sets.push('#name = :name');
      names['#name'] = 'name';
      values[':name'] = patch.name;
    }
    if (patch.headcount !== undefined) {
      sets.push('headcount = :hc');
      values[':hc'] = patch.headcount;
    }
    try {
      const r = await db.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.org(id),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values,
          ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return r.Attributes ? fromItem(r.Attributes) : undefined;
    } catch (e) {
      if (isConditionalCheckFailed(e)) return undefined;
      throw e;
    }
  },

  async children(parentId: string, limit: number, cursor?: string): Promise<Page<OrgRecord>> {
    const partition = keys.orgChildren(parentId);
    const r = await db.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, { attribute: 'gsi1pk', value: partition }),
      }),
    );
    return { items: (r.Items ?? []).map(fromItem), nextCursor: encodeCursor(r.LastEvaluatedKey) };
  },
});

export type OrgRepo = ReturnType<typeof orgRepo>;
