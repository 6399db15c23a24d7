import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isConditionalCheckFailed } from './errors';
import { AlreadyExists, getRecord, putNew, queryPage } from './items';
import { keys } from './keys';

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

const toItem = (o: OrgRecord) => ({
  ...keys.org(o.id),
  entity: 'org',
  ...(o.parentId ? { gsi1pk: keys.orgChildren(o.parentId), gsi1sk: keys.orgChildSort(o.id) } : {}),
  ...o,
});

/** Item → org, fields in a stable order (DynamoDB returns attributes in any order). */
const fromItem = (i: Record<string, unknown>): OrgRecord => ({
  id: i.id as string,
  name: i.name as string,
  kind: i.kind as OrgKind,
  parentId: (i.parentId as string | null) ?? null,
  path: i.path as string[],
  headcount: (i.headcount as number | null) ?? null,
  createdAt: i.createdAt as string,
  updatedAt: i.updatedAt as string,
});

export const orgRepo = (db: DynamoDBDocumentClient, tableName: string) => ({
  get: (id: string) => getRecord(db, tableName, keys.org(id), fromItem),

  /** Creates the org; throws AlreadyExists when the id is taken. */
  create: (o: OrgRecord) => putNew(db, tableName, toItem(o), { entity: 'org', id: o.id }),

  /** Creates the root org unless it exists (bootstrap; idempotent). */
  async ensureRoot(id: string, now: string): Promise<void> {
    try {
      await this.create({
        id,
        name: 'Federation',
        kind: 'federation',
        parentId: null,
        path: [id],
        headcount: null,
        createdAt: now,
        updatedAt: now,
      });
    } catch (e) {
      if (!(e instanceof AlreadyExists)) throw e;
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

  children: (parentId: string, limit: number, cursor?: string) =>
    queryPage(db, tableName, { partition: keys.orgChildren(parentId), limit, cursor }, fromItem),
});

export type OrgRepo = ReturnType<typeof orgRepo>;
