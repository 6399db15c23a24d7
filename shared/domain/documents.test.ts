import { msg } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type DeclaredDocument,
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_KINDS,
  type DocumentContentType,
  type DocumentKind,
  judgeDocuments,
  MAGIC_BYTES_NEEDED,
  MAX_DOCUMENT_BYTES,
  type ObservedObject,
  requiredDocumentKinds,
  sniffContentType,
} from './documents';

const bytes = (...b: number[]) => new Uint8Array(b);
const MAGIC: Record<DocumentContentType, Uint8Array> = {
  'application/pdf': new TextEncoder().encode('%PDF-1.7'),
  'image/jpeg': bytes(0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46),
  'image/png': bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
};

describe('constants', () => {
  it('match the SPEC', () => {
    expect(DOCUMENT_KINDS).toEqual([
      'invoice',
      'expense_list',
      'discharge_summary',
      'settlement_statement',
      'diagnosis_certificate',
      'other',
    ]);
    expect(DOCUMENT_CONTENT_TYPES).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
    expect(MAX_DOCUMENT_BYTES).toBe(10_485_760);
    expect(MAGIC_BYTES_NEEDED).toBe(8);
  });
});

describe('sniffContentType', () => {
  it('recognises PDF, JPEG and PNG', () => {
    for (const type of DOCUMENT_CONTENT_TYPES) expect(sniffContentType(MAGIC[type])).toBe(type);
    expect(sniffContentType(new TextEncoder().encode('%PDF-'))).toBe('application/pdf');
    expect(sniffContentType(bytes(0xff, 0xd8, 0xff))).toBe('image/jpeg');
  });
  it('refuses look-alikes, truncated signatures and empty input', () => {
    expect(sniffContentType(new TextEncoder().encode('%PDF1.7'))).toBeNull();
    expect(sniffContentType(new TextEncoder().encode('%pdf-1.7'))).toBeNull();
    expect(sniffContentType(bytes(0xff, 0xd8))).toBeNull();
    expect(sniffContentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a))).toBeNull();
    expect(sniffContentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0a, 0x0a, 0x1a, 0x0a))).toBeNull(); // CRLF → LF mangled
    expect(sniffContentType(new TextEncoder().encode('GIF89a..'))).toBeNull();
    expect(sniffContentType(bytes())).toBeNull();
  });
  it('property: only the first MAGIC_BYTES_NEEDED bytes matter', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: MAGIC_BYTES_NEEDED, maxLength: 64 }), (b) => {
        expect(sniffContentType(b)).toBe(sniffContentType(b.slice(0, MAGIC_BYTES_NEEDED)));
      }),
    );
  });
  it('property: a signature followed by anything is recognised', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DOCUMENT_CONTENT_TYPES), fc.uint8Array({ maxLength: 32 }), (type, rest) => {
        expect(sniffContentType(new Uint8Array([...MAGIC[type], ...rest]))).toBe(type);
      }),
    );
  });
});

describe('requiredDocumentKinds', () => {
  it('banded: invoice and discharge summary, plus the settlement statement when insurance paid', () => {
    expect(requiredDocumentKinds('banded', 0)).toEqual(['invoice', 'discharge_summary']);
    expect(requiredDocumentKinds('banded', 1)).toEqual(['invoice', 'discharge_summary', 'settlement_statement']);
  });
  it('lump sum: the diagnosis certificate', () => {
    expect(requiredDocumentKinds('lump_sum', 0)).toEqual(['diagnosis_certificate']);
    expect(requiredDocumentKinds('lump_sum', 500)).toEqual(['diagnosis_certificate']);
  });
});

