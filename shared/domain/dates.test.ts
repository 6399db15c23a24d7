import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  compareDates,
  dayOfYear,
  daysInYear,
  diffDays,
  isRealDate,
  maxDate,
  minDate,
  shanghaiDayBounds,
  shanghaiToday,
} from './dates';

/**
 * Independent oracle: the Julian Day Number of a proleptic Gregorian date
 * (Fliegel & Van Flandern, integer arithmetic only; no Date object involved).
 */
const jdn = (s: string): number => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const a = Math.trunc((14 - m) / 12);
  const yy = y + 4800 - a;
  const mm = m + 12 * a - 3;
  return d + Math.trunc((153 * mm + 2) / 5) + 365 * yy + Math.trunc(yy / 4) - Math.trunc(yy / 100) + Math.trunc(yy / 400) - 32045;
};

const pad = (n: number, w: number) => String(n).padStart(w, '0');
const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthLength = (y: number, m: number) => [31, leap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;

/** Real dates 1900..2199, built from parts so the generator does not rely on the code under test. */
const realDate = fc
  .record({ y: fc.integer({ min: 1900, max: 2199 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 31 }) })
  .map(({ y, m, d }) => `${pad(y, 4)}-${pad(m, 2)}-${pad(Math.min(d, monthLength(y, m)), 2)}`);

describe('isRealDate', () => {
  it('accepts real days, including 29 Feb of leap years', () => {
    for (const s of ['2024-02-29', '2000-02-29', '2400-02-29', '1900-01-01', '2025-12-31', '2025-04-30']) expect(isRealDate(s)).toBe(true);
  });
  it('rejects impossible days and bad shapes', () => {
    for (const s of [
      '2023-02-29',
      '1900-02-29',
      '2100-02-29',
      '2200-02-29',
      '2025-04-31',
      '2025-13-01',
      '2025-00-10',
      '2025-01-00',
      '2025-1-01',
      '20250101',
      ' 2025-01-01',
      '2025-01-01T00:00',
      '',
    ]) {
      expect(isRealDate(s), s).toBe(false);
    }
  });
  it('rejects non-strings without throwing', () => {
    expect(isRealDate(20250101 as unknown as string)).toBe(false);
    expect(isRealDate(undefined as unknown as string)).toBe(false);
  });
});

describe('addDays / diffDays', () => {
  it('crosses month, year and leap-day boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
    expect(addDays('2025-03-01', 0)).toBe('2025-03-01');
    expect(addDays('2025-01-01', 365)).toBe('2026-01-01');
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366);
    expect(diffDays('2025-03-10', '2025-03-01')).toBe(-9);
  });
  it('throws on malformed input instead of returning garbage', () => {
    expect(() => addDays('2025-02-30', 1)).toThrow(RangeError);
    expect(() => addDays('2025-02-01', 1.5)).toThrow(RangeError);
    expect(() => diffDays('nope', '2025-01-01')).toThrow(RangeError);
  });
  it('agrees with the Julian-day oracle', () => {
    fc.assert(
      fc.property(realDate, realDate, (a, b) => {
        expect(diffDays(a, b)).toBe(jdn(b) - jdn(a));
      }),
    );
  });
  it('addDays moves exactly n days and lands on a real date', () => {
    fc.assert(
      fc.property(realDate, fc.integer({ min: -20_000, max: 20_000 }), (d, n) => {
        const moved = addDays(d, n);
        expect(isRealDate(moved)).toBe(true);
        expect(jdn(moved) - jdn(d)).toBe(n);
        expect(addDays(moved, -n)).toBe(d);
      }),
    );
  });
});

describe('compareDates / maxDate / minDate', () => {
  it('orders dates chronologically', () => {
    expect(compareDates('2025-01-02', '2025-01-10')).toBeLessThan(0);
    expect(compareDates('2025-10-01', '2025-09-30')).toBeGreaterThan(0);
    expect(compareDates('2025-10-01', '2025-10-01')).toBe(0);
    expect(maxDate('2025-01-02', '2024-12-31')).toBe('2025-01-02');
    expect(minDate('2025-01-02', '2024-12-31')).toBe('2024-12-31');
  });
  it('matches the day count order', () => {
    fc.assert(
      fc.property(realDate, realDate, (a, b) => {
        expect(Math.sign(compareDates(a, b))).toBe(Math.sign(jdn(a) - jdn(b)));
        expect(jdn(maxDate(a, b))).toBe(Math.max(jdn(a), jdn(b)));
        expect(jdn(minDate(a, b))).toBe(Math.min(jdn(a), jdn(b)));
      }),
    );
  });
});

