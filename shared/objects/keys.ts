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

/** An S3 ETag as it names a version: hex MD5, or hex-parts for a multipart upload; without the quotes S3 wraps it in. */
const ETAG = /^[0-9a-f]{32}(-\d{1,5})?$/;
const etagPart = (etag: string): string => {
  const bare = etag.replace(/^"|"$/g, '');
  if (!ETAG.test(bare)) throw new TypeError('object key: etag is not an S3 ETag');
  return bare;
};

/**
 * Receipts as checked at submit (SPEC §4.4 "Receipts are evidence"): no upload form can target this
 * prefix (forms pin `claims/…` keys), no function may delete under it, lifecycle never expires it.
 */
export const EVIDENCE_PREFIX = 'evidence/';

export const objectKeys = {
  /** Where the client uploads a receipt (presigned POST, ≤ 15 minutes): may be overwritten until the form expires. */
  claimDocument: (claimId: string, documentId: string) => `claims/${id('claimId', claimId)}/${id('documentId', documentId)}`,
  /**
   * The frozen copy of exactly the bytes submit checked. The ETag is part of the key, so a copy can
   * only ever write those bytes there: a retried freeze rewrites the same content, never other content.
   */
  claimEvidence: (claimId: string, documentId: string, etag: string) =>
    `${EVIDENCE_PREFIX}${id('claimId', claimId)}/${id('documentId', documentId)}/${etagPart(etag)}`,
  rosterImport: (importId: string) => `imports/${id('importId', importId)}/roster`,
  rosterImportResults: (importId: string) => `imports/${id('importId', importId)}/results.csv`,
  report: (date: string, orgId: string, file: ReportFile) => {
    if (!DATE.test(date)) throw new TypeError('object key: date is not YYYY-MM-DD');
    if (!REPORT_FILES.includes(file)) throw new TypeError('object key: unknown report file');
    return `reports/${date}/${id('orgId', orgId)}/report.${file}`;
  },
  /** An evaluation's rows (too many for one table item at 5,000 nodes), written before its item. */
  evaluationRows: (evaluationId: string) => `evaluations/${id('evaluationId', evaluationId)}/rows.json`,
  /** The CSV of an evaluation cut to an org's subtree (rewritten on each read: rows never change, the status may). */
  evaluationCsv: (evaluationId: string, orgId: string) => `evaluations/${id('evaluationId', evaluationId)}/${id('orgId', orgId)}.csv`,
} as const;

const ROSTER_IMPORT = /^imports\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/roster$/;

/** The import an uploaded roster belongs to (for the S3 event handler); undefined for any other key. Takes the decoded key. */
export const rosterImportIdOf = (key: string): string | undefined => ROSTER_IMPORT.exec(key)?.[1];
