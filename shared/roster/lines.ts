/**
 * From a reader's rows of cells to roster lines (SPEC §4.3): finds the header,
 * skips blank rows, numbers the rest from 1 and flags malformed ones. Shared by
 * the CSV and workbook readers so both follow the same rules.
 */
import type { RosterReason } from '../messages/en';
import { type Msg, msg } from '../messages/catalogue';
import { RosterFileError } from './errors';
import { excelGeneral, excelInteger } from './excelNumber';
import { type ColumnMap, ROSTER_FIELDS, type RosterField, resolveHeader } from './headers';
import { isTotalsLabel } from '../domain/roster';

export type { RosterFormat } from './formats';
import type { RosterFormat } from './formats';

/**
 * A data row as the row judge takes it, one it must report as ROW_MALFORMED, or a totals row (合计/小计/总计,
 * no ID number) it skips and counts. `line` is the row's line in the CSV or row in the sheet, as a
 * spreadsheet numbers it (title and header included).
 */
export type RosterLine =
  | { row: number; line?: number; idNumber: unknown; name: unknown; shares: unknown; phone: unknown }
  | { row: number; line?: number; malformed: true; message: Msg }
  | { row: number; line?: number; totals: true };

/** A cell as read: CSV gives text; a workbook also gives numbers; a hole is an empty cell. */
export type Cell = string | number | undefined;

export interface ShapeOptions {
  /** More data rows than this → TOO_MANY_ROWS, thrown before the extra row is yielded. */
  maxRows?: number;
  /** More rows of any kind (blank ones included) than this → TOO_MANY_ROWS: blank rows cost reading too. */
  maxRawRows?: number;
}

/** Workbook templates often put a title (one merged cell) above the header. */
const MAX_TITLE_ROWS = 3;

const isEmpty = (c: Cell): boolean => c === undefined || (typeof c === 'string' && c.trim() === '');
const text = (c: Cell): string => (c === undefined ? '' : typeof c === 'number' ? excelGeneral(c) : c.trim());

/** `'110105…` and `="110105…"` are how clerks keep digits as text in Excel; neither is part of the number. */
const unwrap = (s: string): string => {
  const formula = /^="(.*)"$/.exec(s);
  return (formula ? formula[1]! : s.startsWith("'") ? s.slice(1) : s).trim();
};

const idNumberOf = (c: Cell): string => (typeof c === 'number' ? excelGeneral(c) : unwrap(text(c)));
const phoneOf = (c: Cell): string | undefined => {
  const s = typeof c === 'number' ? excelInteger(c) : unwrap(text(c));
  return s === '' ? undefined : s;
};
/** As the JSON API: a whole number is a number; anything else stays text for the judge to reject. */
const sharesOf = (c: Cell): unknown => {
  if (typeof c === 'number') return c;
  const s = text(c);
  return s === '' ? undefined : /^\d{1,6}$/.test(s) ? Number(s) : s;
};

const lastFilled = (cells: readonly Cell[]): number => {
  for (let i = cells.length - 1; i >= 0; i--) if (!isEmpty(cells[i])) return i;
  return -1;
};

export async function* shapeRoster(
  rows: AsyncIterable<readonly Cell[] & { line?: number }>,
  format: RosterFormat,
  options: ShapeOptions = {},
): AsyncGenerator<RosterLine> {
  let columns: ColumnMap | undefined;
  let width = 0;
  let titles = 0;
  let row = 0;
  let raw = 0;
  for await (const cells of rows) {
    if (options.maxRawRows !== undefined && ++raw > options.maxRawRows) {
      throw new RosterFileError('TOO_MANY_ROWS', { key: 'tooManyRawRows', max: options.maxRawRows });
    }
    const last = lastFilled(cells);
    if (last < 0) continue;
    if (!columns) {
      const filled = cells.filter((c) => !isEmpty(c)).length;
      if (filled === 1 && titles < MAX_TITLE_ROWS) {
        titles++;
        continue;
      }
      columns = resolveHeader(Array.from(cells, text));
      // A CSV line has as many cells as its header; a workbook row leaves out empty trailing cells.
      width = format === 'csv' ? cells.length : last + 1;
      continue;
    }
    const cols = columns;
    const at = (f: RosterField): Cell => (cols[f] === undefined ? undefined : cells[cols[f]]);
    let problem: RosterReason | undefined;
    if (format === 'csv' && cells.length !== width) problem = { key: 'cells', cells: cells.length, width };
    if (format === 'xlsx' && last >= width) problem = { key: 'beyond', width };
    // A totals row (合计 in any cell, 序号 included, and no ID number) is skipped and counted, whatever its width.
    // The label may stand in the ID column itself: that cell then holds no ID number either.
    const id = at('idNumber');
    const totals = (isEmpty(id) || isTotalsLabel(id)) && cells.some((c) => typeof c === 'string' && isTotalsLabel(c));
    // A row with nothing in the roster's columns (say only 序号 filled in) is blank.
    if (!problem && !totals && ROSTER_FIELDS.every((f) => isEmpty(at(f)))) continue;
    row++;
    if (options.maxRows !== undefined && row > options.maxRows) {
      throw new RosterFileError('TOO_MANY_ROWS', { key: 'tooManyRows', max: options.maxRows });
    }
    const line = cells.line !== undefined ? { line: cells.line } : {};
    yield totals
      ? { row, ...line, totals: true }
      : problem
        ? { row, ...line, malformed: true, message: msg('ROW_MALFORMED', { reason: problem }) }
        : {
            row,
            ...line,
            idNumber: idNumberOf(at('idNumber')),
            name: text(at('name')),
            shares: sharesOf(at('shares')),
            phone: phoneOf(at('phone')),
          };
  }
  if (!columns) throw new RosterFileError('HEADER_INVALID', { key: 'noHeader' });
}
