import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { MAX_DOCUMENT_BYTES } from '../../shared/domain/documents';
import { decodePolicy } from '../../shared/objects/presign';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { clerkOf, enrolOne, file, JPEG, julyClock, PDF, PNG, postForm, stay, upload } from '../support/claims';
import { createPlan, createTree, fed } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * Receipts (SPEC §4.4 "Documents"): presigned POST straight to s3rver, then
 * submit checks what arrived (HEAD + first bytes). s3rver does not enforce the
 * POST policy (ENGINEERING-NOTES), so lying uploads do land there: exactly
 * what submit's own inspection must catch.
 */
const store = buildDeps();
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** A well-formed claim id (a ULID and an enrolment id) that names nothing. */
const UNKNOWN_CLAIM = '01ARZ3NDEKTSV4RRFFQ69G5FAV00000000000000000000000000';
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
const submit = (id: string, claims: Record<string, string>) =>
  invoke('submitClaim', { params: { id }, claims, deps: { clock: julyClock } });
const declare = (id: string, body: Record<string, unknown>, claims: Record<string, string>) =>
  invoke('declareClaimDocument', { params: { id }, body, claims, deps: { clock: julyClock } });

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(2);
});

const draft = async (over: Record<string, unknown> = {}, name = '张三') => {
  const unit = tree.units[0]!;
  const enrolmentId = await enrolOne(unit, plan.id, { name });
  const r = await file(stay(enrolmentId, over), clerkOf(unit));
  expect(r.status).toBe(201);
  return { id: r.body.claimId as string, unit, clerk: clerkOf(unit), enrolmentId };
};