describe('shanghaiToday', () => {
  it('is the UTC+8 calendar day of an instant', () => {
    expect(shanghaiToday(new Date('2025-06-30T15:59:59.999Z'))).toBe('2025-06-30');
    expect(shanghaiToday(new Date('2025-06-30T16:00:00.000Z'))).toBe('2025-07-01');
    expect(shanghaiToday(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
    expect(shanghaiToday(new Date('2025-01-01T00:00:00+08:00'))).toBe('2025-01-01');
  });
  it('agrees with Intl for any instant (2000..2100)', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        expect(shanghaiToday(new Date(ms))).toBe(fmt.format(new Date(ms)));
      }),
    );
  });
  it('rejects an invalid Date', () => {
    expect(() => shanghaiToday(new Date('garbage'))).toThrow(RangeError);
  });
});

describe('daysInYear / dayOfYear', () => {
  it('knows the Gregorian leap rule', () => {
    expect([1800, 1900, 2000, 2023, 2024, 2100, 2200, 2400].map(daysInYear)).toEqual([365, 365, 366, 365, 366, 365, 365, 366]);
  });
  it('counts 1 January as day 1', () => {
    expect(dayOfYear('2025-01-01')).toBe(1);
    expect(dayOfYear('2025-12-31')).toBe(365);
    expect(dayOfYear('2024-12-31')).toBe(366);
    expect(dayOfYear('2024-03-01')).toBe(61);
    expect(dayOfYear('2025-07-02')).toBe(183);
  });
  it('agrees with the oracle', () => {
    fc.assert(
      fc.property(realDate, (d) => {
        expect(dayOfYear(d)).toBe(jdn(d) - jdn(`${d.slice(0, 4)}-01-01`) + 1);
        expect(dayOfYear(d)).toBeLessThanOrEqual(daysInYear(Number(d.slice(0, 4))));
      }),
    );
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    expect(ageOn('1980-06-15', '2025-06-14')).toBe(44);
    expect(ageOn('1980-06-15', '2025-06-15')).toBe(45);
    expect(ageOn('1980-06-15', '2025-12-31')).toBe(45);
    expect(ageOn('2025-01-01', '2025-12-31')).toBe(0);
  });
  it('makes someone born on 29 Feb a year older on 1 March in common years', () => {
    expect(ageOn('2004-02-29', '2025-02-28')).toBe(20);
    expect(ageOn('2004-02-29', '2025-03-01')).toBe(21);
    expect(ageOn('2004-02-29', '2028-02-28')).toBe(23);
    expect(ageOn('2004-02-29', '2028-02-29')).toBe(24);
  });
  it('throws on impossible dates', () => {
    expect(() => ageOn('2023-02-29', '2025-01-01')).toThrow(RangeError);
  });
  it('is the largest k with the k-th birthday on or before the date', () => {
    // Oracle: the k-th birthday is the same month/day k years later, or 1 March if that day does not exist.
    const birthday = (b: string, k: number) => {
      const y = Number(b.slice(0, 4)) + k;
      const m = Number(b.slice(5, 7));
      const d = Number(b.slice(8, 10));
      return d <= monthLength(y, m) ? `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` : `${pad(y, 4)}-03-01`;
    };
    fc.assert(
      fc.property(realDate, realDate, (b, on) => {
        fc.pre(b <= on);
        const age = ageOn(b, on);
        expect(age).toBeGreaterThanOrEqual(0);
        expect(birthday(b, age) <= on).toBe(true);
        expect(birthday(b, age + 1) > on).toBe(true);
      }),
    );
  });
});

describe('shanghaiDayBounds', () => {
  it('spans the Shanghai day in UTC: 16:00 the day before to 15:59:59.999', () => {
    expect(shanghaiDayBounds('2026-03-01')).toEqual({ start: '2026-02-28T16:00:00.000Z', end: '2026-03-01T15:59:59.999Z' });
    expect(shanghaiToday(new Date(shanghaiDayBounds('2024-03-01').start))).toBe('2024-03-01');
    expect(shanghaiToday(new Date(shanghaiDayBounds('2024-03-01').end))).toBe('2024-03-01');
  });
});
