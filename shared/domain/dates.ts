/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings (SPEC §3: dates are
 * Asia/Shanghai calendar days). Internally a date is a UTC midnight, so no
 * local time zone or DST can shift a day. Nothing here reads the clock: every
 * "today" is an argument.
 */
const DAY_MS = 86_400_000;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Shanghai is UTC+8 all year (China has had no DST since 1991). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Splits a well-shaped date string; does not check that the day exists. */
const parts = (s: string): [number, number, number] | null => {
  const m = DATE_SHAPE.exec(s);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
};

const fromMs = (ms: number): string => {
  const d = new Date(ms);
  // Outside 0000..9999 the string would not be YYYY-MM-DD any more.
  if (!(d.getUTCFullYear() >= 0 && d.getUTCFullYear() <= 9999)) throw new RangeError('date out of range');
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
};

/** UTC midnight of the date in ms. Throws on a malformed or non-existent date, so bad input never turns into NaN arithmetic. */
const toMs = (s: string): number => {
  if (!isRealDate(s)) throw new RangeError('not a real YYYY-MM-DD date');
  const [y, m, d] = parts(s)!;
  // Date.UTC maps years 0..99 to 1900..1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, m - 1, d));
  date.setUTCFullYear(y);
  return date.getTime();
};

export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export const daysInMonth = (year: number, month: number): number => (month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

/** True for a well-shaped `YYYY-MM-DD` naming a day that exists (no 2023-02-29, no 2024-13-01). */
export const isRealDate = (s: string): boolean => {
  if (typeof s !== 'string') return false;
  const p = parts(s);
  if (!p) return false;
  const [y, m, d] = p;
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
};

export const addDays = (date: string, n: number): string => {
  if (!Number.isSafeInteger(n)) throw new RangeError('days must be an integer');
  return fromMs(toMs(date) + n * DAY_MS);
};

/** b − a in whole days (positive when b is later). */
export const diffDays = (a: string, b: string): number => Math.round((toMs(b) - toMs(a)) / DAY_MS);

/** Negative, zero or positive as a is before, equal to or after b. Well-shaped dates sort as strings. */
export const compareDates = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const maxDate = (a: string, b: string): string => (compareDates(a, b) >= 0 ? a : b);
export const minDate = (a: string, b: string): string => (compareDates(a, b) <= 0 ? a : b);

/** The Asia/Shanghai calendar date of an instant. A fixed +8h shift is exact because Shanghai has no DST. */
export const shanghaiToday = (now: Date): string => {
  const ms = now.getTime();
  if (Number.isNaN(ms)) throw new RangeError('invalid instant');
  return fromMs(ms + SHANGHAI_OFFSET_MS);
};

/** The first and last instant (ISO UTC, ms precision) of a Shanghai calendar day: for timestamp ranges by day. */
export const shanghaiDayBounds = (date: string): { start: string; end: string } => {
  const start = toMs(date) - SHANGHAI_OFFSET_MS;
  return { start: new Date(start).toISOString(), end: new Date(start + DAY_MS - 1).toISOString() };
};

export const daysInYear = (year: number): number => (isLeapYear(year) ? 366 : 365);

/** 1 January = 1; 31 December = 365 or 366. */
export const dayOfYear = (date: string): number => {
  const year = date.slice(0, 4);
  return diffDays(`${year}-01-01`, date) + 1;
};

/**
 * Full years completed on `onDate` (0 before the first birthday; negative
 * only if onDate precedes birth). Someone born on 29 February turns a year
 * older on 1 March in non-leap years (on 28 February the birthday has not
 * yet come), so age checks never let anyone in a day early.
 */
export const ageOn = (birthDate: string, onDate: string): number => {
  if (!isRealDate(birthDate) || !isRealDate(onDate)) throw new RangeError('not a real YYYY-MM-DD date');
  const [by, bm, bd] = parts(birthDate)!;
  const [oy, om, od] = parts(onDate)!;
  // Comparing (month, day) pairs makes 02-29 > 02-28, so a leapling's birthday falls on 03-01 in common years.
  const hadBirthday = om > bm || (om === bm && od >= bd);
  return oy - by - (hadBirthday ? 0 : 1);
};
