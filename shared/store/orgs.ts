import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { AlreadyExists, isConditionalCheckFailed } from './errors';
import type { TransactItem } from './counters';
import { createNew, getRecord, queryAll, queryPage, type StoreContext } from './items';
import { keys, itemOf } from './keys';

import { DEFAULT_ROOT_ORG_NAME } from '../config';
import type { OrgKind, OrgNode } from '../domain/scope';

export type { OrgKind };

export interface OrgRecord extends OrgNode {
  createdAt: string;
  updatedAt: string;
}

const toItem = (o: OrgRecord) =>
  itemOf(keys.org(o.id), {
    entity: 'org',
    ...(o.parentId ? { gsi1pk: keys.orgChildren(o.parentId), gsi1sk: keys.orgChildSort(o.id) } : {}),
    // The whole tree by path (gsi2): a report reads a subtree with one paginated Query.
    gsi2pk: keys.orgTree,
    gsi2sk: keys.pathPrefix(o.path),
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

/**
 * The root org as every deployment starts with it (SPEC §4.1: kind federation, id and Chinese name from
 * configuration, default root / 总工会: the name heads every report a clerk reads).
 */
export const rootOrg = (id: string, now: string, name: string = DEFAULT_ROOT_ORG_NAME): OrgRecord => ({
  id,
  name: name.trim(),
  kind: 'federation',
  parentId: null,
  path: [id],
  headcount: null,
  createdAt: now,
  updatedAt: now,
});

export const orgRepo = (ctx: StoreContext) => {
  const create = (o: OrgRecord, extra: TransactItem[] = []) => createNew(ctx, toItem(o), { entity: 'org', id: o.id }, extra);
  return {
    get: (id: string) => getRecord(ctx, keys.org(id), fromItem),

    /** Creates the org (with `extra` items in its transaction); throws AlreadyExists when the id is taken. */
    create,

    /**
     * Creates the root org unless it exists (deploy-time custom resource and local bootstrap; idempotent).
     * An existing root keeps its name (a PATCH may have changed it); see renameRoot for a changed configuration.
     */
    async ensureRoot(id: string, now: string, name: string = DEFAULT_ROOT_ORG_NAME): Promise<'created' | 'existed'> {
      try {
        await create(rootOrg(id, now, name));
        return 'created';
      } catch (e) {
        if (e instanceof AlreadyExists) return 'existed';
        throw e;
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
        const r = await ctx.db.send(
          new UpdateCommand({
            TableName: ctx.tableName,
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

    /** Every org in the subtree of the org at `path` (itself included), in path order. Cost grows with org nodes only. */
    subtree: async (path: readonly string[]): Promise<OrgRecord[]> =>
      (await queryAll(ctx, { index: 'gsi2', partition: keys.orgTree, sortPrefix: keys.pathPrefix(path) })).map(fromItem),

    children: (parentId: string, limit: number, cursor?: string) =>
      queryPage(ctx, { index: 'gsi1', partition: keys.orgChildren(parentId), limit, cursor }, fromItem),
  };
};

export type OrgRepo = ReturnType<typeof orgRepo>;
