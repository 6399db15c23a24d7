import { describe, expect, it } from 'vitest';
import { excelGeneral, excelInteger } from './excelNumber';

/** An 18-digit ID as a double: it has already lost digits, which is the point. */
const asDouble = (digits: string) => Number(digits);

describe('excelGeneral', () => {
  it.each([
    [asDouble('110105194912310029'), '1.10105E+17'],
    [1.1010519491231e17, '1.10105E+17'],
    [110000000000000000, '1.1E+17'],
    [asDouble('44030519800101234'), '4.40305E+16'],
    [123456789012, '1.23457E+11'],
    [12345678901, '12345678901'],
    [13800138000, '13800138000'],
    [2, '2'],
    [2.5, '2.5'],
    [0.1 + 0.2, '0.3'],
    [0, '0'],
    [-3, '-3'],
    [0.00001234, '1.234E-05'],
  ])('%d shows as %s', (n, shown) => expect(excelGeneral(n)).toBe(shown));
});

describe('excelInteger', () => {
  it('keeps every digit of a phone number Excel holds exactly', () => {
    expect(excelInteger(8613800138000)).toBe('8613800138000');
    expect(excelInteger(asDouble('110105194912310029'))).toBe('1.10105E+17');
    expect(excelInteger(1.5)).toBe('1.5');
  });
});
