import { describe, expect, it } from 'vitest';
import { dayIsClosed, foldCounters, SNAPSHOT_MARGIN_MS, toUnitPlanCounters, unitPlanCounterAdd } from './counters';

/** A bucket item as DynamoDB returns it (key attributes, labels, numbers). */
const bucket = (unitId: string, day: string, shard: number, counts: Record<string, number>) => ({
  pk: `ORG#${unitId}`,
  sk: `COUNT#PLAN#p#${day}#${shard}`,
  entity: 'counter',
  unitId,
  planId: 'p',
  day,
  gsi2pk: 'COUNTDAYS#p',
  gsi2sk: `${day}#root/off/${unitId}/#${shard}`,
  ...counts,
});

describe('counters as of a day: snapshot + later buckets', () => {
  it('adds every shard and day of buckets to the snapshot, unit by unit; labels and keys are not summed', () => {
    const { sums, paths } = foldCounters(
      [
        { unitId: 'u1', path: 'root/off/u1/', counters: { enrolled: 10, contributionsFen: 50_000, 'openSubmitted@2026-03-01': 2 } },
        { unitId: 'u3', path: 'root/u3/', counters: { enrolled: 1 } },
      ],
      [
        bucket('u1', '2026-03-02', 0, { enrolled: 2, contributionsFen: 10_000 }),
        bucket('u1', '2026-03-02', 5, { enrolled: -1, contributionsFen: -5_000, 'openSubmitted@2026-03-01': -1 }),
        bucket('u1', '2026-03-03', 5, { claimsApproved: 1, 'openSubmitted@2026-03-01': -1 }),
        bucket('u2', '2026-03-03', 1, { enrolled: 4 }),
      ],
    );
    expect(sums.get('u1')).toEqual({ enrolled: 11, contributionsFen: 55_000, 'openSubmitted@2026-03-01': 0, claimsApproved: 1 });
    expect(sums.get('u2')).toEqual({ enrolled: 4 });
    expect(sums.get('u3')).toEqual({ enrolled: 1 }); // nothing since the snapshot
    expect(paths.get('u2')).toBe('root/off/u2/');
    expect(paths.get('u3')).toBe('root/u3/');
    // A tally that went back to zero is no open claim at all.
    expect(toUnitPlanCounters(sums.get('u1')!).openSubmitted).toEqual({});
  });

  it('does not change the snapshot it starts from (a snapshot is reused for several dates)', () => {
    const snap = { unitId: 'u1', path: 'root/u1/', counters: { enrolled: 3 } };
    foldCounters([snap], [bucket('u1', '2026-03-02', 0, { enrolled: 1 })]);
    expect(snap.counters).toEqual({ enrolled: 3 });
  });

  it('a day is closed SNAPSHOT_MARGIN_MS after its Shanghai midnight, not before', () => {
    // End of 2026-03-10 in Shanghai = 2026-03-10T16:00:00Z.
    const end = Date.parse('2026-03-10T16:00:00Z');
    expect(dayIsClosed('2026-03-10', new Date(end + SNAPSHOT_MARGIN_MS - 1))).toBe(false);
    expect(dayIsClosed('2026-03-10', new Date(end + SNAPSHOT_MARGIN_MS))).toBe(true);
    expect(SNAPSHOT_MARGIN_MS).toBeGreaterThanOrEqual(15 * 60_000);
  });

  it('a counter move goes to the bucket of its day, listed by day then unit path', () => {
    const t = unitPlanCounterAdd('t', { id: 'u1', path: ['root', 'u1'] }, 'p', '2026-03-11', 9, { enrolled: 1 });
    expect(t.Update!.Key).toEqual({ pk: 'ORG#u1', sk: 'COUNT#PLAN#p#2026-03-11#1' });
    expect(Object.values(t.Update!.ExpressionAttributeValues!)).toEqual(
      expect.arrayContaining(['COUNTDAYS#p', '2026-03-11#root/u1/#1', '2026-03-11', 1]),
    );
    expect(() => unitPlanCounterAdd('t', { id: 'u1', path: ['root', 'u1'] }, 'p', '2026-02-30', 0, {})).toThrow(RangeError);
  });
});
