import { decodeTime, isValid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId, newOpaqueRef } from './ids';

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

describe('newOpaqueRef', () => {
  it('is 20 random characters with no time part: not a ULID, distinct, every position spread over all 32 characters', () => {
    const refs = Array.from({ length: 4000 }, () => newOpaqueRef());
    expect(new Set(refs).size).toBe(refs.length);
    for (const r of refs.slice(0, 50)) {
      expect(r).toMatch(/^[0-9A-HJKMNP-TV-Z]{20}$/);
      expect(isValid(r)).toBe(false);
    }
    // A ULID's leading characters are its time, so ULIDs made together share a prefix; these must not.
    expect(new Set(refs.map((r) => r.slice(0, 4))).size).toBeGreaterThan(3000);
    for (let pos = 0; pos < 20; pos++) {
      const seen = new Map<string, number>();
      for (const r of refs) seen.set(r[pos]!, (seen.get(r[pos]!) ?? 0) + 1);
      expect(seen.size, `position ${pos}`).toBe(32);
      for (const n of seen.values()) expect(n).toBeGreaterThan(60);
    }
  });
});
