/**
 * Spotting resident ID numbers that Excel damaged (SPEC §4.3). Excel keeps
 * numbers to 15 significant digits and shows big ones in scientific notation,
 * so an 18-digit ID typed into a General/Number cell comes back as
 * `1.10105E+17`, or as 18 digits whose last 3 are `000`; and an ID whose
 * trailing X was dropped is 17 digits. The fix is the same each time: make
 * the column text and type the numbers again.
 *
 * Ordinary invalid input gets null, so the caller keeps its usual reason.
 * No message echoes the value: an ID number is personal data (SPEC §3).
 */
import { isRealDate } from './dates';
import { computeCheckChar } from './idNumber';

const FIX = 'format the ID number column as text (设置为文本格式) and enter the numbers again';
export const EXCEL_DIGITS_LOST = `the ID number looks damaged by Excel (stored as a number, its last digits were lost): ${FIX}`;
export const EXCEL_X_LOST = `the ID number looks damaged by Excel (stored as a number, its trailing X was lost): ${FIX}`;

/** `1.10105E+17`, `1.10105194912310e+17`: 17 or 18 digits once expanded. */
const SCIENTIFIC = /^[1-9](?:\.\d+)?e\+?(\d{1,3})$/i;

/** Full-width digits come from Chinese input methods; they mean the same digits. */
const toAscii = (s: string): string => s.replace(/[\uFF10-\uFF19\uFF38\uFF58]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** Province 11–82 and a real birth date from 1900: the start of a real ID, not a typo. */
const plausiblePrefix = (digits: string): boolean => {
  const province = Number(digits.slice(0, 2));
  const year = Number(digits.slice(6, 10));
  return (
    province >= 11 && province <= 82 && year >= 1900 && isRealDate(`${digits.slice(6, 10)}-${digits.slice(10, 12)}-${digits.slice(12, 14)}`)
  );
};

export const excelDamageHint = (raw: unknown): string | null => {
  // A JSON number this large has already lost digits the same way (doubles hold ~15–17).
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 1e16 && raw < 1e18 ? EXCEL_DIGITS_LOST : null;
  if (typeof raw !== 'string') return null;
  const s = toAscii(raw.trim());
  const sci = SCIENTIFIC.exec(s);
  if (sci) return Number(sci[1]) === 16 || Number(sci[1]) === 17 ? EXCEL_DIGITS_LOST : null;
  if (/^\d{15}000$/.test(s)) {
    return computeCheckChar(s.slice(0, 17)) !== '0' && plausiblePrefix(s) ? EXCEL_DIGITS_LOST : null;
  }
  if (/^\d{17}$/.test(s)) return computeCheckChar(s) === 'X' && plausiblePrefix(s) ? EXCEL_X_LOST : null;
  return null;
};
