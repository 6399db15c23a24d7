/**
 * What a roster file may be (SPEC §4.3), apart from the readers: the route
 * table's schemas need these names, and importing them must not pull the
 * CSV and workbook readers into every function's bundle.
 */
export type RosterFormat = 'csv' | 'xlsx';

export const ROSTER_CONTENT_TYPES: Readonly<Record<RosterFormat, string>> = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** SPEC §4.3's ceiling for an uploaded roster. */
export const MAX_ROSTER_FILE_BYTES = 20 * 1024 * 1024;

/** The roster format of a Content-Type (parameters such as charset are ignored: the bytes decide). */
export const rosterFormatOf = (contentType: string): RosterFormat | null => {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === ROSTER_CONTENT_TYPES.csv) return 'csv';
  if (type === ROSTER_CONTENT_TYPES.xlsx) return 'xlsx';
  return null;
};

/** An old Excel 97–2003 workbook: never read (SPEC §4.3), answered 415 XLS_NOT_SUPPORTED with the save-as-.xlsx hint. */
export const XLS_MEDIA_TYPE = 'application/vnd.ms-excel';
export const XLSX_MEDIA_TYPE = ROSTER_CONTENT_TYPES.xlsx;
/** The first bytes of an OLE compound file: an .xls workbook, or any password-protected Office file. */
export const isOleFile = (head: Uint8Array): boolean => head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
