import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXCEL_DIGITS_LOST, EXCEL_X_LOST, excelDamageHint } from './excelDamage';
import { computeCheckChar } from './idNumber';

const id = (first17: string) => first17 + computeCheckChar(first17);
/** A real-looking ID whose 17 digits give the check character `want`. */
const withCheck = (want: string, prefix = '110105194912310') => {
  for (let n = 0; n < 100; n++) {
    const f = prefix + String(n).padStart(2, '0');
    if (computeCheckChar(f) === want) return f;
  }
  throw new Error('no such sequence');
};

/** A valid ID that really ends in 000 (check character 0): Excel may have kept it intact. */
const validEnding000 = () => {
  for (let day = 10; day <= 28; day++) {
    for (let d = 0; d < 10; d++) {
      const f = `110105194912${day}${d}00`;
      if (computeCheckChar(f) === '0') return `${f}0`;
    }
  }
  throw new Error('none found');
};

describe('excelDamageHint', () => {
  it.each(['1.10105E+17', '1.10105e+17', '1.10105194912310e+17', ' 4.40305E+17 ', '1.1E+17', '1.10105E+16', '１.10105E+17'])(
    'recognises scientific notation %j',
    (s) => expect(excelDamageHint(s)).toBe(EXCEL_DIGITS_LOST),
  );
  it('recognises 18 digits that lost their last 3 to 15-digit precision', () => {
    const damaged = '110105194912310000';
    expect(computeCheckChar(damaged.slice(0, 17))).not.toBe('0');
    expect(excelDamageHint(damaged)).toBe(EXCEL_DIGITS_LOST);
  });
  it('recognises 17 digits whose check character would have been X', () => {
    expect(excelDamageHint(withCheck('X'))).toBe(EXCEL_X_LOST);
  });
  it('recognises a JSON number in the ID range', () => {
    expect(excelDamageHint(110105194912310020)).toBe(EXCEL_DIGITS_LOST);
    expect(excelDamageHint(12345)).toBeNull();
  });
  it.each([
    ['empty', ''],
    ['short', '12345'],
    ['letters', '张三'],
    ['a valid ID', id('11010519491231002')],
    ['a typo in a valid ID', '110105194912310028'],
    ['18 digits ending 000 whose check passes (a real ID)', validEnding000()],
    ['18 digits ending 000, province 99', '990105194912310000'],
    ['18 digits ending 000, no real birth date', '110105194913310000'],
    ['17 digits whose check is not X', withCheck('5')],
    ['17 digits, implausible prefix', '99010519491231001'],
    ['small scientific', '1.5E+05'],
    ['scientific beyond an ID', '1.10105E+19'],
    ['not a string or number', undefined],
  ])('null for ordinary invalid input: %s', (_l, v) => {
    expect(excelDamageHint(v)).toBeNull();
  });
  it('never echoes the value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^\d{15,18}$/), fc.string()), (s) => {
        const m = excelDamageHint(s);
        if (m !== null && s.trim() !== '') expect(m).not.toContain(s.trim());
      }),
    );
  });
  it('says how to fix it', () => {
    for (const m of [EXCEL_DIGITS_LOST, EXCEL_X_LOST]) expect(m).toMatch(/设置为文本格式/);
  });
});
