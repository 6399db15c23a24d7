import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../shared/clock';
import { scheduleNightly } from './nightly';

/** The fake timers move Date.now(); the schedule reads time only through its injected clock. */
const clock: Clock = { now: () => new Date(Date.now()) };

describe('scheduleNightly (the local stand-in for EventBridge Scheduler)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-06-30T10:00:00Z')); // 18:00 Shanghai
  });
  afterEach(() => vi.useRealTimers());

  it('fires at 02:00 Shanghai for the previous day, then re-arms for the next night', async () => {
    const dates: string[] = [];
    const s = scheduleNightly(async (d) => void dates.push(d), clock);
    expect(s.nextAt()).toBe('2026-06-30T18:00:00.000Z');
    await vi.advanceTimersByTimeAsync(8 * 3_600_000 - 1);
    expect(dates).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(dates).toEqual(['2026-06-30']);
    expect(s.nextAt()).toBe('2026-07-01T18:00:00.000Z');
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(dates).toEqual(['2026-06-30', '2026-07-01']);
    s.stop();
    expect(s.nextAt()).toBeNull();
    await vi.advanceTimersByTimeAsync(48 * 3_600_000);
    expect(dates).toHaveLength(2);
  });

  it('a failed run is reported and the next night still runs', async () => {
    const failures: string[] = [];
    let calls = 0;
    const s = scheduleNightly(
      async () => {
        calls++;
        if (calls === 1) throw new Error('DynamoDB Local is down');
      },
      clock,
      (date, e) => failures.push(`${date}: ${(e as Error).message}`),
    );
    await vi.advanceTimersByTimeAsync(8 * 3_600_000);
    expect(failures).toEqual(['2026-06-30: DynamoDB Local is down']);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(calls).toBe(2);
    expect(failures).toHaveLength(1);
    s.stop();
  });

  it('does not keep the process alive', () => {
    const unref = vi.spyOn(globalThis, 'setTimeout');
    const s = scheduleNightly(async () => {}, clock);
    const timer = unref.mock.results[0]!.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    s.stop();
    unref.mockRestore();
  });
});
