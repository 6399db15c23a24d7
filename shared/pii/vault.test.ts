import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localKeySource } from './localKeys';
import { makeVault } from './vault';

const vaultIn = (dir = mkdtempSync(join(tmpdir(), 'vault-'))) => makeVault(localKeySource(join(dir, 'secrets.json')));

describe('PII vault', () => {
  it('round-trips any JSON value and never stores the plaintext', async () => {
    const v = vaultIn();
    await fc.assert(
      fc.asyncProperty(
        fc.record({ idNumber: fc.string({ minLength: 18, maxLength: 18 }), name: fc.string({ minLength: 1 }) }),
        async (pii) => {
          const blob = await v.seal(pii, 'ENR1');
          expect(await v.open(blob, 'ENR1')).toEqual(pii);
          expect(JSON.stringify(blob)).not.toContain(pii.idNumber);
        },
      ),
      { numRuns: 50 },
    );
  });
  it('uses a fresh IV each time and detects tampering', async () => {
    const v = vaultIn();
    const a = await v.seal({ x: '11010519491231002X' }, 'ENR1');
    const b = await v.seal({ x: '11010519491231002X' }, 'ENR1');
    expect(a.ct).not.toBe(b.ct);
    const ct = Buffer.from(a.ct, 'base64');
    ct[0] = ct[0]! ^ 1;
    await expect(v.open({ ...a, ct: ct.toString('base64') }, 'ENR1')).rejects.toThrow();
  });
  it('binds a blob to its item: copied onto another item it does not open', async () => {
    const v = vaultIn();
    const blob = await v.seal({ idNumber: '11010519491231002X' }, 'ENR-A');
    expect(await v.open(blob, 'ENR-A')).toEqual({ idNumber: '11010519491231002X' });
    await expect(v.open(blob, 'ENR-B')).rejects.toThrow();
    await expect(v.open({ ...blob, v: 1 } as never, 'ENR-A')).rejects.toThrow(/version/);
  });
  it('person keys are stable per key, differ across keys, and hide the number', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-'));
    const v1 = vaultIn(dir);
    const v2 = vaultIn(dir);
    const other = vaultIn();
    const k = await v1.personKey('11010519491231002X');
    expect(await v2.personKey('11010519491231002X')).toBe(k);
    expect(await other.personKey('11010519491231002X')).not.toBe(k);
    expect(await v1.personKey('110105194912310029')).not.toBe(k);
    expect(k).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
  it('enrolment ids are 26 base32 characters, stable per person and plan, distinct otherwise', async () => {
    const v = vaultIn();
    const a = await v.enrolmentId('11010519491231002X', 'p2026');
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(await v.enrolmentId('11010519491231002X', 'p2026')).toBe(a);
    expect(await v.enrolmentId('11010519491231002X', 'p2027')).not.toBe(a);
    expect(await v.enrolmentId('110105194912310029', 'p2026')).not.toBe(a);
    const ids = new Set(await Promise.all(Array.from({ length: 2000 }, (_, i) => v.enrolmentId(String(i).padStart(18, '0'), 'p'))));
    expect(ids.size).toBe(2000);
    // Every base32 digit position varies: the encoding uses all 130 bits.
    const all = [...ids];
    for (let pos = 0; pos < 26; pos++) expect(new Set(all.map((x) => x[pos])).size).toBeGreaterThan(8);
  });
});
