import { describe, expect, it } from 'vitest';
import { needsRollback, PAYMENT_LEASE_SECONDS, type PaymentRecord } from './payments';

const payment = (status: PaymentRecord['status']): PaymentRecord => ({
  paymentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  claimIds: [],
  totalFen: 0,
  paidDate: '2026-08-05',
  reference: 'r',
  status,
  createdBy: 'fed',
  createdAt: '2026-08-05T04:00:00.000Z',
  leaseUntil: new Date(Date.parse('2026-08-05T04:00:00.000Z') + PAYMENT_LEASE_SECONDS * 1000).toISOString(),
});

describe('needsRollback', () => {
  it('a pending payment is left alone while its lease runs (it may still be writing), rolled back after', () => {
    expect(needsRollback(payment('pending'), new Date('2026-08-05T04:01:59.999Z'))).toBe(false);
    expect(needsRollback(payment('pending'), new Date('2026-08-05T04:02:00.000Z'))).toBe(true);
  });
  it('a rollback once begun is finished whenever met; a completed payment is never undone', () => {
    const early = new Date('2026-08-05T04:00:01.000Z');
    expect(needsRollback(payment('cancelling'), early)).toBe(true);
    expect(needsRollback(payment('cancelled'), early)).toBe(true);
    expect(needsRollback(payment('completed'), new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
  it('the lease outlasts any API function (29 s)', () => {
    expect(PAYMENT_LEASE_SECONDS).toBeGreaterThan(29);
  });
});
