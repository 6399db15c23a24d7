/**
 * Receipts (SPEC §4.4 "Documents"). The browser uploads straight to S3, so at
 * submit the server cannot trust the declaration: it looks at what actually
 * arrived (one ranged GET: size, type, ETag and the first bytes) and judges it here. Pure: the handler
 * does the S3 calls and passes what it saw.
 */
import { type Msg, msg } from '../messages/catalogue';
export const DOCUMENT_KINDS = [
  'invoice',
  'expense_list',
  'discharge_summary',
  'settlement_statement',
  'diagnosis_certificate',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_CONTENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type DocumentContentType = (typeof DOCUMENT_CONTENT_TYPES)[number];

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;

/** Magic numbers. SPEC names 4 bytes for PNG; the full 8-byte signature also catches files mangled by text-mode transfers. */
const SIGNATURES: readonly [DocumentContentType, readonly number[], string][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d], 'PDF'], // %PDF-
  ['image/jpeg', [0xff, 0xd8, 0xff], 'JPEG'],
  ['image/png', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG'],
];

/** How many leading bytes to fetch (an S3 Range of bytes=0..MAGIC_BYTES_NEEDED−1) to tell the types apart. */
export const MAGIC_BYTES_NEEDED = Math.max(...SIGNATURES.map(([, sig]) => sig.length));

/** The type whose signature the bytes start with, or null. */
export const sniffContentType = (firstBytes: Uint8Array): DocumentContentType | null => {
  for (const [type, sig] of SIGNATURES) {
    if (firstBytes.length >= sig.length && sig.every((b, i) => firstBytes[i] === b)) return type;
  }
  return null;
};

/**
 * What submit requires. Banded: the invoice (发票) and discharge summary
 * (出院小结), plus the settlement statement (结算单) whenever the basic
 * insurance paid a part, since it proves insuranceReimbursedFen. Lump sum:
 * the diagnosis certificate (诊断证明).
 */
export const requiredDocumentKinds = (planKind: 'banded' | 'lump_sum', insuranceReimbursedFen: number): DocumentKind[] =>
  planKind === 'lump_sum'
    ? ['diagnosis_certificate']
    : ['invoice', 'discharge_summary', ...(insuranceReimbursedFen > 0 ? (['settlement_statement'] as const) : [])];

export interface DeclaredDocument {
  documentId: string;
  kind: DocumentKind;
  contentType: DocumentContentType;
  sizeBytes: number;
  /** Checked and frozen by an earlier submit (a claim returned for more documents): valid as frozen, not looked at again. */
  evidence?: { sizeBytes: number };
}

export interface ObservedObject {
  exists: boolean;
  sizeBytes?: number;
  contentType?: string;
  firstBytes?: Uint8Array;
  /** The version all of the above was read from. */
  etag?: string;
}

export interface DocumentJudgement {
  missing: DocumentKind[];
  /** `reason`: English (logs, the problem's `invalid` extra); `message`: the same for the clerk, in their language. */
  invalid: { documentId: string; kind: DocumentKind; reason: string; message: Msg }[];
}

/** 'image/JPEG; charset=binary' → 'image/jpeg': S3 keeps the header as sent, parameters included. */
const mediaType = (contentType: string): string => contentType.split(';', 1)[0]!.trim().toLowerCase();

/** Why a declared document is not acceptable, or null when it is. Reasons name sizes and types, never content. */
const invalidReason = (d: DeclaredDocument, o: ObservedObject | undefined): { reason: string; message: Msg } | null => {
  if (d.evidence) return null;
  const kind = d.kind;
  if (!o?.exists) return { reason: 'not uploaded', message: msg('DOCUMENT_INVALID.notUploaded', { kind }) };
  if (o.sizeBytes !== d.sizeBytes)
    return {
      reason: `size differs from the declared ${d.sizeBytes} bytes`,
      message: msg('DOCUMENT_INVALID.size', { kind, bytes: d.sizeBytes }),
    };
  if (o.contentType === undefined || mediaType(o.contentType) !== d.contentType) {
    return {
      reason: `content type differs from the declared ${d.contentType}`,
      message: msg('DOCUMENT_INVALID.type', { kind, contentType: d.contentType }),
    };
  }
  if (o.firstBytes === undefined || sniffContentType(o.firstBytes) !== d.contentType) {
    const name = SIGNATURES.find(([type]) => type === d.contentType)?.[2] ?? d.contentType;
    return { reason: `first bytes are not a ${name}`, message: msg('DOCUMENT_INVALID.bytes', { kind, type: name }) };
  }
  return null;
};

/**
 * Every declared document must be valid (an abandoned or swapped upload is
 * not silently ignored), and every required kind needs at least one valid
 * document; `missing` keeps the order of `required`.
 */
export const judgeDocuments = (
  required: readonly DocumentKind[],
  declared: readonly DeclaredDocument[],
  observed: ReadonlyMap<string, ObservedObject>,
): DocumentJudgement => {
  const invalid: DocumentJudgement['invalid'] = [];
  const validKinds = new Set<DocumentKind>();
  for (const d of declared) {
    const why = invalidReason(d, observed.get(d.documentId));
    if (why === null) validKinds.add(d.kind);
    else invalid.push({ documentId: d.documentId, kind: d.kind, ...why });
  }
  const missing = [...new Set(required)].filter((k) => !validKinds.has(k));
  return { missing, invalid };
};
