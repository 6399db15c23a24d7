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

/** A row as submitted: anything may be wrong with it. `row` is 1-based; `line` is its line in a file (CSV line or sheet row, as a spreadsheet numbers it). */
export interface RosterRow {
  row: number;
  line?: number;
  idNumber: unknown;
  name: unknown;
  shares: unknown;
  phone: unknown;
}

export interface Candidate {
  row: number;
  line?: number;
  person: ResidentId;
  name: string;
  shares: number;
  phone: string | null;
}

export interface Rejection {
  row: number;
  /** A file's line (CSV) or sheet row of this row, as a spreadsheet numbers it (title and header included). */
  line?: number;
  idNumberMasked: string;
  /** The name as sent (the uploader's own data), so a clerk can find the row; ID-like digit runs masked. */
  name?: string;
  code: RowCode;
  /** What to fix, as a catalogue message: rendered in the reader's language when the outcome is read. */
  message: Msg;
  /** ALREADY_ENROLLED only: the existing enrolment, when within the caller's scope. */
  enrolmentId?: string;
}

/**
 * A member's phone (SPEC §4.3): an 11-digit mainland mobile number starting with 1. Spaces and hyphens
 * (138 0013 8000, 138-0013-8000) and a +86 / 0086 prefix are forgiven; the 11 digits are what is kept.
 * null: not such a number (a landline, 10 digits, letters).
 */
export const normalisePhone = (raw: string): string | null => {
  const digits = raw
    .normalize('NFKC')
    .replace(/[\s-]/g, '')
    .replace(/^(?:\+86|0086)/, '');
  return /^1\d{10}$/.test(digits) ? digits : null;
};

/** A number Excel mangled: the message says how to fix the sheet. */
const excelDamage = (raw: unknown): Msg | null => {
  const hint = excelDamageHint(raw);
  if (hint === null) return null;
  return msg('INVALID_ID_NUMBER', { reason: hint === EXCEL_X_LOST ? 'excelXLost' : 'excelDigitsLost' });
};

const masked = (v: unknown): string => (typeof v === 'string' ? maskIdNumber(v.trim().toUpperCase()) : '');

/** Names are echoed back on rejections, but a run of six or more digits (an ID number in the wrong column) is not. */
const MAX_ECHOED_NAME = 100;
export const nameAsSent = (v: unknown): string | undefined => {
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  return v.slice(0, MAX_ECHOED_NAME).replace(/[0-9]{6,}[0-9Xx]*/g, (m) => '*'.repeat(m.length));
};

/** The row's own identifiers in a rejection: its line in a file and the name as sent. */
export const rowEcho = (r: { line?: number | undefined; name?: unknown }): Pick<Rejection, 'line' | 'name'> => {
  const name = nameAsSent(r.name);
  return { ...(r.line !== undefined ? { line: r.line } : {}), ...(name !== undefined ? { name } : {}) };
};

/** 合计 / 小计 / 总计 (also 合 计, 合计：, 本页小计): what a totals row's label cell says. */
export const isTotalsLabel = (v: unknown): boolean => {
  if (typeof v !== 'string') return false;
  const s = v.normalize('NFKC').replace(/\s/g, '');
  return s.length <= 12 && /合计|小计|总计/.test(s);
};

/**
 * A totals row (SPEC §4.3): no ID number and a cell holding 合计, 小计 or 总计 (the ID cell itself may hold
 * the label). It is skipped and counted (`skippedRows`), not rejected as a bad ID number. For JSON rows the
 * four fields are the cells.
 */
export const isTotalsRow = (r: RosterRow): boolean =>
  (r.idNumber === undefined ||
    r.idNumber === null ||
    (typeof r.idNumber === 'string' && r.idNumber.trim() === '') ||
    isTotalsLabel(r.idNumber)) &&
  [r.idNumber, r.name, r.shares, r.phone].some(isTotalsLabel);

export const judgeRow = (plan: Plan, r: RosterRow, today: string): Candidate | Rejection => {
  const reject = (code: RowCode, message: Msg): Rejection => ({
    row: r.row,
    ...rowEcho(r),
    idNumberMasked: masked(r.idNumber),
    code,
    message,
  });
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
    const normal = typeof r.phone === 'string' ? normalisePhone(r.phone) : null;
    if (normal === null) {
      return {
        ...reject('INVALID_PHONE', msg('INVALID_PHONE')),
        idNumberMasked: maskIdNumber(id.value.idNumber),
      };
    }
    phone = normal;
  }
  return {
    row: r.row,
    ...(r.line !== undefined ? { line: r.line } : {}),
    person: id.value,
    name: name.value,
    shares: shares as number,
    phone,
  };
};

/** A line of a roster file with too few or too many cells (its values are not read). */
export interface MalformedRow {
  row: number;
  line?: number;
  malformed: true;
  message: Msg;
}

/** A totals row of a roster file (合计/小计/总计 and no ID number), found by the reader: skipped, counted. */
export interface TotalsRow {
  row: number;
  line?: number;
  totals: true;
}

export type AnyRow = RosterRow | MalformedRow | TotalsRow;

/**
 * Judges every row; the first occurrence of a person wins, later ones are
 * DUPLICATE_IN_REQUEST (compared on the canonical number, so `x` and `X` match), whose message
 * names the first occurrence by its file line when the rows came from a file (the `line` a clerk
 * sees beside the rejection), else by its row.
 * A malformed line is ROW_MALFORMED: rows are judged one by one, so it never fails the others.
 */
export const judgeRoster = (
  plan: Plan,
  rows: Iterable<AnyRow>,
  today: string,
): { candidates: Candidate[]; rejected: Rejection[]; skippedRows: number } => {
  const candidates: Candidate[] = [];
  const rejected: Rejection[] = [];
  let skippedRows = 0;
  const firstRow = new Map<string, number>();
  for (const r of rows) {
    if ('totals' in r || (!('malformed' in r) && isTotalsRow(r))) {
      skippedRows++;
      continue;
    }
    if ('malformed' in r) {
      rejected.push({
        row: r.row,
        ...(r.line !== undefined ? { line: r.line } : {}),
        idNumberMasked: '',
        code: 'ROW_MALFORMED',
        message: r.message,
      });
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
        ...rowEcho(j),
        idNumberMasked: maskIdNumber(j.person.idNumber),
        code: 'DUPLICATE_IN_REQUEST',
        message: msg('DUPLICATE_IN_REQUEST', { first }),
      });
      continue;
    }
    // Named as the clerk finds it: the file's line (a spreadsheet's row number) when the row came from a file.
    firstRow.set(j.person.idNumber, j.line ?? j.row);
    candidates.push(j);
  }
  return { candidates, rejected, skippedRows };
};