describe('POST /claims/{id}/documents → presigned POST → POST /claims/{id}/submit', () => {
  it('uploads through the presigned form (multipart, straight to S3), then submits; downloads are presigned ≤ 5 minutes', async () => {
    const { id, unit, clerk } = await draft({}, '欧阳娜娜');
    const r = await declare(
      id,
      { kind: 'invoice', fileName: '欧阳娜娜的发票.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
      clerk,
    );
    expect(r.status).toBe(201);
    const { documentId, upload: form } = r.body;
    expect(r.headers.location).toBe(`/claims/${id}/documents/${documentId}`);
    expect(form.method).toBe('POST');
    // The key is ids only: no file name, no person.
    expect(form.fields.key).toBe(`claims/${id}/${documentId}`);
    const policy = decodePolicy(form.fields);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, PDF.length]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect(policy.conditions).toContainEqual({ key: `claims/${id}/${documentId}` });
    expect(Date.parse(policy.expiration) - julyClock.now().getTime()).toBeLessThanOrEqual(15 * 60_000);
    expect(JSON.stringify(r.body)).not.toContain('欧阳');
    expect((await postForm(form, PDF, 'application/pdf')).status).toBe(204);
    const summary = await upload(id, clerk, 'discharge_summary', PNG, { contentType: 'image/png' });

    const before = await readUnitPlanCounters(store.store, unit, plan.id);
    const s = await submit(id, clerk);
    expect(s.status, s.text).toBe(200);
    expect(s.body).toMatchObject({ status: 'submitted', firstSubmittedDate: '2026-07-20', lastSubmittedDate: '2026-07-20' });
    expect(s.body.history.map((e: { from: string | null; to: string }) => e.to)).toEqual(['draft', 'submitted']);
    expect(s.body.documents.map((d: { documentId: string; uploaded: boolean }) => [d.documentId, d.uploaded])).toEqual([
      [documentId, true],
      [summary, true],
    ]);
    const counters = await readUnitPlanCounters(store.store, unit, plan.id);
    expect((counters.claimsSubmitted ?? 0) - (before.claimsSubmitted ?? 0)).toBe(1);
    expect((counters['openSubmitted@2026-07-20'] ?? 0) - (before['openSubmitted@2026-07-20'] ?? 0)).toBe(1);

    const got = await invoke('getClaim', { params: { id }, claims: as('office_staff', tree.office) });
    const doc = got.body.documents[0];
    // The name the client sent (it names the member) is not kept: the document goes by kind and id.
    expect(doc).toMatchObject({ documentId, kind: 'invoice', fileName: `invoice-${documentId}.pdf`, uploaded: true });
    expect(JSON.stringify(got.body)).not.toContain('欧阳');
    const url = new URL(doc.downloadUrl);
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    // The link names neither the member nor the client's file name.
    expect(decodeURIComponent(doc.downloadUrl)).not.toContain('欧阳');
    const res = await fetch(doc.downloadUrl);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`invoice-${documentId}.pdf`);
  });

  it('DOCUMENTS_MISSING names each missing kind (settlement statement when the insurance paid); nothing changes', async () => {
    const { id, clerk } = await draft({ insuranceReimbursedFen: 300_000 });
    await upload(id, clerk, 'invoice');
    const r = await submit(id, clerk);
    expect(code(r)).toBe('422 DOCUMENTS_MISSING');
    expect(r.body.missing).toEqual(['discharge_summary', 'settlement_statement']);
    expect(r.body.errors.map((e: { message: string }) => e.message)).toEqual([
      'an uploaded discharge_summary is required',
      'an uploaded settlement_statement is required',
    ]);
    const none = await draft({ admissionDate: '2026-07-12', dischargeDate: '2026-07-14' });
    expect((await submit(none.id, none.clerk)).body.missing).toEqual(['invoice', 'discharge_summary']);
    expect((await invoke('getClaim', { params: { id }, claims: fed })).body.status).toBe('draft');
  });

  it('DOCUMENT_INVALID names each document whose bytes, size or type differ from the declaration, or that never arrived', async () => {
    const { id, clerk } = await draft();
    const good = await upload(id, clerk, 'invoice');
    const pngAsPdf = await upload(id, clerk, 'discharge_summary', PNG, { contentType: 'application/pdf' }); // magic bytes
    const shorter = await upload(id, clerk, 'expense_list', PDF, { sizeBytes: PDF.length + 10 }); // declared bigger
    const typeSwap = await upload(id, clerk, 'other', JPEG, { contentType: 'image/jpeg', sentType: 'image/png' }); // stored as image/png
    const never = (await declare(id, { kind: 'other', fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: 10 }, clerk)).body
      .documentId;

    const r = await submit(id, clerk);
    expect(code(r)).toBe('422 DOCUMENT_INVALID');
    expect(r.body.errors).toEqual([
      { path: `documents.${pngAsPdf}`, message: 'discharge_summary: first bytes are not a PDF' },
      { path: `documents.${shorter}`, message: `expense_list: size differs from the declared ${PDF.length + 10} bytes` },
      { path: `documents.${typeSwap}`, message: 'other: content type differs from the declared image/jpeg' },
      { path: `documents.${never}`, message: 'other: not uploaded' },
    ]);
    expect(r.body.missing).toEqual(['discharge_summary']);
    const got = await invoke('getClaim', { params: { id }, claims: clerk });
    expect(got.body.status).toBe('draft');
    expect(
      got.body.documents.map((d: { documentId: string; uploaded: boolean; downloadUrl?: string }) => [
        d.documentId,
        d.uploaded,
        !!d.downloadUrl,
      ]),
    ).toEqual([
      [good, true, true],
      [pngAsPdf, true, true],
      [shorter, true, true],
      [typeSwap, true, true],
      [never, false, false],
    ]);

    // The filer drops the bad declarations, uploads a proper summary, and submits.
    for (const doc of [pngAsPdf, shorter, typeSwap, never]) {
      const d = await invoke('removeClaimDocument', { params: { id, documentId: doc }, claims: clerk });
      expect(d.status).toBe(200);
    }
    await upload(id, clerk, 'discharge_summary', JPEG, { contentType: 'image/jpeg' });
    expect((await submit(id, clerk)).status).toBe(200);
  });

  it('documents change only in draft or returned: 409 INVALID_STATE on a submitted claim (declare, remove, submit again)', async () => {
    const { id, clerk } = await draft();
    const invoice = await upload(id, clerk, 'invoice');
    await upload(id, clerk, 'discharge_summary');
    expect((await submit(id, clerk)).status).toBe(200);
    expect(code(await declare(id, { kind: 'other', fileName: 'late.pdf', contentType: 'application/pdf', sizeBytes: 100 }, clerk))).toBe(
      '409 INVALID_STATE',
    );
    expect(code(await invoke('removeClaimDocument', { params: { id, documentId: invoice }, claims: clerk }))).toBe('409 INVALID_STATE');
    const again = await submit(id, clerk);
    expect(code(again)).toBe('409 INVALID_STATE');
    expect(again.body).toMatchObject({ status: 409, claimStatus: 'submitted' });
  });

  it('400 for a bad declaration, 404 unknown claim or document, 403 out of scope, 401 without a token, 422 past 20 documents', async () => {
    const { id, clerk } = await draft();
    const ok = { kind: 'invoice', fileName: 'a.pdf', contentType: 'application/pdf', sizeBytes: 100 };
    const bad = await declare(id, { kind: 'receipt', fileName: '', contentType: 'text/html', sizeBytes: MAX_DOCUMENT_BYTES + 1 }, clerk);
    expect(code(bad)).toBe('400 VALIDATION_FAILED');
    expect([...new Set(bad.body.errors.map((e: { path: string }) => e.path))].sort()).toEqual([
      'body.contentType',
      'body.fileName',
      'body.kind',
      'body.sizeBytes',
    ]);
    expect(code(await declare(id, { ...ok, fileName: 'a\u0000.pdf' }, clerk))).toBe('400 VALIDATION_FAILED');
    expect(code(await declare(UNKNOWN_CLAIM, ok, clerk))).toBe('404 NOT_FOUND');
    expect(code(await declare(id, ok, clerkOf(tree.units[1]!)))).toBe('403 FORBIDDEN');
    expect((await invoke('declareClaimDocument', { params: { id }, body: ok })).status).toBe(401);
    expect(code(await invoke('removeClaimDocument', { params: { id, documentId: UNKNOWN }, claims: clerk }))).toBe('404 NOT_FOUND');
    expect(code(await invoke('removeClaimDocument', { params: { id: UNKNOWN_CLAIM, documentId: UNKNOWN }, claims: clerk }))).toBe(
      '404 NOT_FOUND',
    );
    const declared = (await declare(id, ok, clerk)).body.documentId;
    expect(code(await invoke('removeClaimDocument', { params: { id, documentId: declared }, claims: clerkOf(tree.units[1]!) }))).toBe(
      '403 FORBIDDEN',
    );
    expect((await invoke('removeClaimDocument', { params: { id, documentId: declared } })).status).toBe(401);
    expect(code(await invoke('removeClaimDocument', { params: { id, documentId: 'x' }, claims: clerk }))).toBe('400 VALIDATION_FAILED');
    expect((await invoke('removeClaimDocument', { params: { id, documentId: declared }, claims: clerk })).body.documents).toEqual([]);
    expect(code(await submit(UNKNOWN_CLAIM, clerk))).toBe('404 NOT_FOUND');
    expect(code(await submit('x', clerk))).toBe('400 VALIDATION_FAILED');
    expect(code(await submit(id, clerkOf(tree.units[1]!)))).toBe('403 FORBIDDEN');
    expect((await invoke('submitClaim', { params: { id } })).status).toBe(401);
    for (let i = 0; i < 20; i++) expect((await declare(id, ok, clerk)).status).toBe(201);
    expect(code(await declare(id, ok, clerk))).toBe('422 TOO_MANY_DOCUMENTS');
  });
});
