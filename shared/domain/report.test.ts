import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  cutReport,
  floorMulDiv,
  PROJECTION_MIN_APPROVED_CLAIMS,
  PROJECTION_MIN_DAYS,
  projectionBasis,
  type ReportInput,
  type ReportNode,
  type ReportOrg,
  type ReportPlan,
  timeElapsedPermille,
  type UnitPlanCounters,
} from './report';

const counters = (patch: Partial<UnitPlanCounters> = {}): UnitPlanCounters => ({
  enrolled: 0,
  contributionsFen: 0,
  contributionsAdministrationFen: 0,
  contributionsUnionFen: 0,
  contributionsWorkerFen: 0,
  claimsSubmitted: 0,
  claimsApproved: 0,
  claimsPaid: 0,
  claimsRejected: 0,
  benefitsApprovedFen: 0,
  benefitsPaidFen: 0,
  paidDaysTotal: 0,
  sharesNew: 0,
  sharesRenewal: 0,
  openSubmitted: {},
  ...patch,
});

const org = (id: string, kind: ReportOrg['kind'], parent: ReportOrg | null, headcount: number | null = null): ReportOrg => ({
  id,
  name: `${id}名`,
  kind,
  parentId: parent?.id ?? null,
  path: parent ? [...parent.path, id] : [id],
  headcount,
});

// root ─┬─ off-a ─┬─ u1 (headcount 100)
//       │         └─ u2 (headcount 200)
//       ├─ off-b ── agency ── u3 (no headcount)
//       └─ off-c (no units)
const root = org('root', 'federation', null);
const offA = org('off-a', 'office', root);
const offB = org('off-b', 'office', root);
const offC = org('off-c', 'office', root);
const agency = org('agency', 'agency', offB);
const u1 = org('u1', 'unit', offA, 100);
const u2 = org('u2', 'unit', offA, 200);
const u3 = org('u3', 'unit', agency);
const ORGS = [u3, u2, offC, agency, u1, offB, offA, root]; // deliberately unordered

const PLAN: ReportPlan = { id: 'p2025', name: '2025年住院医疗互助', coverageStart: '2025-01-01', coverageEnd: '2025-12-31' };

const input = (patch: Partial<ReportInput> = {}): ReportInput => ({
  date: '2025-06-30',
  generatedAt: '2025-07-01T02:00:05Z',
  asOf: '2025-07-01T02:00:00Z',
  orgs: ORGS,
  targets: new Map(),
  plans: [PLAN],
  counters: new Map([
    [
      'p2025',
      new Map([
        ['u1', counters({ enrolled: 80, contributionsFen: 8000, contributionsWorkerFen: 8000, claimsSubmitted: 3, claimsPaid: 2 })],
        ['u2', counters({ enrolled: 50, contributionsFen: 5000, contributionsUnionFen: 1000, contributionsWorkerFen: 4000 })],
        ['u3', counters({ enrolled: 7, contributionsFen: 700, contributionsAdministrationFen: 700, benefitsApprovedFen: 300 })],
      ]),
    ],
  ]),
  ...patch,
});

