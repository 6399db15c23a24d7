import { msg, render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HttpProblem } from './problem';

describe('problem bodies (RFC 9457, SPEC §3)', () => {
  it("a problem's own members win over any extra: `status` is always the HTTP status", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(400, 403, 404, 409, 422, 503),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.string(), fc.integer())),
        fc.constantFrom('status', 'code', 'detail', 'type', 'title'),
        (status, extra, shadow) => {
          const body = new HttpProblem(status, 'CAP_EXHAUSTED', msg('CAP_EXHAUSTED', { capFen: 100 }), {
            extra: { ...extra, [shadow]: 'paid' },
          }).toBody();
          expect(body.status).toBe(status);
          expect(body.code).toBe('CAP_EXHAUSTED');
          expect(body.detail).toBe(render(msg('CAP_EXHAUSTED', { capFen: 100 }), 'zh'));
          expect(body.title).not.toBe('paid');
          expect(body.type).toMatch(/^https:\/\/huzhu\.example\/problems\/cap-exhausted$/);
        },
      ),
    );
  });

  it('keeps every other extra member as sent', () => {
    const body = new HttpProblem(409, 'INVALID_STATE', msg('PAYMENT_CANCELLED'), {
      extra: { claimStatus: 'paid', paymentId: 'P1' },
    }).toBody();
    expect(body).toMatchObject({ status: 409, claimStatus: 'paid', paymentId: 'P1' });
  });
});
