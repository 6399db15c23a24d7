import { render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { examplePlan } from '../../test/support/examplePlan';
import {
  contributionFen,
  enrolmentCounterDelta,
  fundingOf,
  fundingSplit,
  lowestPerShareFen,
  perShareFen,
  subsidyProblem,
} from './enrolment';
import { planRuleViolations } from './plan';

/** 50 元 a share; renewing members pay 40 元 (续保优惠). */
const plan = { contributionPerShareFen: 5000, renewalContributionPerShareFen: 4000 };
const fullOnly = { contributionPerShareFen: 5000 };

describe('renewal discount (SPEC §4.2, §4.3)', () => {
  it('a renewal pays the renewal price, a newcomer the full price; absent, both pay the full price', () => {
    expect(perShareFen(plan, true)).toBe(4000);
    expect(perShareFen(plan, false)).toBe(5000);
    expect(perShareFen(fullOnly, true)).toBe(5000);
    expect(contributionFen(plan, 3, true)).toBe(12000); // 3 × 40 元
    expect(contributionFen(plan, 3, false)).toBe(15000); // 3 × 50 元
    expect(contributionFen(plan, 3)).toBe(15000);
    expect(lowestPerShareFen(plan)).toBe(4000);
    expect(lowestPerShareFen(fullOnly)).toBe(5000);
  });
  it('a plan whose renewal price exceeds the full price is refused (400), equal is fine', () => {
    const paths = (over: object) => planRuleViolations(examplePlan(2025, over)).map((v) => v.path);
    expect(paths({ renewalContributionPerShareFen: 5001 })).toEqual(['renewalContributionPerShareFen']);
    expect(paths({ renewalContributionPerShareFen: 5000 })).toEqual([]);
    expect(paths({ renewalContributionPerShareFen: 4000 })).toEqual([]);
    expect(paths({ renewalContributionPerShareFen: 0 })).toEqual(['renewalContributionPerShareFen']);
  });
  it('minUnitParticipationPermille is 0..1000', () => {
    const paths = (over: object) => planRuleViolations(examplePlan(2025, over)).map((v) => v.path);
    expect(paths({ minUnitParticipationPermille: 0 })).toEqual([]);
    expect(paths({ minUnitParticipationPermille: 1000 })).toEqual([]);
    expect(paths({ minUnitParticipationPermille: 1001 })).toEqual(['minUnitParticipationPermille']);
    expect(paths({ minUnitParticipationPermille: 1.5 })).toEqual(['minUnitParticipationPermille']);
  });
});

describe('co-funding (SPEC §4.3: 行政支持一点、工会筹措一点、职工拿一点)', () => {
  it('splits by share: administration 10 元, union 15 元 a share, 2 shares of a 50 元 plan → 20 / 30 / 50 元', () => {
    expect(fundingSplit(plan, { administrationPerShareFen: 1000, unionPerShareFen: 1500 }, 2, false)).toEqual({
      administrationFen: 2000,
      unionFen: 3000,
      workerFen: 5000,
    });
    // The same roster for a renewing member: 2 × 40 元 = 80 元, the worker pays 80 − 20 − 30 = 30 元.
    expect(fundingSplit(plan, { administrationPerShareFen: 1000, unionPerShareFen: 1500 }, 2, true)).toEqual({
      administrationFen: 2000,
      unionFen: 3000,
      workerFen: 3000,
    });
    expect(fundingSplit(plan, undefined, 3, false)).toEqual({ administrationFen: 0, unionFen: 0, workerFen: 15000 });
  });
  it('subsidies may reach the lowest per-share price (worker pays 0), not exceed it: SUBSIDY_TOO_HIGH', () => {
    expect(subsidyProblem(plan, { administrationPerShareFen: 2000, unionPerShareFen: 2000 })).toBeNull();
    expect(fundingSplit(plan, { administrationPerShareFen: 2000, unionPerShareFen: 2000 }, 1, true).workerFen).toBe(0);
    // 40 元 + 0.01 元 is above the renewal price, though below the full price: still too high.
    expect(render(subsidyProblem(plan, { administrationPerShareFen: 2000, unionPerShareFen: 2001 })!(true), 'en')).toMatch(/4000 fen/);
    expect(render(subsidyProblem(fullOnly, { administrationPerShareFen: 5001 })!(false), 'zh')).toMatch(/5000 分/);
    expect(subsidyProblem(plan, { unionPerShareFen: -1 })).not.toBeNull();
    expect(subsidyProblem(plan, { unionPerShareFen: 0.5 })).not.toBeNull();
    expect(() => fundingSplit(plan, { administrationPerShareFen: 4001 }, 1, false)).toThrow(RangeError);
  });
  it('recorded or not, the split always sums to contributionFen and no payer is negative (random prices, shares, subsidies, renewals)', () => {
    const arb = fc
      .record({
        full: fc.integer({ min: 1, max: 1_000_000 }),
        renewalCut: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
        shares: fc.integer({ min: 1, max: 1000 }),
        renewal: fc.boolean(),
        a: fc.double({ min: 0, max: 1, noNaN: true }),
        u: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ full, renewalCut, shares, renewal, a, u }) => {
        const p = {
          contributionPerShareFen: full,
          ...(renewalCut === undefined ? {} : { renewalContributionPerShareFen: Math.max(1, full - renewalCut) }),
        };
        const lowest = lowestPerShareFen(p);
        const admin = Math.floor(a * lowest);
        return { p, shares, renewal, f: { administrationPerShareFen: admin, unionPerShareFen: Math.floor(u * (lowest - admin)) } };
      });
    fc.assert(
      fc.property(arb, ({ p, shares, renewal, f }) => {
        expect(subsidyProblem(p, f)).toBeNull();
        const split = fundingSplit(p, f, shares, renewal);
        const contribution = contributionFen(p, shares, renewal);
        expect(split.administrationFen + split.unionFen + split.workerFen).toBe(contribution);
        expect(split.administrationFen).toBe(f.administrationPerShareFen * shares);
        expect(split.workerFen).toBeGreaterThanOrEqual(0);
        expect(Math.min(split.administrationFen, split.unionFen)).toBeGreaterThanOrEqual(0);
        expect(fundingOf({ contributionFen: contribution, funding: split })).toEqual(split);
      }),
      { numRuns: 500 },
    );
  });
});

describe('enrolmentCounterDelta', () => {
  it('moves the payer split and keeps shares of newcomers and renewing members apart', () => {
    const es = [
      { contributionFen: 10000, shares: 2, renewal: false, funding: { administrationFen: 2000, unionFen: 3000, workerFen: 5000 } },
      { contributionFen: 12000, shares: 3, renewal: true, funding: { administrationFen: 3000, unionFen: 4500, workerFen: 4500 } },
      { contributionFen: 5000, shares: 1, renewal: false }, // recorded before co-funding: the worker paid it all
    ];
    expect(enrolmentCounterDelta(es, 1)).toEqual({
      enrolled: 3,
      contributionsFen: 27000,
      contributionsAdministrationFen: 5000,
      contributionsUnionFen: 7500,
      contributionsWorkerFen: 14500,
      sharesNew: 3,
      sharesRenewal: 3,
    });
    expect(enrolmentCounterDelta(es.slice(1, 2), -1)).toEqual({
      enrolled: -1,
      contributionsFen: -12000,
      contributionsAdministrationFen: -3000,
      contributionsUnionFen: -4500,
      contributionsWorkerFen: -4500,
      sharesNew: 0,
      sharesRenewal: -3,
    });
  });
});
