import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deps } from '../../shared/deps';
import { reindexEnrolments } from '../../shared/report/reconcileRun';
import { BadCursor } from '../../shared/store/errors';
import { ENROLMENT_SHARDS, enrolmentShard, keys } from '../../shared/store/keys';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * The unit enrolment list is sharded over ENROLMENT_SHARDS gsi1 partitions (+ the unsharded one until
 * re-indexed) and read back merged: order and pagination must be exactly one sorted list's.
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let deps: Deps;
let run = 0;

type Row = { id: string; plan: 'p1' | 'p2'; legacy: boolean };

/** Enrolment-shaped items put straight into the table: sharded, or under the pre-sharding key. */
const put = async (unitId: string, rows: Row[]) => {
  for (let i = 0; i < rows.length; i += 25) {
    const items = rows.slice(i, i + 25).map((r) => ({
      PutRequest: {
        Item: {
          ...keys.enrolment(r.id),
          entity: 'enrolment',
          gsi1pk: r.legacy ? keys.unitEnrolmentsUnsharded(unitId) : keys.unitEnrolments(unitId, r.id),
          gsi1sk: keys.unitEnrolmentSort(r.plan, r.id),
          enrolmentId: r.id,
          planId: r.plan,
          unitId,
          status: 'active',
        },
      },
    }));
    let pending: unknown = { [s.config.tableName]: items };
    while (pending && Object.keys(pending as object).length) {
      const out = await deps.db.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = out.UnprocessedItems;
    }
  }
};

/** Pages through the list; every page but the last is full, as an unsharded Query with Limit gives. */
const pageThrough = async (unitId: string, planId: string | undefined, limit: number) => {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (let n = 0; n < 500; n++) {
    const page = await deps.enrolments.listByUnit(unitId, planId, limit, cursor);
    pages.push(page.items.map((e) => e.enrolmentId));
    if (!page.nextCursor) return pages;
    cursor = page.nextCursor;
  }
  throw new Error('no end of list');
};

/** The unsharded answer: the plan's rows in sort-key order (ASCII keys: code-unit order is byte order). */
const sortedIds = (rows: Row[], planId?: string) =>
  rows
    .filter((r) => !planId || r.plan === planId)
    .map((r) => ({ id: r.id, sk: keys.unitEnrolmentSort(r.plan, r.id) }))
    .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
    .map((r) => r.id);

const base32Id = fc.stringMatching(/^[A-Z2-7]{3,12}$/);

beforeAll(async () => {
  s = await isolatedStore('shards');
  deps = s.deps();
});

