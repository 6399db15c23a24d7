/**
 * Resident ID numbers (居民身份证号码, GB 11643-1999; SPEC §6.1).
 * Layout: 6-digit region (first two = province), 8-digit birth date,
 * 3-digit sequence (its last digit odd = male), 1 check character.
 *
 * An ID number is personal data: no message produced here ever contains it,
 * so rejection reasons can be logged and returned as they are.
 */
import { type Msg, msg } from '../messages/catalogue';
import type { IdReason } from '../messages/en';
import { compareDates, isRealDate } from './dates';

export type Gender = 'male' | 'female';

export interface ResidentId {
  /** Canonical form: 18 ASCII characters, check character upper-case. */
  idNumber: string;
  birthDate: string;
  gender: Gender;
  provinceCode: number;
}

/** `reason`: English, for logs and tests; `message`: the same in the catalogue, for the clerk in their language. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string; message: Msg };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH = '1900-01-01';
/** The standard's province codes lie in 11..82 (北京 11 … 澳门 82); SPEC §6.1 asks only for that range. */
const PROVINCE_MIN = 11;
const PROVINCE_MAX = 82;

/** The GB 11643 check character of 17 digits. Throws on anything else (a programming error, not user input). */
export const computeCheckChar = (first17: string): string => {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('expected exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
};

/**
 * Full-width digits and X (０-９, Ｘ, ｘ) come from Chinese input methods and
 * spreadsheets; they mean the same number, so map them to ASCII before checking.
 */
const toAscii = (s: string): string => s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

const fail = (reason: string, why: IdReason): { ok: false; reason: string; message: Msg } => ({
  ok: false,
  reason,
  message: msg('INVALID_ID_NUMBER', { reason: why }),
});

/**
 * Validates and canonicalises a resident ID number. `today` (YYYY-MM-DD,
 * Asia/Shanghai) bounds the birth date; it is a parameter so rules stay pure.
 */
export const parseResidentId = (raw: string, today: string): ParseResult<ResidentId> => {
  if (!isRealDate(today)) throw new RangeError('today must be a real YYYY-MM-DD date');
  if (typeof raw !== 'string') return fail('ID number must be a string', 'notString');
  const s = toAscii(raw.trim());
  if ([...s].length !== 18) return fail('ID number must be 18 characters long', 'length');
  if (!/^\d{17}[\dXx]$/.test(s)) return fail('ID number must be 17 digits followed by a digit or X', 'digits');

  const idNumber = s.toUpperCase();
  const first17 = idNumber.slice(0, 17);
  if (computeCheckChar(first17) !== idNumber[17])
    return fail('ID number check character does not match (likely a typing error)', 'checkChar');

  const provinceCode = Number(idNumber.slice(0, 2));
  if (provinceCode < PROVINCE_MIN || provinceCode > PROVINCE_MAX)
    return fail('ID number does not start with a valid province code', 'province');

  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isRealDate(birthDate)) return fail('ID number does not contain a real birth date', 'birthDate');
  if (compareDates(birthDate, EARLIEST_BIRTH) < 0) return fail('ID number birth date is before 1900', 'before1900');
  if (compareDates(birthDate, today) > 0) return fail('ID number birth date is in the future', 'future');

  const gender: Gender = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { idNumber, birthDate, gender, provinceCode } };
};

/**
 * The only form in which an ID number leaves the system (SPEC §3):
 * `110105********002X`. Input that is not 18 characters (e.g. a rejected row)
 * reveals at most 2 characters at each end, fewer when short, so masking
 * never shows more than half of it.
 */
export const maskIdNumber = (id: string): string => {
  const chars = [...String(id ?? '').trim()];
  const n = chars.length;
  if (n === 18) return chars.slice(0, 6).join('') + '*'.repeat(8) + chars.slice(14).join('');
  const keep = Math.min(2, Math.floor(n / 4));
  return chars.slice(0, keep).join('') + '*'.repeat(n - 2 * keep) + chars.slice(n - keep).join('');
};
