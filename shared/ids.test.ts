import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from './ids';

describe('newId', () => {
  it('makes valid, distinct ULIDs of the current time', () => {
    const before = Date.now();
    const ids = Array.from({ length: 2000 }, newId);
    expect(ids.every(isValid)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of [ids[0]!, ids.at(-1)!]) expect(decodeTime(id)).toBeGreaterThanOrEqual(before);
  });

  it('spreads the random part over all 32 characters at every position (no character stuck or missing)', () => {
    const ids = Array.from({ length: 4000 }, newId);
    for (let pos = 10; pos < 26; pos++) {
      const seen = new Map<string, number>();
      for (const id of ids) seen.set(id[pos]!, (seen.get(id[pos]!) ?? 0) + 1);
      expect(seen.size, `position ${pos}`).toBe(32);
      // 4000 / 32 = 125 expected each; a fair source stays well inside 60..200.
      for (const n of seen.values()) expect(n).toBeGreaterThan(60);
      for (const n of seen.values()) expect(n).toBeLessThan(200);
    }
  });
});
