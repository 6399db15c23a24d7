import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyPayload, packReply, unpackReply } from './idempotency';

describe('stored replies', () => {
  it('keep the exact text first sent; large ones are compressed', () => {
    const big = JSON.stringify({
      rows: Array.from({ length: 5000 }, (_, i) => ({ row: i + 1, enrolmentId: `01J${String(i).padStart(23, '0')}` })),
    });
    const packed = packReply({ status: 200, text: big, headers: { location: '/x' } });
    expect(packed.gz).toBeDefined();
    expect(JSON.stringify(packed).length).toBeLessThan(big.length / 4);
    expect(unpackReply(packed)).toEqual({ status: 200, text: big, headers: { location: '/x' } });
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        const text = JSON.stringify(body) ?? 'null';
        // What the record store does to it: JSON out, JSON in. Field order survives because the text is kept.
        const stored = JSON.parse(JSON.stringify(packReply({ status: 201, text })));
        expect(unpackReply(stored).text).toBe(text);
      }),
    );
  });
});

describe('idempotency payload', () => {
  it('has no key without the header, so Powertools skips', () => {
    expect(idempotencyPayload('u', 'POST', '/orgs', '', undefined, { a: 1 }).key).toBeNull();
    expect(idempotencyPayload('u', 'POST', '/orgs', '', 'k1', { a: 1 }).key).toEqual(['u', 'POST', '/orgs', 'k1']);
  });
  it('includes the query string (order-insensitive) in what a replay must match', () => {
    const a = idempotencyPayload('u', 'POST', '/units/u1/enrolments', 'planId=p1&x=1', 'k', 'csv');
    const b = idempotencyPayload('u', 'POST', '/units/u1/enrolments', 'x=1&planId=p1', 'k', 'csv');
    const c = idempotencyPayload('u', 'POST', '/units/u1/enrolments', 'planId=p2&x=1', 'k', 'csv');
    expect(a.request).toEqual(b.request);
    expect(a.request).not.toEqual(c.request);
  });
});