describe('sharded unit enrolment list', () => {
  it('the shard is a stable hash of the id, spread evenly', () => {
    // FNV-1a by hand: "" is the offset basis 0x811c9dc5 (…c5 = 197, 197 mod 8 = 5); "a": 0x811c9dc5 ^ 0x61 =
    // 0x811c9da4, × 0x01000193 mod 2^32 = 0xe40c292c (…2c = 44, mod 8 = 4).
    expect(enrolmentShard('')).toBe(5);
    expect(enrolmentShard('a')).toBe(4);
    expect(keys.unitEnrolments('u1', 'a')).toBe('UNIT#u1#ENR#4');
    expect(keys.unitEnrolmentPartitions('u1')).toEqual([...Array.from({ length: 8 }, (_, i) => `UNIT#u1#ENR#${i}`), 'UNIT#u1#ENR']);
    const counts = new Array(ENROLMENT_SHARDS).fill(0);
    for (let i = 0; i < 8000; i++) counts[enrolmentShard(`E${i.toString(32).toUpperCase().padStart(8, '0')}`)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('property: paging gives every enrolment exactly once, in unsharded sort order, full pages but the last', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.record({ id: base32Id, plan: fc.constantFrom('p1' as const, 'p2' as const), legacy: fc.boolean() }), {
          selector: (r) => r.id,
          maxLength: 70,
        }),
        fc.integer({ min: 1, max: 30 }),
        fc.constantFrom(undefined, 'p1', 'p2'),
        async (raw, limit, planId) => {
          run += 1;
          const unitId = `prop-u${run}`;
          // Ids unique across runs (one table); the common prefix keeps their relative order.
          const rows = raw.map((r) => ({ ...r, id: `R${run}X${r.id}` }));
          await put(unitId, rows);
          const pages = await pageThrough(unitId, planId, limit);
          expect(pages.flat()).toEqual(sortedIds(rows, planId));
          for (const p of pages.slice(0, -1)) expect(p).toHaveLength(limit);
          expect(pages.at(-1)!.length).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a cursor is good for its own list only, and refused edited', async () => {
    const rows: Row[] = Array.from({ length: 12 }, (_, i) => ({ id: `CUR${String(i).padStart(3, '0')}`, plan: 'p1', legacy: false }));
    await put('cur-u1', rows);
    const first = await deps.enrolments.listByUnit('cur-u1', 'p1', 5);
    expect(first.items.map((e) => e.enrolmentId)).toEqual(rows.slice(0, 5).map((r) => r.id));
    const cursor = first.nextCursor!;
    expect((await deps.enrolments.listByUnit('cur-u1', 'p1', 5, cursor)).items.map((e) => e.enrolmentId)).toEqual(
      rows.slice(5, 10).map((r) => r.id),
    );
    // Another unit, another plan filter, none, an edited payload: all BadCursor before any read.
    await expect(deps.enrolments.listByUnit('cur-u2', 'p1', 5, cursor)).rejects.toBeInstanceOf(BadCursor);
    await expect(deps.enrolments.listByUnit('cur-u1', 'p2', 5, cursor)).rejects.toBeInstanceOf(BadCursor);
    await expect(deps.enrolments.listByUnit('cur-u1', undefined, 5, cursor)).rejects.toBeInstanceOf(BadCursor);
    const [payload, tag] = cursor.split('.') as [string, string];
    const edited = JSON.parse(Buffer.from(payload, 'base64url').toString());
    edited.done = [0, 1, 2, 3, 4, 5, 6, 7, 8];
    const forged = `${Buffer.from(JSON.stringify(edited)).toString('base64url')}.${tag}`;
    await expect(deps.enrolments.listByUnit('cur-u1', 'p1', 5, forged)).rejects.toBeInstanceOf(BadCursor);
  });

  it('--reindex moves pre-sharding enrolments to their shards, idempotently; lists read them before and after', async () => {
    const fed = as('federation_admin', s.rootId);
    const unit = 'reidx-u1';
    const other = 'reidx-u2';
    for (const id of [unit, other])
      expect(
        (await s.call('createOrg', { body: { id, name: `${id}工会`, kind: 'unit', parentId: s.rootId, headcount: 40 }, claims: fed }))
          .status,
      ).toBe(201);
    const plan = examplePlan(2026, { id: 'reidx-p' });
    expect((await s.call('createPlan', { body: plan, claims: fed })).status).toBe(201);
    // Real enrolments, then their index keys set back to the pre-sharding partition (as a deploy would find them).
    const r = await s.call('enrolMembers', { params: { unitId: unit }, body: { planId: plan.id, members: people(30) }, claims: fed });
    expect(r.status, r.text).toBe(200);
    const ids = (r.body.enrolments as { enrolmentId: string }[]).map((e) => e.enrolmentId);
    const legacy = ids.slice(0, 20);
    for (const id of legacy)
      await deps.db.send(
        new BatchWriteCommand({
          RequestItems: {
            [s.config.tableName]: [
              {
                PutRequest: {
                  Item: {
                    ...(await deps.enrolments.get(id, true))!,
                    ...keys.enrolment(id),
                    entity: 'enrolment',
                    gsi1pk: keys.unitEnrolmentsUnsharded(unit),
                    gsi1sk: keys.unitEnrolmentSort(plan.id, id),
                  },
                },
              },
            ],
          },
        }),
      );
    const expected = [...ids].sort();
    const listed = async (u: string) => (await pageThrough(u, plan.id, 7)).flat();
    expect(await listed(unit)).toEqual(expected);
    // A transfer gives a pre-sharding enrolment its new unit's shard key.
    const before = await s.call('transferEnrolment', { params: { id: legacy[0]! }, body: { toUnitId: other }, claims: fed });
    expect(before.status, before.text).toBe(200);
    expect(await listed(other)).toEqual([legacy[0]]);

    const first = await reindexEnrolments(deps);
    expect(first.moved).toBe(19); // 20 pre-sharding, one already moved by its transfer
    expect((await reindexEnrolments(deps)).moved).toBe(0);
    const unsharded = await deps.db.send(
      new QueryCommand({
        TableName: s.config.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': keys.unitEnrolmentsUnsharded(unit) },
      }),
    );
    expect(unsharded.Items).toEqual([]);
    for (const id of ids.slice(1)) {
      const item = await deps.db.send(
        new QueryCommand({
          TableName: s.config.tableName,
          KeyConditionExpression: 'pk = :pk AND sk = :sk',
          ExpressionAttributeValues: { ':pk': keys.enrolment(id).pk, ':sk': 'ENR' },
        }),
      );
      expect(item.Items![0]!.gsi1pk).toBe(keys.unitEnrolments(unit, id));
    }
    expect(await listed(unit)).toEqual(expected.filter((id) => id !== legacy[0]));
  });
});
