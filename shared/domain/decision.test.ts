import { msg } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLAIM_STATUSES, type ClaimStatus } from './claim';
import { type ClaimHands, type DecisionInput, handsOn, judgeDecision } from './decision';

type Hands = ClaimHands['history'][number];
const claim = (
  over: Partial<{
    status: ClaimStatus;
    createdBy: string;
    adjustableBaseFen: number | undefined;
    history: Hands[];
    documents: { declaredBy: string }[];
  }> = {},
) => ({
  status: 'submitted' as ClaimStatus,
  createdBy: 'clerk-1',
  adjustableBaseFen: 1_234_567 as number | undefined,
  history: [
    { actor: 'clerk-1', to: 'draft' as ClaimStatus },
    { actor: 'clerk-1', to: 'submitted' as ClaimStatus },
  ],
  documents: [{ declaredBy: 'clerk-1' }],
  ...over,
});
const reviewer = 'reviewer-9';
const STATUS_OF_CODE: Record<string, number> = { SAME_PERSON: 403, INVALID_STATE: 409, VALIDATION_FAILED: 400, ADJUSTMENT_NOT_LOWER: 422 };

describe('judgeDecision', () => {
  it('approve without adjustment uses the filed amount', () => {
    expect(judgeDecision(claim(), { decision: 'approve' }, reviewer)).toEqual({ ok: true, to: 'approved', baseFen: 1_234_567 });
  });
  it('reject and return need a reason and lead to their states', () => {
    expect(judgeDecision(claim(), { decision: 'reject', reason: '非住院费用' }, reviewer)).toEqual({
      ok: true,
      to: 'rejected',
      baseFen: 1_234_567,
    });
    expect(judgeDecision(claim(), { decision: 'return', reason: '缺少出院小结' }, reviewer)).toMatchObject({ ok: true, to: 'returned' });
  });
  it('SAME_PERSON: the creator may not decide', () => {
    expect(judgeDecision(claim(), { decision: 'approve' }, 'clerk-1')).toMatchObject({ ok: false, status: 403, code: 'SAME_PERSON' });
  });
  it('SAME_PERSON: nor may whoever submitted it or declared a document, even one removed since (SPEC §4.4)', () => {
    // A reviewer returned the claim, declared (and removed) a document of their own and resubmitted it.
    const history: Hands[] = [
      { actor: 'clerk-1', to: 'draft' },
      { actor: 'clerk-1', to: 'submitted' },
      { actor: 'reviewer-2', to: 'returned' },
      { actor: 'reviewer-3', to: 'returned', action: 'document_declared' },
      { actor: 'reviewer-3', to: 'returned', action: 'document_removed' },
      { actor: 'reviewer-4', to: 'submitted' },
    ];
    const c = claim({ history, documents: [{ declaredBy: 'clerk-1' }, { declaredBy: 'reviewer-5' }] });
    expect([...handsOn(c)].sort()).toEqual(['clerk-1', 'reviewer-3', 'reviewer-4', 'reviewer-5']);
    for (const who of ['reviewer-3', 'reviewer-4', 'reviewer-5']) {
      expect(judgeDecision(c, { decision: 'approve' }, who), who).toMatchObject({ ok: false, status: 403, code: 'SAME_PERSON' });
    }
    // Returning a claim is deciding it, not handling it: that reviewer may decide again.
    expect(judgeDecision(c, { decision: 'approve' }, 'reviewer-2')).toMatchObject({ ok: true, to: 'approved' });
  });
  it('INVALID_STATE from anything but submitted', () => {
    for (const status of CLAIM_STATUSES.filter((s) => s !== 'submitted')) {
      expect(judgeDecision(claim({ status }), { decision: 'approve' }, reviewer), status).toMatchObject({
        ok: false,
        status: 409,
        code: 'INVALID_STATE',
      });
    }
  });
  it('VALIDATION_FAILED on reason for reject/return without one (blank counts as none)', () => {
    for (const reason of [undefined, '', '   ']) {
      for (const decision of ['reject', 'return'] as const) {
        expect(judgeDecision(claim(), { decision, reason }, reviewer)).toEqual({
          ok: false,
          status: 400,
          code: 'VALIDATION_FAILED',
          path: 'reason',
          message: msg('FIELD.reasonRequired', { decision }),
        });
      }
    }
  });
  it('adjustment: lower or equal is accepted, higher is ADJUSTMENT_NOT_LOWER', () => {
    expect(judgeDecision(claim(), { decision: 'approve', adjustedSelfPaidInScopeFen: 1_000_000 }, reviewer)).toEqual({
      ok: true,
      to: 'approved',
      baseFen: 1_000_000,
    });
    expect(judgeDecision(claim(), { decision: 'approve', adjustedSelfPaidInScopeFen: 1_234_567 }, reviewer)).toMatchObject({
      baseFen: 1_234_567,
    });
    expect(judgeDecision(claim(), { decision: 'approve', adjustedSelfPaidInScopeFen: 0 }, reviewer)).toMatchObject({
      ok: true,
      baseFen: 0,
    });
    expect(judgeDecision(claim(), { decision: 'approve', adjustedSelfPaidInScopeFen: 1_234_568 }, reviewer)).toMatchObject({
      ok: false,
      status: 422,
      code: 'ADJUSTMENT_NOT_LOWER',
      path: 'adjustedSelfPaidInScopeFen',
    });
  });
  it('a claim with no adjustable base (a lump sum) takes no adjustment: 400 naming it; without one it is approved', () => {
    const lumpSum = claim({ adjustableBaseFen: undefined });
    expect(judgeDecision(lumpSum, { decision: 'approve', adjustedSelfPaidInScopeFen: 0 }, reviewer)).toMatchObject({
      ok: false,
      status: 400,
      path: 'adjustedSelfPaidInScopeFen',
    });
    expect(judgeDecision(lumpSum, { decision: 'approve' }, reviewer)).toMatchObject({ ok: true, to: 'approved' });
  });
  it('adjustment only on approve, and only whole non-negative fen', () => {
    expect(judgeDecision(claim(), { decision: 'reject', reason: 'x', adjustedSelfPaidInScopeFen: 1 }, reviewer)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      path: 'adjustedSelfPaidInScopeFen',
    });
    for (const bad of [-1, 1.5, Number.NaN]) {
      expect(judgeDecision(claim(), { decision: 'approve', adjustedSelfPaidInScopeFen: bad }, reviewer)).toMatchObject({
        status: 400,
        path: 'adjustedSelfPaidInScopeFen',
      });
    }
  });
  it('precedence: SAME_PERSON, then INVALID_STATE, then reason, then adjustment', () => {
    const bad: DecisionInput = { decision: 'reject' };
    expect(judgeDecision(claim({ status: 'paid' }), bad, 'clerk-1')).toMatchObject({ code: 'SAME_PERSON' });
    expect(judgeDecision(claim({ status: 'paid' }), bad, reviewer)).toMatchObject({ code: 'INVALID_STATE' });
    expect(judgeDecision(claim(), { decision: 'return', adjustedSelfPaidInScopeFen: 9_999_999 }, reviewer)).toMatchObject({
      path: 'reason',
    });
  });

  const input = fc.record({
    status: fc.constantFrom(...CLAIM_STATUSES),
    creator: fc.constantFrom('u1', 'u2'),
    submitter: fc.constantFrom('u1', 'u2', 'u3'),
    declarer: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
    decider: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
    filed: fc.integer({ min: 0, max: 10_000_000 }),
    decision: fc.constantFrom('approve' as const, 'reject' as const, 'return' as const),
    reason: fc.option(fc.constantFrom('', ' ', '缺少发票'), { nil: undefined }),
    adjusted: fc.option(fc.integer({ min: 0, max: 12_000_000 }), { nil: undefined }),
  });
  it('property: an accepted decision comes from submitted, by nobody who made, submitted or documented it, and never raises the base', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = judgeDecision(
          {
            status: i.status,
            createdBy: i.creator,
            adjustableBaseFen: i.filed,
            history: [
              { actor: i.creator, to: 'draft' },
              { actor: i.submitter, to: 'submitted' },
            ],
            documents: [{ declaredBy: i.declarer }],
          },
          { decision: i.decision, reason: i.reason, adjustedSelfPaidInScopeFen: i.adjusted },
          i.decider,
        );
        if (r.ok) {
          expect(i.status).toBe('submitted');
          expect([i.creator, i.submitter, i.declarer]).not.toContain(i.decider);
          expect(r.baseFen).toBeLessThanOrEqual(i.filed);
          expect(r.baseFen).toBe(i.adjusted ?? i.filed);
          expect(r.to).toBe({ approve: 'approved', reject: 'rejected', return: 'returned' }[i.decision]);
        } else {
          expect(STATUS_OF_CODE[r.code]).toBe(r.status);
          if ([i.creator, i.submitter, i.declarer].includes(i.decider)) expect(r.code).toBe('SAME_PERSON');
        }
      }),
      { numRuns: 500 },
    );
  });
});
