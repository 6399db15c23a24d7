/**
 * When the nightly report runs and for which day (SPEC §5: 02:00
 * Asia/Shanghai, for "yesterday"). Pure: instants in, dates out. Used by the
 * AWS job (EventBridge Scheduler passes its scheduled time) and by the local
 * stack's timer, so both pick the same date for the same firing.
 */
import { addDays, shanghaiToday } from '../domain/dates';

/** Shanghai is UTC+8 all year (no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** The hour (Asia/Shanghai) the report runs. */
export const NIGHTLY_HOUR = 2;

/**
 * The report date for a firing at `scheduledTime` (ISO-8601): the Shanghai day
 * before the Shanghai day of that instant. Derived from the *scheduled* time,
 * not the delivery time, so a late or repeated delivery reports the same day.
 */
export const reportDateFor = (scheduledTime: string): string => {
  const ms = Date.parse(scheduledTime);
  if (Number.isNaN(ms)) throw new RangeError('scheduledTime is not an ISO-8601 instant');
  return addDays(shanghaiToday(new Date(ms)), -1);
};

/** The first 02:00 Asia/Shanghai strictly after `now`. */
export const nextNightlyRun = (now: Date): Date => {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  // Midnight of the Shanghai day holding `now`, as a UTC instant, then + 02:00.
  const shanghaiMidnight = Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS;
  const today = shanghaiMidnight + NIGHTLY_HOUR * 3_600_000;
  return new Date(today > ms ? today : today + DAY_MS);
};
