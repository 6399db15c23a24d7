import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, shanghaiToday } from '../domain/dates';
import { nextNightlyRun, reportDateFor } from './schedule';

describe('reportDateFor (the AWS schedule passes its scheduled time)', () => {
  it('02:00 Asia/Shanghai is 18:00 UTC the day before; the report is for the Shanghai day before the firing', () => {
    expect(reportDateFor('2026-06-30T18:00:00Z')).toBe('2026-06-30'); // fires 2026-07-01 02:00 Shanghai
    expect(reportDateFor('2026-06-30T18:00:00.000Z')).toBe('2026-06-30');
    expect(reportDateFor('2026-07-01T02:00:00+08:00')).toBe('2026-06-30');
    // Across year ends and leap days.
    expect(reportDateFor('2025-12-31T18:00:00Z')).toBe('2025-12-31');
    expect(reportDateFor('2028-02-29T18:00:00Z')).toBe('2028-02-29');
    expect(reportDateFor('2028-02-28T18:00:00Z')).toBe('2028-02-28');
  });

  it('a late or repeated delivery of the same firing reports the same day (the date comes from the scheduled time)', () => {
    // Just before midnight UTC = 07:59 Shanghai, same Shanghai day as the 02:00 firing.
    expect(reportDateFor('2026-06-30T23:59:59Z')).toBe('2026-06-30');
    // 16:00 UTC = midnight Shanghai: a new Shanghai day begins there, not at UTC midnight.
    expect(reportDateFor('2026-06-30T15:59:59Z')).toBe('2026-06-29');
    expect(reportDateFor('2026-06-30T16:00:00Z')).toBe('2026-06-30');
  });

  it('refuses what is not an instant', () => {
    expect(() => reportDateFor('yesterday')).toThrow(RangeError);
    expect(() => reportDateFor('')).toThrow(RangeError);
  });
});

describe('nextNightlyRun (the local timer)', () => {
  it('is the next 02:00 Shanghai strictly after now', () => {
    expect(nextNightlyRun(new Date('2026-06-30T12:00:00Z')).toISOString()).toBe('2026-06-30T18:00:00.000Z');
    expect(nextNightlyRun(new Date('2026-06-30T17:59:59.999Z')).toISOString()).toBe('2026-06-30T18:00:00.000Z');
    // At the firing instant itself: the next day's, so one firing never runs twice.
    expect(nextNightlyRun(new Date('2026-06-30T18:00:00Z')).toISOString()).toBe('2026-07-01T18:00:00.000Z');
    // Shanghai 01:59 → the same Shanghai day's 02:00; Shanghai 00:30 (16:30 UTC the day before) too.
    expect(nextNightlyRun(new Date('2026-06-30T17:59:00Z')).toISOString()).toBe('2026-06-30T18:00:00.000Z');
    expect(nextNightlyRun(new Date('2026-06-29T16:30:00Z')).toISOString()).toBe('2026-06-29T18:00:00.000Z');
    expect(nextNightlyRun(new Date('2027-12-31T20:00:00Z')).toISOString()).toBe('2028-01-01T18:00:00.000Z');
  });

  it('for any instant: within 24 h, at 02:00 Shanghai, and its report date is the Shanghai day before', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }), (ms) => {
        const now = new Date(ms);
        const next = nextNightlyRun(now);
        expect(next.getTime()).toBeGreaterThan(ms);
        expect(next.getTime() - ms).toBeLessThanOrEqual(86_400_000);
        expect(new Date(next.getTime() + 8 * 3_600_000).toISOString().slice(11)).toBe('02:00:00.000Z');
        expect(reportDateFor(next.toISOString())).toBe(addDays(shanghaiToday(next), -1));
      }),
    );
  });
});
