import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  competitionRanks,
  completionOf,
  cutRows,
  evaluationRows,
  multiplierOf,
  type NodeFigures,
  rewardOf,
  totalReward,
} from './evaluation';

const TIERS = [
  { minCompletionPermille: 500, multiplierPermille: 800 },
  { minCompletionPermille: 1000, multiplierPermille: 1000 },
  { minCompletionPermille: 1200, multiplierPermille: 1500 },
];

describe('evaluation arithmetic (figures worked by hand)', () => {
  it('completion is floor(enrolled × 1000 / target), null without a target or with 0', () => {
    // 7 × 1000 / 3 = 2333.33… → 2333
    expect(completionOf(7, 3)).toBe(2333);
    // 1 × 1000 / 3 = 333.33… → 333
    expect(completionOf(1, 3)).toBe(333);
    expect(completionOf(5, 0)).toBeNull();
    expect(completionOf(5, null)).toBeNull();
    expect(completionOf(0, 10)).toBe(0);
  });

  it('the multiplier is that of the highest tier reached, 0 below every tier or without a completion', () => {
    expect(multiplierOf(TIERS, 499)).toBe(0);
    expect(multiplierOf(TIERS, 500)).toBe(800);
    expect(multiplierOf(TIERS, 999)).toBe(800);
    expect(multiplierOf(TIERS, 1000)).toBe(1000);
    expect(multiplierOf(TIERS, 5000)).toBe(1500);
    expect(multiplierOf(TIERS, null)).toBe(0);
    expect(multiplierOf([], 900)).toBe(0);
  });

  it('the reward is floor(contributions × rate × multiplier / 1,000,000), exact past 2^53', () => {
    // 123,457 fen × 50 ‰ × 800 ‰ = 4,938,280,000 / 1,000,000 = 4,938.28 → 4,938
    expect(rewardOf(123_457, 50, 800)).toBe(4938);
    // 99 × 10 × 1000 / 1e6 = 0.99 → 0
    expect(rewardOf(99, 10, 1000)).toBe(0);
    // 9,000,000,000,001 fen × 1000 × 1500 / 1e6 = 13,500,000,000,001.5 → 13,500,000,000,001 (a float product would round)
    expect(rewardOf(9_000_000_000_001, 1000, 1500)).toBe(13_500_000_000_001);
  });

  it('ranks are standard competition ranks (1,2,2,4); null completions are unranked', () => {
    expect(competitionRanks([900, null, 1200, 900, 300])).toEqual([2, null, 1, 2, 4]);
  });
});

