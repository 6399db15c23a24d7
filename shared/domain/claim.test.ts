import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allowedActions,
  blocksDuplicates,
  CLAIM_ACTIONS,
  CLAIM_STATUSES,
  type ClaimAction,
  type ClaimStatus,
  FINAL_STATUSES,
  isFinal,
  transition,
} from './claim';

/** SPEC §4.4 written out edge by edge; every other (status, action) pair is refused. */
const SPEC_EDGES: [ClaimStatus, ClaimAction, ClaimStatus][] = [
  ['draft', 'submit', 'submitted'],
  ['submitted', 'approve', 'approved'],
  ['submitted', 'reject', 'rejected'],
  ['submitted', 'return', 'returned'],
  ['returned', 'submit', 'submitted'],
  ['draft', 'withdraw', 'withdrawn'],
  ['returned', 'withdraw', 'withdrawn'],
  ['approved', 'pay', 'paid'],
];

const status = fc.constantFrom(...CLAIM_STATUSES);
const action = fc.constantFrom(...CLAIM_ACTIONS);

/** Statuses reachable from `start` by any sequence of actions (breadth-first). */
const reachableFrom = (start: ClaimStatus): Set<ClaimStatus> => {
  const seen = new Set<ClaimStatus>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const s = queue.shift()!;
    for (const a of CLAIM_ACTIONS) {
      const to = transition(s, a);
      if (to !== null && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
};

describe('transition', () => {
  it('allows exactly the SPEC edges', () => {
    for (const from of CLAIM_STATUSES) {
      for (const a of CLAIM_ACTIONS) {
        const edge = SPEC_EDGES.find(([f, act]) => f === from && act === a);
        expect(transition(from, a), `${from} --${a}-->`).toBe(edge ? edge[2] : null);
      }
    }
  });
  it('refuses the common mistakes', () => {
    expect(transition('draft', 'approve')).toBeNull(); // must be submitted first
    expect(transition('returned', 'approve')).toBeNull();
    expect(transition('submitted', 'withdraw')).toBeNull(); // under review: the reviewer returns it instead
    expect(transition('submitted', 'pay')).toBeNull();
    expect(transition('approved', 'reject')).toBeNull();
    expect(transition('paid', 'pay')).toBeNull();
  });
  it('never answers from Object.prototype for unvalidated strings', () => {
    expect(transition('draft', 'toString' as ClaimAction)).toBeNull();
    expect(transition('constructor' as ClaimStatus, 'submit')).toBeNull();
    expect(transition('__proto__' as ClaimStatus, 'submit')).toBeNull();
  });
  it('allowedActions lists the outgoing edges', () => {
    expect(allowedActions('draft')).toEqual(['submit', 'withdraw']);
    expect(allowedActions('submitted')).toEqual(['approve', 'reject', 'return']);
    expect(allowedActions('returned')).toEqual(['submit', 'withdraw']);
    expect(allowedActions('approved')).toEqual(['pay']);
    for (const s of FINAL_STATUSES) expect(allowedActions(s)).toEqual([]);
  });
});

describe('final statuses and duplicates', () => {
  it('paid, rejected and withdrawn are final', () => {
    expect(CLAIM_STATUSES.filter(isFinal)).toEqual(['paid', 'rejected', 'withdrawn']);
  });
  it('non-final and paid claims block duplicates; rejected and withdrawn ones do not', () => {
    expect(CLAIM_STATUSES.filter(blocksDuplicates)).toEqual(['draft', 'submitted', 'returned', 'approved', 'paid']);
  });
});

describe('transition: properties', () => {
  it('no action leaves a final status', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FINAL_STATUSES), action, (s, a) => {
        expect(transition(s, a)).toBeNull();
      }),
    );
  });
  it('every status is reachable from draft', () => {
    expect([...reachableFrom('draft')].sort()).toEqual([...CLAIM_STATUSES].sort());
  });
  it('every status can still end in a final one (no dead ends)', () => {
    for (const s of CLAIM_STATUSES) {
      expect([...reachableFrom(s)].some(isFinal), s).toBe(true);
    }
  });
  it('a non-final status always has some way forward', () => {
    fc.assert(
      fc.property(status, (s) => {
        expect(allowedActions(s).length > 0).toBe(!isFinal(s));
      }),
    );
  });
  it('is total and closed: any pair gives a known status or null', () => {
    fc.assert(
      fc.property(status, action, (s, a) => {
        const to = transition(s, a);
        expect(to === null || CLAIM_STATUSES.includes(to)).toBe(true);
        expect(to).not.toBe(s); // no self-loops: every recorded event changes the status
      }),
    );
  });
  it('along any run from draft: final stays final, paid only follows approved, approved only follows submitted', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 30 }), (actions) => {
        let s: ClaimStatus = 'draft';
        for (const a of actions) {
          const to = transition(s, a);
          if (to === null) continue;
          expect(isFinal(s)).toBe(false);
          if (to === 'paid') expect(s).toBe('approved');
          if (to === 'approved' || to === 'rejected' || to === 'returned') expect(s).toBe('submitted');
          s = to;
        }
      }),
      { numRuns: 300 },
    );
  });
});
