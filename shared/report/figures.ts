/**
 * Figures as people read them (SPEC §5: the CSV and HTML show money in 元
 * with two decimals and ratios in % with one decimal; the JSON keeps fen and
 * ‰). Integer arithmetic on the digits only, so no float can turn 1,005 fen
 * into 10.04 元 or 333 ‰ into 33.299999 %: fen → 元 is moving the decimal
 * point two places, ‰ → % one place, both exact.
 */
const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

const split = (n: number, places: number): { sign: string; whole: string; frac: string } => {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer: ${n}`);
  const digits = String(Math.abs(n)).padStart(places + 1, '0');
  return { sign: n < 0 ? '-' : '', whole: digits.slice(0, -places), frac: digits.slice(-places) };
};

/** 123456 fen → "1234.56" (a cell Excel reads as a number). */
export const yuan = (fen: number): string => {
  const { sign, whole, frac } = split(fen, 2);
  return `${sign}${whole}.${frac}`;
};

/** 123456 fen → "1,234.56" (for the page). */
export const yuanGrouped = (fen: number): string => {
  const { sign, whole, frac } = split(fen, 2);
  return `${sign}${group(whole)}.${frac}`;
};

/** 333 ‰ → "33.3" (the CSV's header carries the %). */
export const percent = (permille: number): string => {
  const { sign, whole, frac } = split(permille, 1);
  return `${sign}${whole}.${frac}`;
};

/** Thousands grouping of an integer count, for the page. */
export const grouped = (n: number): string => (n < 0 ? '-' : '') + group(String(Math.abs(n)));
