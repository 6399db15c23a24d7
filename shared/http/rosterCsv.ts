import { parse } from 'csv-parse/sync';
import type { RosterRow } from '../domain/roster';
import { validationFailed } from './problem';

export const ROSTER_HEADER = ['idNumber', 'name', 'shares', 'phone'] as const;
export const MAX_ROSTER_ROWS = 5000;

/**
 * A roster as `text/csv` (SPEC §4.3): UTF-8 with or without BOM, header row
 * `idNumber,name,shares,phone` (any order; shares and phone may be left
 * empty), RFC 4180 quoting. Structural faults are a 400; bad values are
 * judged per row later. `row` is the data line, header excluded.
 */
export const parseRosterCsv = (text: string): RosterRow[] => {
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: 4096,
      trim: false,
    }) as string[][];
  } catch (e) {
    const err = e as { code?: string; lines?: number };
    throw validationFailed(
      [{ path: 'body', message: `is not valid CSV${err.lines ? ` (line ${err.lines})` : ''}: ${err.code ?? 'parse error'}` }],
      'The CSV body could not be read.',
    );
  }
  const [header, ...data] = records;
  const names = (header ?? []).map((h) => h.trim());
  const missing = ROSTER_HEADER.filter((h) => !names.includes(h));
  const unknown = names.filter((h) => !(ROSTER_HEADER as readonly string[]).includes(h));
  if (missing.length || unknown.length || new Set(names).size !== names.length) {
    throw validationFailed([
      {
        path: 'body.header',
        message: `must be ${ROSTER_HEADER.join(',')} (missing: ${missing.join(',') || '-'}; unknown: ${unknown.join(',') || '-'})`,
      },
    ]);
  }
  if (data.length < 1 || data.length > MAX_ROSTER_ROWS) {
    throw validationFailed([{ path: 'body', message: `must have 1 to ${MAX_ROSTER_ROWS} data rows (has ${data.length})` }]);
  }
  const col = (n: (typeof ROSTER_HEADER)[number]) => names.indexOf(n);
  const [iId, iName, iShares, iPhone] = [col('idNumber'), col('name'), col('shares'), col('phone')];
  return data.map((cells, i) => {
    const shares = cells[iShares]?.trim() ?? '';
    return {
      row: i + 1,
      idNumber: cells[iId] ?? '',
      name: cells[iName] ?? '',
      // "2" → 2; anything else is left as text and judged INVALID_SHARES.
      shares: shares === '' ? undefined : /^\d{1,6}$/.test(shares) ? Number(shares) : shares,
      phone: cells[iPhone]?.trim() ?? '',
    };
  });
};
