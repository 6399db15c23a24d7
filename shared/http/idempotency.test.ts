import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packReply, requestHash, scopeHash, unpackReply } from './idempotency';

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

describe('idempotency keys and requests', () => {
  it('a key belongs to the caller as sub, role and org together, and to the method and path', () => {
    const clerk = { sub: 'u', role: 'unit_admin', orgId: 'unit-1' };
    const base = scopeHash(clerk, 'POST', '/claims', 'k1');
    expect(scopeHash({ ...clerk }, 'POST', '/claims', 'k1')).toBe(base);
    for (const other of [
      scopeHash({ ...clerk, sub: 'v' }, 'POST', '/claims', 'k1'),
      scopeHash({ ...clerk, role: 'office_staff' }, 'POST', '/claims', 'k1'),
      scopeHash({ ...clerk, orgId: 'unit-2' }, 'POST', '/claims', 'k1'),
      scopeHash(clerk, 'POST', '/orgs', 'k1'),
      scopeHash(clerk, 'POST', '/claims', 'k2'),
    ])
      expect(other).not.toBe(base);
  });
  it('includes the query string (order-insensitive) in what a replay must match', () => {
    const a = requestHash('planId=p1&x=1', 'csv');
    expect(requestHash('x=1&planId=p1', 'csv')).toBe(a);
    expect(requestHash('planId=p2&x=1', 'csv')).not.toBe(a);
    expect(requestHash('planId=p1&x=1', 'csv2')).not.toBe(a);
  });
});
