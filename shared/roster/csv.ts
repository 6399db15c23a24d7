/**
 * CSV text to records with csv-parse's streaming parser: RFC 4180 quoting,
 * any line ending. Cell counts are left to shapeRoster (relax_column_count),
 * so a short or long line is one ROW_MALFORMED, not a failed file.
 */
import type { RosterReason } from '../messages/en';
import { pipeline, Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { RosterFileError } from './errors';

/** Longer than any real line; a runaway quoted cell stops here instead of filling memory. */
const MAX_LINE_CHARS = 64 * 1024;

const unreadable = (e: CsvError): RosterFileError => {
  const line = typeof e.lines === 'number' ? { line: e.lines } : {};
  // Only the code and line: csv-parse messages quote the offending field.
  const what: RosterReason =
    e.code === 'CSV_QUOTE_NOT_CLOSED'
      ? { key: 'csvQuote', ...line }
      : e.code === 'CSV_MAX_RECORD_SIZE'
        ? { key: 'csvLineTooLong', max: MAX_LINE_CHARS, ...line }
        : { key: 'csvMalformed', ...line };
  return new RosterFileError('CSV_UNREADABLE', what);
};

/** A CSV record with the line it starts on (1-based, as a text editor or Excel numbers it). */
export type CsvRecord = string[] & { line?: number };

const count = (s: string, ch: string): number => {
  let n = 0;
  for (let i = s.indexOf(ch); i >= 0; i = s.indexOf(ch, i + 1)) n++;
  return n;
};

export async function* csvRecords(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  const parser = parse({
    bom: false, // the decoder has dealt with it
    relax_column_count: true,
    // A stray " inside an unquoted cell (王"明) is kept as text rather than failing 50,000 rows.
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: MAX_LINE_CHARS,
    info: true,
  });
  // Errors of the source (a RosterFileError from decoding) reach the loop below through the parser.
  pipeline(Readable.from(text), parser, () => {});
  // csv-parse's `info.lines` is the line a record ENDS on, and it counts a CR LF inside a quoted cell as two
  // lines (checked on csv-parse 5/6), for this record and every later one. So: start = reported − the breaks
  // it counted inside this record's cells − the extra lines it counted for earlier records' CR LFs.
  let extra = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      let cr = 0;
      let lf = 0;
      let crlf = 0;
      for (const cell of record) {
        if (cell.length === 0) continue;
        cr += count(cell, '\r');
        lf += count(cell, '\n');
        crlf += count(cell, '\r\n');
      }
      const line = info.lines - extra - (cr + lf);
      extra += crlf;
      yield Object.assign(record, { line });
    }
  } catch (e) {
    if (e instanceof CsvError) throw unreadable(e);
    throw e;
  } finally {
    parser.destroy();
  }
}
