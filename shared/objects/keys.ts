/**
 * S3 key builders: the only place that spells an object key. Keys are made
 * of ids only (never a file name, ID number or person's name: SPEC §3), so
 * they can appear in logs, events and URLs. A part outside the safe charset
 * is a programming error (ids are validated at the HTTP edge), hence a throw.
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const REPORT_FILES = ['json', 'csv', 'html'] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/** A resident ID number (18 or old 15 digits) fits the charset, so it is refused by shape; no real id looks like one. */
const ID_NUMBER_SHAPE = /^(\d{17}[\dXx]|\d{15})$/;

const id = (what: string, value: string): string => {
  // The message never echoes the value: it may be the personal data this guards against.
  if (!SAFE_ID.test(value) || ID_NUMBER_SHAPE.test(value)) throw new TypeError(`object key: ${what} is not a safe id`);
  return value;
};

export const objectKeys = {
  claimDocument: (claimId: string, documentId: string) => `claims/${id('claimId', claimId)}/${id('documentId', documentId)}`,
  rosterImport: (importId: string) => `imports/${id('importId', importId)}/roster`,
  rosterImportResults: (importId: string) => `imports/${id('importId', importId)}/results.csv`,
  report: (date: string, orgId: string, file: ReportFile) => {
    if (!DATE.test(date)) throw new TypeError('object key: date is not YYYY-MM-DD');
    if (!REPORT_FILES.includes(file)) throw new TypeError('object key: unknown report file');
    return `reports/${date}/${id('orgId', orgId)}/report.${file}`;
  },
} as const;

const ROSTER_IMPORT = /^imports\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/roster$/;

/** The import an uploaded roster belongs to (for the S3 event handler); undefined for any other key. Takes the decoded key. */
export const rosterImportIdOf = (key: string): string | undefined => ROSTER_IMPORT.exec(key)?.[1];
