import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TRANSACTION_ITEMS, packChunks } from './chunks';

/** Items a chunk really needs: fixed + perEntry × entries + one per distinct group. */
const itemsOf = (chunk: { g: string }[], perEntry: number, fixed: number) =>
  fixed + perEntry * chunk.length + new Set(chunk.map((e) => e.g)).size;

describe('packChunks', () => {
  it('fills a transaction to exactly 100 items and no further', () => {
    // 1 fixed + 33 × (2 + own group) = 100: 33 claims of distinct units fit, the 34th starts a new chunk.
    const distinct = Array.from({ length: 34 }, (_, i) => ({ g: `u${i}` }));
    expect(packChunks(distinct, (e) => e.g, { perEntry: 2, fixed: 1 }).map((c) => c.length)).toEqual([33, 1]);
    // One unit: 1 + 1 + 2 × 49 = 100.
    const same = Array.from({ length: 60 }, () => ({ g: 'u' }));
    expect(packChunks(same, (e) => e.g, { perEntry: 2, fixed: 1 }).map((c) => c.length)).toEqual([49, 11]);
    expect(packChunks([], (e: { g: string }) => e.g, { perEntry: 2, fixed: 1 })).toEqual([]);
  });

  it('property: keeps order, loses nothing, never passes the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ g: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), n: fc.nat() }), { maxLength: 600 }),
        fc.integer({ min: 1, max: 3 }),
        (entries, perEntry) => {
          const chunks = packChunks(entries, (e) => e.g, { perEntry, fixed: 1 });
          expect(chunks.flat()).toEqual(entries);
          for (const c of chunks) {
            expect(c.length).toBeGreaterThan(0);
            expect(itemsOf(c, perEntry, 1)).toBeLessThanOrEqual(MAX_TRANSACTION_ITEMS);
          }
        },
      ),
    );
  });

  it('refuses a shape where one entry cannot fit', () => {
    expect(() => packChunks([{ g: 'a' }], (e) => e.g, { perEntry: 99, fixed: 1 })).toThrow(RangeError);
  });
});