describe('evaluationRows', () => {
  const tree = (enrolled: Record<string, number>, contrib: Record<string, number>): NodeFigures[] => [
    { orgId: 'root', name: '总工会', kind: 'federation', parentId: null, enrolled: 0, target: 100, contributionsFen: 0 },
    {
      orgId: 'A',
      name: '甲办事处',
      kind: 'office',
      parentId: 'root',
      enrolled: enrolled.A ?? 0,
      target: 20,
      contributionsFen: contrib.A ?? 0,
    },
    { orgId: 'G', name: '乙产业工会', kind: 'agency', parentId: 'root', enrolled: 0, target: null, contributionsFen: 0 },
    { orgId: 'u1', name: '机床厂', kind: 'unit', parentId: 'A', enrolled: enrolled.u1 ?? 0, target: 10, contributionsFen: contrib.u1 ?? 0 },
    { orgId: 'u2', name: '纺织厂', kind: 'unit', parentId: 'A', enrolled: enrolled.u2 ?? 0, target: 8, contributionsFen: contrib.u2 ?? 0 },
    { orgId: 'u3', name: '钢铁厂', kind: 'unit', parentId: 'G', enrolled: 0, target: 0, contributionsFen: 0 },
  ];
  // Plan p1: u1 6 people / 60,000 fen, u2 3 / 30,000; plan p2: u1 2 / 24,000, u2 1 / 12,000; plan px (not in the rules): u2 100.
  const sections = [
    { planId: 'p1', nodes: tree({ A: 9, u1: 6, u2: 3 }, { A: 90_000, u1: 60_000, u2: 30_000 }) },
    { planId: 'p2', nodes: tree({ A: 3, u1: 2, u2: 1 }, { A: 36_000, u1: 24_000, u2: 12_000 }) },
    { planId: 'px', nodes: tree({ A: 100, u2: 100 }, { A: 1_000_000, u2: 1_000_000 }) },
  ];
  const rules = { planIds: ['p1', 'p2'], rewardRatePermille: 50, tiers: TIERS };
  const rows = evaluationRows(sections, rules, { requiredCompletionPermille: 500 });
  const row = (id: string) => rows.find((r) => r.orgId === id)!;

  it('one row per unit, office and agency, never the root, in the report order', () => {
    expect(rows.map((r) => r.orgId)).toEqual(['A', 'G', 'u1', 'u2', 'u3']);
  });

  it('sums over the rules’ plans only and applies pass, tier and reward', () => {
    // u1: 6 + 2 = 8 of 10 → 800 ‰ ≥ 500 passed; tier 500 → 800 ‰; 84,000 × 50 × 800 / 1e6 = 3,360.
    expect(row('u1')).toMatchObject({
      enrolled: 8,
      target: 10,
      completionPermille: 800,
      passed: true,
      contributionsFen: 84_000,
      multiplierPermille: 800,
      rewardFen: 3360,
    });
    // u2: 3 + 1 = 4 of 8 → 500 ‰, exactly the requirement: passed; 42,000 × 50 × 800 / 1e6 = 1,680.
    expect(row('u2')).toMatchObject({
      enrolled: 4,
      completionPermille: 500,
      passed: true,
      contributionsFen: 42_000,
      multiplierPermille: 800,
      rewardFen: 1680,
    });
    // A: 9 + 3 = 12 of 20 → 600 ‰; 126,000 × 50 × 800 / 1e6 = 5,040.
    expect(row('A')).toMatchObject({ enrolled: 12, completionPermille: 600, passed: true, rewardFen: 5040 });
    // G: no target → completion null, not passed, multiplier 0, reward 0. u3: a target of 0 → the same.
    expect(row('G')).toMatchObject({ completionPermille: null, passed: false, multiplierPermille: 0, rewardFen: 0, rank: null });
    expect(row('u3')).toMatchObject({ completionPermille: null, passed: false, rewardFen: 0, rank: null });
    // 3,360 + 1,680 + 5,040 = 10,080
    expect(totalReward(rows)).toBe(10_080);
  });

  it('a row below the requirement gets no reward even when a tier is reached', () => {
    const strict = evaluationRows(sections, rules, { requiredCompletionPermille: 1000 });
    // u1 at 800 ‰ < 1000: not passed, multiplier still 800 (the tier is reached), reward 0.
    expect(strict.find((r) => r.orgId === 'u1')).toMatchObject({ passed: false, multiplierPermille: 800, rewardFen: 0 });
    expect(totalReward(strict)).toBe(0);
  });

  it('ranks units among units and offices/agencies among themselves', () => {
    expect([row('u1').rank, row('u2').rank, row('u3').rank]).toEqual([1, 2, null]);
    expect([row('A').rank, row('G').rank]).toEqual([1, null]);
  });

  it('cuts to a subtree by parent links; the root sees every row', () => {
    expect(cutRows(rows, 'A', 'root').map((r) => r.orgId)).toEqual(['A', 'u1', 'u2']);
    expect(cutRows(rows, 'u3', 'root').map((r) => r.orgId)).toEqual(['u3']);
    expect(cutRows(rows, 'root', 'root')).toHaveLength(5);
  });

  it('property: a reward never exceeds contributions × rate × 1.5 and is 0 unless passed', () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.integer({ min: 0, max: 1000 }),
        fc.nat(1_000_000_000),
        fc.integer({ min: 0, max: 1000 }),
        (enrolled, target, contrib, rate) => {
          const [r] = evaluationRows(
            [
              {
                planId: 'p',
                nodes: [{ orgId: 'u', name: 'u', kind: 'unit', parentId: 'root', enrolled, target, contributionsFen: contrib }],
              },
            ],
            { planIds: ['p'], rewardRatePermille: rate, tiers: TIERS },
            { requiredCompletionPermille: 500 },
          );
          expect(r!.rewardFen).toBeLessThanOrEqual(Math.floor((contrib * rate * 1.5) / 1000));
          if (!r!.passed) expect(r!.rewardFen).toBe(0);
          expect(r!.passed).toBe(target > 0 && Math.floor((enrolled * 1000) / target) >= 500);
        },
      ),
    );
  });
});
