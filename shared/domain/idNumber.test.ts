import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCheckChar, maskIdNumber, parseResidentId } from './idNumber';

const TODAY = '2025-06-30';

/**
 * Independent check character: ISO 7064 MOD 11-2 as the standard defines it,
 * weight of position i (1-based from the left) = 2^(18-i) mod 11, and
 * check value = (12 − S mod 11) mod 11, 10 written as X.
 */
const oracleCheck = (first17: string): string => {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * (2 ** (17 - i) % 11);
  const v = (12 - (s % 11)) % 11;
  return v === 10 ? 'X' : String(v);
};
const withCheck = (first17: string) => first17 + oracleCheck(first17);

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

/** A valid number from independent parts: province 11..82, a birth date 1900..TODAY, a sequence 000..999. */
const validId = fc
  .record({
    province: fc.integer({ min: 11, max: 82 }),
    region: fc.integer({ min: 0, max: 9999 }),
    y: fc.integer({ min: 1900, max: 2025 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    seq: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ province, region, y, m, d, seq }) => {
    const birth = `${pad(y, 4)}-${pad(m, 2)}-${pad(Math.min(d, monthLength(y, m)), 2)}`;
    return { birth: birth > TODAY ? TODAY : birth, province, region, seq };
  })
  .map(({ birth, province, region, seq }) => {
    const first17 = `${pad(province, 2)}${pad(region, 4)}${birth.replaceAll('-', '')}${pad(seq, 3)}`;
    return { id: withCheck(first17), birth, gender: seq % 2 === 1 ? 'male' : 'female', province };
  });

const reasonOf = (raw: string, today = TODAY) => {
  const r = parseResidentId(raw, today);
  if (r.ok) throw new Error('expected a rejection');
  return r.reason;
};

describe('computeCheckChar', () => {
  it('matches the textbook example 11010519491231002X', () => {
    expect(oracleCheck('11010519491231002')).toBe('X');
    expect(computeCheckChar('11010519491231002')).toBe('X');
  });
  it('agrees with the MOD 11-2 oracle on any 17 digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{17}$/), (first17) => {
        expect(computeCheckChar(first17)).toBe(oracleCheck(first17));
      }),
    );
  });
  it('refuses anything but 17 digits', () => {
    expect(() => computeCheckChar('1101051949123100')).toThrow(RangeError);
    expect(() => computeCheckChar('1101051949123100a')).toThrow(RangeError);
  });
});

describe('parseResidentId: accepted', () => {
  it('parses the textbook example', () => {
    expect(parseResidentId('11010519491231002X', TODAY)).toEqual({
      ok: true,
      value: { idNumber: '11010519491231002X', birthDate: '1949-12-31', gender: 'female', provinceCode: 11 },
    });
  });
  it('accepts a lower-case x and stores it upper-case', () => {
    const r = parseResidentId('11010519491231002x', TODAY);
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });
  it('trims surrounding whitespace, including an ideographic space', () => {
    const r = parseResidentId(' \t11010519491231002X\u3000\n', TODAY);
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });
  it('accepts full-width digits from Chinese input methods and canonicalises them', () => {
    const r = parseResidentId('１１０１０５１９４９１２３１００２ｘ', TODAY);
    expect(r.ok && r.value.idNumber).toBe('11010519491231002X');
  });
  it('reads a male from an odd 17th digit', () => {
    const id = withCheck('44030419900101001');
    const r = parseResidentId(id, TODAY);
    expect(r).toEqual({ ok: true, value: { idNumber: id, birthDate: '1990-01-01', gender: 'male', provinceCode: 44 } });
  });
  it('accepts boundary provinces 11 and 82 and a birth date of today or 1900-01-01', () => {
    expect(parseResidentId(withCheck('11000019000101000'), TODAY).ok).toBe(true);
    expect(parseResidentId(withCheck('82000020250630000'), TODAY).ok).toBe(true);
  });
  it('round-trips any generated valid number', () => {
    fc.assert(
      fc.property(validId, ({ id, birth, gender, province }) => {
        const r = parseResidentId(id, TODAY);
        expect(r).toEqual({ ok: true, value: { idNumber: id, birthDate: birth, gender, provinceCode: province } });
        // lower-case check char parses to the same canonical value
        expect(parseResidentId(id.toLowerCase(), TODAY)).toEqual(r);
      }),
    );
  });
});

