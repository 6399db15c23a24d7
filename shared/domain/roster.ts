/**
 * Judging an enrolment roster row by row (SPEC §4.3). Pure: the plan, the
 * rows and "today" in; the rows worth writing and the rejections out. What
 * needs the store (ALREADY_ENROLLED, renewal) is decided later, by the write.
 */
import { judgeSharesAndAge } from './enrolment';
import { type Msg, msg } from '../messages/catalogue';
import { EXCEL_X_LOST, excelDamageHint } from './excelDamage';
import { maskIdNumber, parseResidentId, type ResidentId } from './idNumber';
import { validatePersonName } from './names';
import type { Plan } from './plan';

export type { RowCode } from '../messages/catalogue';
import type { RowCode } from '../messages/catalogue';

/** A row as submitted: anything may be wrong with it. `row` is 1-based. */
export interface RosterRow {
  row: number;
  idNumber: unknown;
  name: unknown;
  shares: unknown;
  phone: unknown;
}

export interface Candidate {
  row: number;
  person: ResidentId;
  name: string;
  shares: number;
  phone: string | null;
}

export interface Rejection {
  row: number;
  idNumberMasked: string;
  code: RowCode;
  /** What to fix, as a catalogue message: rendered in the reader's language when the outcome is read. */
  message: Msg;
  /** ALREADY_ENROLLED only: the existing enrolment, when within the caller's scope. */
  enrolmentId?: string;
}

/** Phone numbers: mobile or landline, digits with optional +, spaces, hyphens, parentheses. */
const PHONE = /^\+?[0-9][0-9 ()-]{4,22}[0-9]$/;

/** A number Excel mangled: the message says how to fix the sheet. */
const excelDamage = (raw: unknown): Msg | null => {
  const hint = excelDamageHint(raw);
  if (hint === null) return null;
  return msg('INVALID_ID_NUMBER', { reason: hint === EXCEL_X_LOST ? 'excelXLost' : 'excelDigitsLost' });
};

const masked = (v: unknown): string => (typeof v === 'string' ? maskIdNumber(v.trim().toUpperCase()) : '');

export const judgeRow = (plan: Plan, r: RosterRow, today: string): Candidate | Rejection => {
  const reject = (code: RowCode, message: Msg): Rejection => ({ row: r.row, idNumberMasked: masked(r.idNumber), code, message });
  if (typeof r.idNumber !== 'string') return reject('INVALID_ID_NUMBER', msg('INVALID_ID_NUMBER', { reason: 'notString' }));
  const id = parseResidentId(r.idNumber, today);
  // A number Excel mangled (1.10105E+17, lost digits or X) gets a message saying how to fix the sheet.
  if (!id.ok) return reject('INVALID_ID_NUMBER', excelDamage(r.idNumber) ?? id.message);
  if (typeof r.name !== 'string') return reject('INVALID_NAME', msg('INVALID_NAME', { reason: 'notString' }));
  const name = validatePersonName(r.name);
  if (!name.ok) return reject('INVALID_NAME', name.message);
  const shares = r.shares === undefined || r.shares === null || r.shares === '' ? 1 : r.shares;
  const judged = judgeSharesAndAge(plan, { shares, birthDate: id.value.birthDate });
  if (!judged.ok) return { ...reject(judged.code, judged.message), idNumberMasked: maskIdNumber(id.value.idNumber) };
  let phone: string | null = null;
  if (r.phone !== undefined && r.phone !== null && r.phone !== '') {
    if (typeof r.phone !== 'string' || !PHONE.test(r.phone.trim())) {
      return {
        ...reject('INVALID_PHONE', msg('INVALID_PHONE')),
        idNumberMasked: maskIdNumber(id.value.idNumber),
      };
    }
    phone = r.phone.trim();
  }
  return { row: r.row, person: id.value, name: name.value, shares: shares as number, phone };
};

/** A line of a roster file with too few or too many cells (its values are not read). */
export interface MalformedRow {
  row: number;
  malformed: true;
  message: Msg;
}

/**
 * Judges every row; the first occurrence of a person wins, later ones are
 * DUPLICATE_IN_REQUEST (compared on the canonical number, so `x` and `X` match).
 * A malformed line is ROW_MALFORMED: rows are judged one by one, so it never fails the others.
 */
export const judgeRoster = (
  plan: Plan,
  rows: Iterable<RosterRow | MalformedRow>,
  today: string,
): { candidates: Candidate[]; rejected: Rejection[] } => {
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    if ('malformed' in r) {
      rejected.push({ row: r.row, idNumberMasked: '', code: 'ROW_MALFORMED', message: r.message });
      continue;
    }
    const j = judgeRow(plan, r, today);
    if ('code' in j) {
      rejected.push(j);
      continue;
    }
    const first = firstRow.get(j.person.idNumber);
    if (first !== undefined) {
      rejected.push({
        row: j.row,
        idNumberMasked: maskIdNumber(j.person.idNumber),
        code: 'DUPLICATE_IN_REQUEST',
        message: msg('DUPLICATE_IN_REQUEST', { first }),
      });
      continue;
    }
    firstRow.set(j.person.idNumber, j.row);
    candidates.push(j);
  }
  return { candidates, rejected };
};
