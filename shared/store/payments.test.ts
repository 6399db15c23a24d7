import { describe, expect, it } from 'vitest';
import { mayRollBack, PAYMENT_LEASE_SECONDS, type PaymentRecord } from './payments';

const payment = (status: PaymentRecord['status']): PaymentRecord => ({
  paymentId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
  claimIds: [],
  totalFen: 0,
  paidDate: '2026-08-05',
  reference: 'r',
  status,
  createdBy: 'fed',
  createdByRole: 'federation_admin',
  createdAt: '2026-08-05T04:00:00.000Z',
  leaseUntil: new Date(Date.parse('2026-08-05T04:00:00.000Z') + PAYMENT_LEASE_SECONDS * 1000).toISOString(),
});

describe('mayRollBack', () => {
  it('a pending payment is left alone while its lease runs (it may still be writing), rolled back after', () => {
    expect(mayRollBack(payment('pending'), new Date('2026-08-05T04:01:59.999Z'))).toBe(false);
    expect(mayRollBack(payment('pending'), new Date('2026-08-05T04:02:00.000Z'))).toBe(true);
  });
  it('a cancelled payment is released whenever met; a completed payment is never undone', () => {
    expect(mayRollBack(payment('cancelled'), new Date('2026-08-05T04:00:01.000Z'))).toBe(true);
    expect(mayRollBack(payment('completed'), new Date('2030-01-01T00:00:00Z'))).toBe(false);
  });
  it('the lease outlasts any API function (29 s)', () => {
    expect(PAYMENT_LEASE_SECONDS).toBeGreaterThan(29);
  });
});
