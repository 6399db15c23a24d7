import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { idempotencyPayload, packReply, unpackReply } from './idempotency';

describe('stored replies', () => {
  it('round-trip small and large bodies; large ones are compressed', () => {
    const big = { rows: Array.from({ length: 5000 }, (_, i) => ({ row: i + 1, enrolmentId: `01J${String(i).padStart(23, '0')}` })) };
    const packed = packReply({ status: 200, body: big, headers: { location: '/x' } });
    expect(packed.gz).toBeDefined();
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(big).length / 4);
    expect(unpackReply(packed)).toEqual({ status: 200, body: big, headers: { location: '/x' } });
    fc.assert(
      fc.property(fc.jsonValue(), (body) => {
        // What the record store would do to it: JSON out, JSON in.
        const stored = JSON.parse(JSON.stringify(packReply({ status: 201, body })));
        expect(unpackReply(stored)).toEqual({ status: 201, body: JSON.parse(JSON.stringify(body)) });
      }),
    );
  });
});

describe('idempotency payload', () => {
  it('has no key without the header, so Powertools skips', () => {
    expect(idempotencyPayload('u', 'POST', '/orgs', undefined, { a: 1 }).key).toBeNull();
    expect(idempotencyPayload('u', 'POST', '/orgs', 'k1', { a: 1 }).key).toEqual(['u', 'POST', '/orgs', 'k1']);
  });
});
