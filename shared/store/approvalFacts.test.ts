import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factRanges, MAX_FACT_RANGES } from './approvalFacts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const inRange = (key: string, [from, to]: [string, string]) => key >= from && key <= to;

describe('factRanges: disjoint key ranges covering every approval fact', () => {
  it('4 ranges split on the first characters; the first starts below any id, the last ends above any', () => {
    const r = factRanges(4);
    expect(r).toHaveLength(4);
    expect(r[0]![0]).toBe(' ');
    expect(r[1]![0]).toBe('80');
    expect(r[0]![1]).toBe('8/\uffff'); // everything below '80': '8' then the character before '0'
    expect(r[3]![1]).toBe('\uffff\uffff');
  });
  it('any count 1..1024: each fact key (an id of Crockford characters, #, seq) falls in exactly one range, in key order', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_FACT_RANGES + 10 }),
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 26, maxLength: 26 }),
        (n, digits) => {
          const ranges = factRanges(n);
          expect(ranges.length).toBe(Math.min(n, MAX_FACT_RANGES));
          const key = `${digits.map((d) => CROCKFORD[d]).join('')}#000001`;
          expect(ranges.filter((r) => inRange(key, r))).toHaveLength(1);
          for (let i = 1; i < ranges.length; i++) expect(ranges[i - 1]![1] < ranges[i]![0]).toBe(true);
        },
      ),
    );
  });
});