describe('parseResidentId: rejected', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['too short', '1101051949123100X', /18 characters/],
    ['too long', '11010519491231002X1', /18 characters/],
    ['empty', '   ', /18 characters/],
    ['letter inside', '1101051949A231002X', /17 digits/],
    ['X not last', 'X10105194912310021', /17 digits/],
    ['wrong check char', '110105194912310021', /check character/],
    ['province 10', withCheck('10010519491231002'), /province/],
    ['province 83', withCheck('83010519491231002'), /province/],
    ['province 00', withCheck('00010519491231002'), /province/],
    ['month 13', withCheck('11010519491331002'), /real birth date/],
    ['29 Feb of a common year', withCheck('11010520230229002'), /real birth date/],
    ['born 1899', withCheck('11010518991231002'), /before 1900/],
    ['born tomorrow', withCheck('11010520250701002'), /future/],
  ];
  it.each(cases)('rejects %s', (_label, raw, reason) => {
    expect(reasonOf(raw)).toMatch(reason);
  });
  it('rejects a non-string without throwing', () => {
    expect(parseResidentId(undefined as unknown as string, TODAY).ok).toBe(false);
    expect(parseResidentId(110105 as unknown as string, TODAY).ok).toBe(false);
  });
  it('never echoes the number, or any 6 characters of it, in the reason', () => {
    for (const [, raw] of cases) {
      const reason = reasonOf(raw);
      const id = raw.trim();
      for (let i = 0; i + 6 <= id.length; i++) expect(reason).not.toContain(id.slice(i, i + 6));
    }
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9Xx]{10,24}$/), (raw) => {
        const r = parseResidentId(raw, TODAY);
        if (!r.ok) for (let i = 0; i + 6 <= raw.length; i++) expect(r.reason).not.toContain(raw.slice(i, i + 6));
      }),
    );
  });
  it('throws when today is not a date (caller bug, not user input)', () => {
    expect(() => parseResidentId('11010519491231002X', '2025-13-01')).toThrow(RangeError);
  });
  it('detects every single-character change of a valid number', () => {
    const alphabet = '0123456789X';
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 17 }), fc.integer({ min: 1, max: 10 }), ({ id }, pos, shift) => {
        const pool = pos === 17 ? alphabet : alphabet.slice(0, 10);
        const next = pool[(pool.indexOf(id[pos]!) + shift) % pool.length]!;
        fc.pre(next !== id[pos]);
        const changed = id.slice(0, pos) + next + id.slice(pos + 1);
        expect(parseResidentId(changed, TODAY).ok).toBe(false);
        // The checksum alone catches it, whatever the date or province say.
        expect(oracleCheck(changed.slice(0, 17))).not.toBe(changed[17]);
      }),
    );
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
  it('never reveals the 8 middle characters', () => {
    fc.assert(
      fc.property(validId, ({ id }) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
        expect(masked.slice(0, 6) + masked.slice(14)).toBe(id.slice(0, 6) + id.slice(14));
      }),
    );
  });
  it('reveals at most 2 characters at each end of anything else, and never more than half', () => {
    expect(maskIdNumber('1101051949123100')).toBe('11************00');
    expect(maskIdNumber('12345')).toBe('1***5');
    expect(maskIdNumber('123')).toBe('***');
    expect(maskIdNumber('')).toBe('');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 40 }).filter((s) => [...s.trim()].length !== 18),
        (raw) => {
          const chars = [...raw.trim()];
          const masked = [...maskIdNumber(raw)];
          expect(masked).toHaveLength(chars.length);
          const revealed = masked.map((c, i) => (c === '*' ? -1 : i)).filter((i) => i >= 0);
          for (const i of revealed) {
            expect(i < 2 || i >= chars.length - 2).toBe(true);
            expect(masked[i]).toBe(chars[i]);
          }
          expect(revealed.length * 2).toBeLessThanOrEqual(chars.length);
        },
      ),
    );
  });
});
