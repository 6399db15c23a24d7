import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grouped, percent, yuan, yuanGrouped } from './figures';

describe('report figures (SPEC §5: 元 with two decimals, % with one, from fen and ‰ exactly)', () => {
  it('moves the decimal point, worked by hand', () => {
    expect(yuan(0)).toBe('0.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(50)).toBe('0.50');
    expect(yuan(1005)).toBe('10.05'); // 10.05 is not a binary float: 1005 / 100 would print 10.049999…
    expect(yuan(-5000)).toBe('-50.00');
    expect(yuan(-1)).toBe('-0.01');
    expect(yuan(123_456_789)).toBe('1234567.89');
    expect(yuanGrouped(123_456_789)).toBe('1,234,567.89');
    expect(yuanGrouped(-100_000)).toBe('-1,000.00');
    expect(percent(0)).toBe('0.0');
    expect(percent(7)).toBe('0.7');
    expect(percent(333)).toBe('33.3');
    expect(percent(1000)).toBe('100.0');
    expect(percent(2250)).toBe('225.0');
    expect(percent(-15)).toBe('-1.5');
    expect(grouped(1234567)).toBe('1,234,567');
    expect(grouped(-999)).toBe('-999');
  });

  it('gives back exactly the integer it was given (no float on the way)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const y = yuan(n);
        expect(y).toMatch(/^-?\d+\.\d{2}$/);
        expect(BigInt(y.replace('.', ''))).toBe(BigInt(n));
        expect(yuanGrouped(n).replace(/,/g, '')).toBe(y);
        const p = percent(n);
        expect(p).toMatch(/^-?\d+\.\d$/);
        expect(BigInt(p.replace('.', ''))).toBe(BigInt(n));
      }),
    );
  });

  it('refuses a non-integer (money is never a float)', () => {
    expect(() => yuan(10.5)).toThrow(RangeError);
    expect(() => percent(Number.NaN)).toThrow(RangeError);
  });
});