describe('judgeDocuments', () => {
  const doc = (
    documentId: string,
    kind: DocumentKind,
    contentType: DocumentContentType = 'application/pdf',
    sizeBytes = 1234,
  ): DeclaredDocument => ({
    documentId,
    kind,
    contentType,
    sizeBytes,
  });
  const seen = (d: DeclaredDocument, over: Partial<ObservedObject> = {}): ObservedObject => ({
    exists: true,
    sizeBytes: d.sizeBytes,
    contentType: d.contentType,
    firstBytes: MAGIC[d.contentType],
    ...over,
  });
  const required = requiredDocumentKinds('banded', 100);
  const inv = doc('d1', 'invoice', 'image/jpeg');
  const sum = doc('d2', 'discharge_summary', 'image/png');
  const set = doc('d3', 'settlement_statement');

  it('accepts a complete, well-formed set', () => {
    const observed = new Map([inv, sum, set].map((d) => [d.documentId, seen(d)]));
    expect(judgeDocuments(required, [inv, sum, set], observed)).toEqual({ missing: [], invalid: [] });
  });
  it('names missing kinds in the required order', () => {
    const observed = new Map([[sum.documentId, seen(sum)]]);
    expect(judgeDocuments(required, [sum], observed)).toEqual({ missing: ['invoice', 'settlement_statement'], invalid: [] });
  });
  it('gives each invalid document its reason, and its kind counts as missing', () => {
    const cases: [ObservedObject | undefined, string][] = [
      [undefined, 'not uploaded'],
      [{ exists: false }, 'not uploaded'],
      [seen(set, { sizeBytes: 1233 }), 'size differs from the declared 1234 bytes'],
      [seen(set, { sizeBytes: undefined }), 'size differs from the declared 1234 bytes'],
      [seen(set, { contentType: 'image/png' }), 'content type differs from the declared application/pdf'],
      [seen(set, { contentType: undefined }), 'content type differs from the declared application/pdf'],
      [seen(set, { firstBytes: MAGIC['image/png'] }), 'first bytes are not a PDF'],
      [seen(set, { firstBytes: undefined }), 'first bytes are not a PDF'],
    ];
    for (const [o, reason] of cases) {
      const observed = new Map<string, ObservedObject>([inv, sum].map((d) => [d.documentId, seen(d)]));
      if (o) observed.set(set.documentId, o);
      expect(judgeDocuments(required, [inv, sum, set], observed), reason).toEqual({
        missing: ['settlement_statement'],
        invalid: [
          {
            documentId: 'd3',
            kind: 'settlement_statement',
            reason,
            message: expect.objectContaining({ key: expect.stringMatching(/^DOCUMENT_INVALID\./) }),
          },
        ],
      });
    }
    const jpegAsPng = seen(sum, { firstBytes: MAGIC['image/jpeg'] });
    expect(judgeDocuments([], [sum], new Map([[sum.documentId, jpegAsPng]])).invalid[0]?.reason).toBe('first bytes are not a PNG');
  });
  it('accepts a content type with parameters or other case', () => {
    const observed = new Map([[set.documentId, seen(set, { contentType: 'Application/PDF; charset=binary' })]]);
    expect(judgeDocuments(['settlement_statement'], [set], observed)).toEqual({ missing: [], invalid: [] });
  });
  it('a valid second document of a kind satisfies it, but the broken one is still reported', () => {
    const retry = doc('d4', 'invoice');
    const observed = new Map([
      [retry.documentId, seen(retry)],
      [sum.documentId, seen(sum)],
      [set.documentId, seen(set)],
    ]);
    expect(judgeDocuments(required, [inv, retry, sum, set], observed)).toEqual({
      missing: [],
      invalid: [
        { documentId: 'd1', kind: 'invoice', reason: 'not uploaded', message: msg('DOCUMENT_INVALID.notUploaded', { kind: 'invoice' }) },
      ],
    });
  });

  const declaredArb = fc.uniqueArray(
    fc.record({
      documentId: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
      kind: fc.constantFrom(...DOCUMENT_KINDS),
      contentType: fc.constantFrom(...DOCUMENT_CONTENT_TYPES),
      sizeBytes: fc.integer({ min: 1, max: MAX_DOCUMENT_BYTES }),
      fault: fc.constantFrom('none', 'absent', 'size', 'type', 'bytes'),
    }),
    { selector: (d) => d.documentId, maxLength: 5 },
  );
  it('property: a document is invalid exactly when something about it differs; missing = required minus valid kinds', () => {
    fc.assert(
      fc.property(declaredArb, fc.subarray([...DOCUMENT_KINDS]), (list, req) => {
        const observed = new Map<string, ObservedObject>();
        for (const d of list) {
          if (d.fault === 'absent') continue;
          const other = DOCUMENT_CONTENT_TYPES.find((t) => t !== d.contentType)!;
          observed.set(
            d.documentId,
            seen(d, {
              sizeBytes: d.fault === 'size' ? d.sizeBytes + 1 : d.sizeBytes,
              contentType: d.fault === 'type' ? other : d.contentType,
              firstBytes: d.fault === 'bytes' ? MAGIC[other] : MAGIC[d.contentType],
            }),
          );
        }
        const r = judgeDocuments(req, list, observed);
        expect(r.invalid.map((i) => i.documentId)).toEqual(list.filter((d) => d.fault !== 'none').map((d) => d.documentId));
        const good = new Set(list.filter((d) => d.fault === 'none').map((d) => d.kind));
        expect(r.missing).toEqual(req.filter((k) => !good.has(k)));
      }),
      { numRuns: 300 },
    );
  });
});