const nodeOf = (nodes: ReportNode[], id: string): ReportNode => {
  const n = nodes.find((x) => x.orgId === id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const onlyPlan = (i: ReportInput) => {
  const plans = buildReport(i).plans;
  expect(plans).toHaveLength(1);
  return plans[0]!;
};

describe('timeElapsedPermille', () => {
  it('counts 1 January as day 1 and ends a leap year at 1000', () => {
    expect(timeElapsedPermille('2024-12-31')).toBe(1000);
    expect(timeElapsedPermille('2025-12-31')).toBe(1000);
    expect(timeElapsedPermille('2024-07-01')).toBe(Math.floor((183 * 1000) / 366)); // 500
    expect(timeElapsedPermille('2025-07-01')).toBe(Math.floor((182 * 1000) / 365)); // 498
    expect(timeElapsedPermille('2025-01-01')).toBe(2);
  });
});

describe('floorMulDiv', () => {
  it('stays exact beyond 2^53 and floors negatives', () => {
    const a = Number.MAX_SAFE_INTEGER;
    expect(floorMulDiv(a, 1000, 7)).toBe(Number((BigInt(a) * 1000n) / 7n));
    expect(floorMulDiv(-1, 1000, 3)).toBe(-334);
    expect(floorMulDiv(5, 1000, 0)).toBeNull();
  });
});

describe('buildReport', () => {
  it('emits nodes in depth-first order, children by id, with the SPEC §5 fields', () => {
    const plan = onlyPlan(input());
    expect(plan.nodes.map((n) => n.orgId)).toEqual(['root', 'off-a', 'u1', 'u2', 'off-b', 'agency', 'u3', 'off-c']);
    expect(nodeOf(plan.nodes, 'agency')).toMatchObject({ kind: 'agency', parentId: 'off-b', name: 'agency名' });
    expect(Object.keys(nodeOf(plan.nodes, 'off-a'))).toEqual([
      'orgId',
      'name',
      'kind',
      'parentId',
      'enrolled',
      'target',
      'completionPermille',
      'timeElapsedPermille',
      'onTrack',
      'headcount',
      'participationPermille',
      'contributionsFen',
      'contributionsAdministrationFen',
      'contributionsUnionFen',
      'contributionsWorkerFen',
      'belowMinParticipation',
      'claimsSubmitted',
      'claimsApproved',
      'claimsPaid',
      'claimsRejected',
      'benefitsApprovedFen',
      'benefitsPaidFen',
      'lossRatioPermille',
      'overdueClaims',
      'avgDaysToPay',
    ]);
  });

  it('rolls unit counters up the tree and keeps each node its own target', () => {
    const plan = onlyPlan(
      input({
        targets: new Map([
          ['off-a', 260],
          ['u1', 100],
          ['root', 1000],
        ]),
      }),
    );
    const a = nodeOf(plan.nodes, 'off-a');
    expect(a).toMatchObject({ enrolled: 130, contributionsFen: 13000, contributionsUnionFen: 1000, contributionsWorkerFen: 12000 });
    expect(a).toMatchObject({ target: 260, completionPermille: 500, headcount: 300, participationPermille: 433 });
    expect(a).toMatchObject({ claimsSubmitted: 3, claimsPaid: 2 });
    expect(nodeOf(plan.nodes, 'root')).toMatchObject({
      enrolled: 137,
      contributionsFen: 13700,
      contributionsAdministrationFen: 700,
      benefitsApprovedFen: 300,
      lossRatioPermille: 21,
      target: 1000,
      completionPermille: 137,
    });
    expect(nodeOf(plan.nodes, 'agency')).toMatchObject({ enrolled: 7, target: null });
  });

  it('gives null ratios without a target, with a target of 0, and without headcount', () => {
    const plan = onlyPlan(input({ targets: new Map([['u2', 0]]) }));
    const u2n = nodeOf(plan.nodes, 'u2');
    expect(u2n).toMatchObject({ target: 0, completionPermille: null, onTrack: null, participationPermille: 250 });
    expect(u2n.rank).toBeUndefined();
    expect(nodeOf(plan.nodes, 'u1')).toMatchObject({ target: null, completionPermille: null, onTrack: null });
    expect(nodeOf(plan.nodes, 'u3')).toMatchObject({ headcount: null, participationPermille: null, belowMinParticipation: false });
    expect(nodeOf(plan.nodes, 'agency')).toMatchObject({ headcount: null, participationPermille: null });
    // The root sums the headcounts that exist.
    expect(nodeOf(plan.nodes, 'root')).toMatchObject({ headcount: 300 });
  });

  it('gives a node without units zeros and null ratios', () => {
    const c = nodeOf(onlyPlan(input({ targets: new Map([['off-c', 10]]) })).nodes, 'off-c');
    expect(c).toMatchObject({ enrolled: 0, contributionsFen: 0, claimsPaid: 0, overdueClaims: 0, belowMinParticipation: 0 });
    expect(c).toMatchObject({ completionPermille: 0, onTrack: false, headcount: null, participationPermille: null });
    expect(c).toMatchObject({ lossRatioPermille: null, avgDaysToPay: null });
  });

  it('treats a unit without counters in the plan as all zeros', () => {
    const plan = onlyPlan(input({ counters: new Map() }));
    expect(nodeOf(plan.nodes, 'u1')).toMatchObject({ enrolled: 0, headcount: 100, participationPermille: 0, lossRatioPermille: null });
    expect(plan).toMatchObject({
      contributionsFen: 0,
      poolFen: 0,
      lossRatioPermille: null,
      projectedLossRatioPermille: null,
      alert: false,
    });
  });

  it('compares completion with time elapsed for onTrack', () => {
    // 2025-06-30 is day 181: floor(181000/365) = 495.
    const plan = onlyPlan(
      input({
        targets: new Map([
          ['u1', 161],
          ['u2', 102],
        ]),
      }),
    );
    expect(nodeOf(plan.nodes, 'u1')).toMatchObject({ timeElapsedPermille: 495, completionPermille: 496, onTrack: true });
    expect(nodeOf(plan.nodes, 'u2')).toMatchObject({ completionPermille: 490, onTrack: false });
  });

  it('counts open claims as overdue only after more than 30 days', () => {
    const cs = new Map([
      ['u1', counters({ openSubmitted: { '2025-05-31': 2, '2025-05-30': 3, '2025-06-30': 1 } })], // 30, 31 and 0 days old
      ['u2', counters({ openSubmitted: { '2024-12-31': 4 } })],
    ]);
    const plan = onlyPlan(input({ counters: new Map([['p2025', cs]]) }));
    expect(nodeOf(plan.nodes, 'u1').overdueClaims).toBe(3);
    expect(nodeOf(plan.nodes, 'off-a').overdueClaims).toBe(7);
    expect(nodeOf(plan.nodes, 'root').overdueClaims).toBe(7);
  });

  it('averages days to pay to one decimal, rounding half up, and rolls it up as a ratio of sums', () => {
    const avg = (paidDaysTotal: number, claimsPaid: number) =>
      nodeOf(onlyPlan(input({ counters: new Map([['p2025', new Map([['u1', counters({ paidDaysTotal, claimsPaid })]])]]) })).nodes, 'u1')
        .avgDaysToPay;
    expect(avg(10, 3)).toBe(3.3);
    expect(avg(3, 8)).toBe(0.4); // 0.375
    expect(avg(1, 20)).toBe(0.1); // 0.05, a tie
    expect(avg(14, 1)).toBe(14);
    expect(avg(0, 0)).toBeNull();
    const cs = new Map([
      ['u1', counters({ paidDaysTotal: 10, claimsPaid: 1 })],
      ['u2', counters({ paidDaysTotal: 20, claimsPaid: 3 })],
    ]);
    expect(nodeOf(onlyPlan(input({ counters: new Map([['p2025', cs]]) })).nodes, 'off-a').avgDaysToPay).toBe(7.5);
  });

  it('flags units below the minimum participation and counts them above', () => {
    const plan = onlyPlan(input({ plans: [{ ...PLAN, minUnitParticipationPermille: 500 }] }));
    expect(nodeOf(plan.nodes, 'u1')).toMatchObject({ participationPermille: 800, belowMinParticipation: false });
    expect(nodeOf(plan.nodes, 'u2')).toMatchObject({ participationPermille: 250, belowMinParticipation: true });
    expect(nodeOf(plan.nodes, 'u3').belowMinParticipation).toBe(false); // no headcount: unknown, not below
    expect(nodeOf(plan.nodes, 'off-a').belowMinParticipation).toBe(1);
    expect(nodeOf(plan.nodes, 'root').belowMinParticipation).toBe(1);
    expect(nodeOf(onlyPlan(input()).nodes, 'u2').belowMinParticipation).toBe(false); // default minimum 0
  });

  it('ranks units by completion with competition ranking; others and unranked units get no rank', () => {
    const u4 = org('u4', 'unit', offC, 10);
    const u5 = org('u5', 'unit', offC, 10);
    const cs = new Map([
      ['u1', counters({ enrolled: 50 })],
      ['u2', counters({ enrolled: 80 })],
      ['u3', counters({ enrolled: 50 })],
      ['u4', counters({ enrolled: 30 })],
    ]);
    const targets = new Map([
      ['u1', 100],
      ['u2', 100],
      ['u3', 100],
      ['u4', 100],
      ['off-a', 1],
    ]);
    const plan = onlyPlan(input({ orgs: [...ORGS, u4, u5], targets, counters: new Map([['p2025', cs]]) }));
    const ranks = Object.fromEntries(plan.nodes.map((n) => [n.orgId, n.rank]));
    expect(ranks).toEqual({
      root: undefined,
      'off-a': undefined,
      u1: 2,
      u2: 1,
      'off-b': undefined,
      agency: undefined,
      u3: 2,
      'off-c': undefined,
      u4: 4,
      u5: undefined,
    });
    expect('rank' in nodeOf(plan.nodes, 'off-a')).toBe(false);
  });

  it('leaves out orgs that do not reach the root, with their subtrees, and anything under a unit', () => {
    const stray = org('stray', 'office', org('gone', 'office', root));
    const strayUnit = org('stray-u', 'unit', stray, 5);
    const underUnit = org('under-u1', 'unit', u1, 5);
    const cs = new Map([
      ['u1', counters({ enrolled: 1, contributionsFen: 100 })],
      ['stray-u', counters({ enrolled: 9, contributionsFen: 900, benefitsApprovedFen: 500 })],
    ]);
    const plan = onlyPlan(input({ orgs: [...ORGS, stray, strayUnit, underUnit], counters: new Map([['p2025', cs]]) }));
    expect(plan.nodes.map((n) => n.orgId)).not.toContain('stray');
    expect(plan.nodes.map((n) => n.orgId)).not.toContain('stray-u');
    expect(plan.nodes.map((n) => n.orgId)).not.toContain('under-u1');
    expect(nodeOf(plan.nodes, 'root')).toMatchObject({ enrolled: 1, contributionsFen: 100 });
    // The fund is real money: it still counts the stray unit's counters.
    expect(plan).toMatchObject({ contributionsFen: 1000, benefitsApprovedFen: 500, poolFen: 500, lossRatioPermille: 500 });
  });

  it('has no nodes without a root, and no plans on a date outside every coverage', () => {
    expect(onlyPlan(input({ orgs: [u1, offA] })).nodes).toEqual([]);
    const r = buildReport(input({ date: '2026-01-01' }));
    expect(r).toEqual({ date: '2026-01-01', generatedAt: '2025-07-01T02:00:05Z', asOf: '2025-07-01T02:00:00Z', plans: [] });
    expect(() => buildReport(input({ date: '2025-02-29' }))).toThrow(RangeError);
  });

  it('includes plans whose coverage contains the date inclusively, ordered by start then id', () => {
    const plans: ReportPlan[] = [
      { id: 'z-early', name: 'z', coverageStart: '2024-07-01', coverageEnd: '2025-06-30' },
      { id: 'b-mid', name: 'b', coverageStart: '2025-06-30', coverageEnd: '2026-06-29' },
      { id: 'a-mid', name: 'a', coverageStart: '2025-06-30', coverageEnd: '2025-06-30' },
      { id: 'later', name: 'l', coverageStart: '2025-07-01', coverageEnd: '2026-06-30' },
      { id: 'ended', name: 'e', coverageStart: '2024-01-01', coverageEnd: '2025-06-29' },
    ];
    expect(buildReport(input({ plans })).plans.map((p) => p.planId)).toEqual(['z-early', 'a-mid', 'b-mid']);
  });

  it('projects the loss ratio over the coverage, counted inclusively, and alerts above 1000‰', () => {
    const cs = (benefitsApprovedFen: number) =>
      new Map([['p2025', new Map([['u1', counters({ contributionsFen: 1_000_000, benefitsApprovedFen })]])]]);
    // Day 90 of 365: floor(600 × 365 / 90) = 2433.
    const early = onlyPlan(input({ date: '2025-03-31', counters: cs(600_000) }));
    expect(early).toMatchObject({ contributionsFen: 1_000_000, benefitsApprovedFen: 600_000, poolFen: 400_000, lossRatioPermille: 600 });
    expect(early).toMatchObject({ projectedLossRatioPermille: 2433, alert: true });
    // On the last day the projection is the ratio itself; exactly 1000‰ is not an alert.
    expect(onlyPlan(input({ date: '2025-12-31', counters: cs(1_000_000) }))).toMatchObject({
      projectedLossRatioPermille: 1000,
      alert: false,
    });
    expect(onlyPlan(input({ date: '2025-12-31', counters: cs(1_001_000) }))).toMatchObject({
      projectedLossRatioPermille: 1001,
      alert: true,
    });
    expect(onlyPlan(input({ date: '2025-12-31', counters: cs(1_500_000) })).poolFen).toBe(-500_000);
  });

  it('says when the projection rests on too little data: < 10 approved claims or < 30 days elapsed', () => {
    const cs = (claimsApproved: number, benefitsApprovedFen: number) =>
      new Map([['p2025', new Map([['u1', counters({ contributionsFen: 30_000, benefitsApprovedFen, claimsApproved })]])]]);
    // The reported defect: a tiny plan, one claim, ten days in. 1 claim of 297.33 元 on 300 元 of contributions
    // on day 10 of 365: loss 991‰, projected floor(991 × 365 / 10) = 36171‰ (3617.1 %): absurd, and flagged thin.
    const tiny = onlyPlan(input({ date: '2025-01-10', counters: cs(1, 29_733) }));
    expect(tiny).toMatchObject({ lossRatioPermille: 991, projectedLossRatioPermille: 36_171, alert: true });
    expect(tiny.projectionBasis).toEqual({ approvedClaims: 1, elapsedDays: 10, sufficient: false });
    // Enough days but 9 claims: still thin; the 10th claim makes it sufficient.
    expect(onlyPlan(input({ counters: cs(9, 1000) })).projectionBasis).toEqual({ approvedClaims: 9, elapsedDays: 181, sufficient: false });
    expect(onlyPlan(input({ counters: cs(10, 1000) })).projectionBasis).toEqual({ approvedClaims: 10, elapsedDays: 181, sufficient: true });
    // Plenty of claims but day 29 (1–29 January): thin; day 30: sufficient.
    expect(onlyPlan(input({ date: '2025-01-29', counters: cs(50, 1000) })).projectionBasis?.sufficient).toBe(false);
    expect(onlyPlan(input({ date: '2025-01-30', counters: cs(50, 1000) })).projectionBasis).toEqual({
      approvedClaims: 50,
      elapsedDays: 30,
      sufficient: true,
    });
    // Claims are the whole plan's: counted over every unit's counters.
    const split = new Map([
      [
        'p2025',
        new Map([
          ['u1', counters({ contributionsFen: 1000, claimsApproved: 6 })],
          ['u3', counters({ contributionsFen: 1000, claimsApproved: 4 })],
        ]),
      ],
    ]);
    expect(onlyPlan(input({ counters: split })).projectionBasis?.approvedClaims).toBe(10);
  });

  it('projectionBasis: sufficient exactly when both minimums are met (property)', () => {
    fc.assert(
      fc.property(fc.nat(100), fc.nat(400), (claims, days) => {
        const b = projectionBasis(claims, days);
        expect(b.sufficient).toBe(claims >= PROJECTION_MIN_APPROVED_CLAIMS && days >= PROJECTION_MIN_DAYS);
        // Monotone: more claims or more days never turns a sufficient basis thin.
        if (b.sufficient) expect(projectionBasis(claims + 1, days + 1).sufficient).toBe(true);
      }),
    );
    expect([PROJECTION_MIN_APPROVED_CLAIMS, PROJECTION_MIN_DAYS]).toEqual([10, 30]);
  });

  it('handles a plan starting mid-year: time elapsed is by calendar year, the projection by coverage', () => {
    const plan: ReportPlan = { id: 'mid', name: 'mid', coverageStart: '2025-07-01', coverageEnd: '2026-06-30' };
    const cs = new Map([['mid', new Map([['u1', counters({ enrolled: 60, contributionsFen: 9000, benefitsApprovedFen: 1000 })]])]]);
    const p = onlyPlan(input({ date: '2025-09-30', plans: [plan], counters: cs, targets: new Map([['u1', 100]]) }));
    expect(nodeOf(p.nodes, 'u1')).toMatchObject({
      timeElapsedPermille: Math.floor((273 * 1000) / 365),
      completionPermille: 600,
      onTrack: false,
    });
    // 111‰ × 365 coverage days / 92 elapsed days (1 Jul–30 Sep) = 440.3
    expect(p).toMatchObject({ lossRatioPermille: 111, projectedLossRatioPermille: 440, alert: false });
  });

  it('keeps the projection exact when lossRatio × coverageDays exceeds 2^53', () => {
    // Float arithmetic gives …089 here: 39407075877623 × 365 is not representable as a double.
    const cs = new Map([['p2025', new Map([['u1', counters({ contributionsFen: 1000, benefitsApprovedFen: 39_407_075_877_623 })]])]]);
    const p = onlyPlan(input({ date: '2025-12-30', counters: cs }));
    expect(p.lossRatioPermille).toBe(39_407_075_877_623);
    expect(p.projectedLossRatioPermille).toBe(39_515_337_075_088);
  });

  it('rolls up exactly: a parent sums its children, the root all units (property)', () => {
    const spec = fc.array(
      fc.record({
        parent: fc.nat(),
        unit: fc.boolean(),
        enrolled: fc.nat(5000),
        fen: fc.nat(10_000_000),
        headcount: fc.option(fc.nat(9000)),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(spec, (rows) => {
        const orgs: ReportOrg[] = [org('root', 'federation', null)];
        const cs = new Map<string, UnitPlanCounters>();
        rows.forEach((r, i) => {
          const parents = orgs.filter((o) => o.kind !== 'unit');
          const parent = parents[r.parent % parents.length]!;
          const o = org(`o${i}`, r.unit ? 'unit' : 'office', parent, r.headcount);
          orgs.push(o);
          if (r.unit) cs.set(o.id, counters({ enrolled: r.enrolled, contributionsFen: r.fen, contributionsWorkerFen: r.fen }));
        });
        const plan = onlyPlan(input({ orgs, counters: new Map([['p2025', cs]]) }));
        expect(plan.nodes).toHaveLength(orgs.length);
        for (const n of plan.nodes) {
          if (n.kind === 'unit') continue;
          const kids = plan.nodes.filter((k) => k.parentId === n.orgId);
          expect(n.enrolled).toBe(kids.reduce((s, k) => s + k.enrolled, 0));
          expect(n.contributionsFen).toBe(kids.reduce((s, k) => s + k.contributionsFen, 0));
        }
        const units = [...cs.values()];
        expect(plan.nodes[0]).toMatchObject({
          orgId: 'root',
          enrolled: units.reduce((s, c) => s + c.enrolled, 0),
          contributionsFen: units.reduce((s, c) => s + c.contributionsFen, 0),
        });
        expect(plan.contributionsFen).toBe(plan.nodes[0]!.contributionsFen);
      }),
    );
  });
});

describe('cutReport', () => {
  const full = buildReport(
    input({
      targets: new Map([
        ['u1', 100],
        ['u2', 100],
        ['u3', 10],
      ]),
    }),
  );

  it('keeps the subtree in order, with whole-plan fund figures and unchanged ranks', () => {
    const cut = cutReport(full, 'off-b');
    expect(cut.plans[0]!.nodes.map((n) => n.orgId)).toEqual(['off-b', 'agency', 'u3']);
    const { nodes: _a, ...fund } = cut.plans[0]!;
    const { nodes: _b, ...fullFund } = full.plans[0]!;
    expect(fund).toEqual(fullFund);
    expect(nodeOf(cut.plans[0]!.nodes, 'u3').rank).toBe(nodeOf(full.plans[0]!.nodes, 'u3').rank);
    expect(cut).toMatchObject({ date: full.date, generatedAt: full.generatedAt, asOf: full.asOf });
  });

  it('is the identity at the root, a single node at a unit, and works on a report read back from JSON', () => {
    expect(cutReport(full, 'root')).toEqual(full);
    expect(cutReport(full, 'u2').plans[0]!.nodes.map((n) => n.orgId)).toEqual(['u2']);
    const parsed = JSON.parse(JSON.stringify(full));
    expect(cutReport(parsed, 'off-a').plans[0]!.nodes.map((n) => n.orgId)).toEqual(['off-a', 'u1', 'u2']);
  });

  it('leaves plans without nodes for an org not in the report', () => {
    expect(cutReport(full, 'nobody').plans.map((p) => p.nodes)).toEqual([[]]);
  });
});
