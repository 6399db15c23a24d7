import { type Msg, msg, render } from '../messages/catalogue';
import type { RosterReason } from '../messages/en';

/**
 * A fault of the whole roster file (not of one row). Messages are fixed text
 * plus counts and line numbers only: never a cell value, since a row holds ID
 * numbers and names and a "header" row may really be data. For the same
 * reason no parser error is kept as `cause` (csv-parse errors carry the record).
 */
export type RosterFileErrorCode =
  | 'ENCODING_UNKNOWN'
  | 'HEADER_INVALID'
  | 'CSV_UNREADABLE'
  | 'NOT_A_WORKBOOK'
  | 'WORKBOOK_UNREADABLE'
  | 'TOO_MANY_ROWS'
  | 'FILE_TOO_LARGE'
  /** Past a bound of shared/roster/bounds.ts: unpacked size, compression ratio, distinct texts, parse time. */
  | 'FILE_TOO_COMPLEX';

export class RosterFileError extends Error {
  override readonly name = 'RosterFileError';
  /** What the clerk reads (catalogue message, rendered in their language). */
  readonly detail: Msg;
  constructor(
    readonly code: RosterFileErrorCode,
    reason: RosterReason,
  ) {
    const detail = msg('ROSTER_FILE', { reason });
    super(render(detail, 'en'));
    this.detail = detail;
  }
}
