import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countedEvaluations, cutRewards, type PaidEvaluation, rewardsPaid } from './rewards';

const orgs = [
  { id: 'u2', name: '纺织厂工会', kind: 'unit' as const, parentId: 'A', path: ['root', 'A', 'u2'] },
  { id: 'A', name: '东城区办事处', kind: 'office' as const, parentId: 'root', path: ['root', 'A'] },
  { id: 'root', name: '总工会', kind: 'federation' as const, parentId: null, path: ['root'] },
  { id: 'u1', name: '机床厂工会', kind: 'unit' as const, parentId: 'A', path: ['root', 'A', 'u1'] },
  { id: 'B', name: '市直机关工委', kind: 'agency' as const, parentId: 'root', path: ['root', 'B'] },
];
const half: PaidEvaluation = {
  evaluationId: 'e-half',
  paidDate: '2026-07-10',
  rows: [
    { orgId: 'u1', rewardFen: 1600 },
    { orgId: 'u2', rewardFen: 0 },
    { orgId: 'A', rewardFen: 3200 },
    { orgId: 'B', rewardFen: 1200 },
  ],
};
const lastYearEnd: PaidEvaluation = { evaluationId: 'e-2025', paidDate: '2026-01-20', rows: [{ orgId: 'u1', rewardFen: 5000 }] };
const paidIn2025: PaidEvaluation = { evaluationId: 'e-old', paidDate: '2025-07-10', rows: [{ orgId: 'u1', rewardFen: 9999 }] };

describe('rewardsPaid', () => {
  it('sums each node’s own rewards paid from 1 January through the date (worked by hand)', () => {
    const r = rewardsPaid(orgs, [half, lastYearEnd, paidIn2025], '2026-07-10');
    // u1: 1,600 (half-year) + 5,000 (last year-end, paid in January); 2025's payout is outside the year.
    expect(r.nodes.map((n) => [n.orgId, n.rewardsPaidFen])).toEqual([
      ['root', 0],
      ['A', 3200],
      ['u1', 6600],
      ['u2', 0],
      ['B', 1200],
    ]);
    // 3,200 + 6,600 + 1,200 = 11,000: an office's figure is its own, so nothing is counted twice.
    expect(r).toMatchObject({ from: '2026-01-01', to: '2026-07-10', evaluationIds: ['e-2025', 'e-half'], totalFen: 11_000 });
  });

  it('leaves out an evaluation paid after the date', () => {
    const r = rewardsPaid(orgs, [half, lastYearEnd], '2026-07-09');
    expect(r.evaluationIds).toEqual(['e-2025']);
    expect(r.totalFen).toBe(5000);
    expect(rewardsPaid(orgs, [half], '2026-07-09').nodes.every((n) => n.rewardsPaidFen === 0)).toBe(true);
  });

  it('cuts to a subtree with the cut’s own total', () => {
    const r = cutRewards(rewardsPaid(orgs, [half], '2026-12-31'), 'A');
    expect(r.nodes.map((n) => n.orgId)).toEqual(['A', 'u1', 'u2']);
    expect(r.totalFen).toBe(4800);
    expect(cutRewards(rewardsPaid(orgs, [half], '2026-12-31'), 'nobody').nodes).toEqual([]);
  });

  it('property: the total is the sum of the counted rows, and counted means paid within [1 Jan, date]', () => {
    const day = fc.integer({ min: 0, max: 729 }).map((d) => new Date(Date.UTC(2025, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));
    const evaluation = fc.record({
      evaluationId: fc.uuid(),
      paidDate: day,
      rows: fc.array(fc.record({ orgId: fc.constantFrom('A', 'B', 'u1', 'u2'), rewardFen: fc.nat(1_000_000) }), { maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(evaluation, { maxLength: 6 }), day, (paid, date) => {
        const r = rewardsPaid(orgs, paid, date);
        const counted = paid.filter((e) => e.paidDate.slice(0, 4) === date.slice(0, 4) && e.paidDate <= date);
        expect(countedEvaluations(paid, date)).toEqual(counted);
        expect(r.totalFen).toBe(counted.flatMap((e) => e.rows).reduce((s, x) => s + x.rewardFen, 0));
        expect(r.nodes.reduce((s, n) => s + n.rewardsPaidFen, 0)).toBe(r.totalFen);
        const cutA = cutRewards(r, 'A');
        const cutB = cutRewards(r, 'B');
        expect(cutA.totalFen + cutB.totalFen).toBe(r.totalFen);
      }),
    );
  });
});
