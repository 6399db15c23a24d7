import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { MAX_DOCUMENT_BYTES } from '../../shared/domain/documents';
import { decodePolicy } from '../../shared/objects/presign';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { s3Of } from '../../shared/objects/client';
import { augustClock, clerkOf, decide, enrolOne, file, JPEG, julyClock, PDF, PNG, postForm, stay, upload } from '../support/claims';
import { createPlan, createTree, fed } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * Receipts (SPEC §4.4 "Documents"): presigned POST straight to the local S3
 * (its front enforces the POST policy as S3 does), then submit checks what
 * arrived (one version: size, type, first bytes) and freezes it as evidence.
 * Lying bytes are put at the upload key by a signed writer the policy does not
 * bind: exactly what submit's own inspection must catch.
 */
const store = buildDeps();
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** A well-formed claim id (a ULID and an enrolment id) that names nothing. */
const UNKNOWN_CLAIM = '01ARZ3NDEKTSV4RRFFQ69G5FAV00000000000000000000000000';
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();
/** S3's ETag of a single-part object: its MD5 (as in an evidence key). */
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const bytesAt = async (key: string) => {
  const got = await s3Of(store).send(new GetObjectCommand({ Bucket: store.config.bucketName, Key: key }));
  return new Uint8Array(await got.Body!.transformToByteArray());
};
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
    expect(s.body.history.map((e: { to: string; action?: string }) => e.action ?? e.to)).toEqual([
      'draft',
      'document_declared',
      'document_declared',
      'submitted',
    ]);
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
    expect(JSON.stringify(got.body.documents)).not.toContain('欧阳');
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

  it('receipts are evidence: what submit checked is frozen; a re-upload with the still-valid form (or a PutObject) changes no download', async () => {
    const { id, clerk } = await draft();
    const a = PDF;
    // Another invoice of the same size (the form's content-length-range allows no more than the declared size).
    const b = Uint8Array.from(a);
    b[b.length - 2] = b[b.length - 2] === 0x46 ? 0x47 : 0x46;
    const r = await declare(id, { kind: 'invoice', fileName: 'x.pdf', contentType: 'application/pdf', sizeBytes: a.length }, clerk);
    expect(r.status).toBe(201);
    const { documentId, upload: form } = r.body;
    // The policy the code generates pins this exact upload key (and never an evidence/ one).
    expect(decodePolicy(form.fields).conditions).toContainEqual({ key: `claims/${id}/${documentId}` });
    expect((await postForm(form, a, 'application/pdf')).status).toBe(204);
    await upload(id, clerk, 'discharge_summary');

    const s = await submit(id, clerk);
    expect(s.status, s.text).toBe(200);
    const frozen = s.body.documents.find((d: { documentId: string }) => d.documentId === documentId);
    expect(frozen).toMatchObject({ uploaded: true, frozenAt: '2026-07-20T04:00:00.000Z' });
    const evidenceKey = `evidence/${id}/${documentId}/${md5(a)}`;
    expect(new URL(frozen.downloadUrl).pathname).toBe(`/${store.config.bucketName}/${evidenceKey}`);
    expect(await bytesAt(evidenceKey)).toEqual(a);

    // Within the form's 15 minutes someone uploads B to the same key: the claim still shows A.
    expect((await postForm(form, b, 'application/pdf')).status).toBe(204);
    expect(await bytesAt(`claims/${id}/${documentId}`)).toEqual(b);
    const download = async () => {
      const got = await invoke('getClaim', { params: { id }, claims: as('office_staff', tree.office) });
      const doc = got.body.documents.find((d: { documentId: string }) => d.documentId === documentId);
      expect(doc).toMatchObject({ uploaded: true, fileName: `invoice-${documentId}.pdf` });
      const res = await fetch(doc.downloadUrl);
      expect(res.status).toBe(200);
      // Named by kind and id, with the declared type forced.
      expect(res.headers.get('content-type')).toBe('application/pdf');
      expect(decodeURIComponent(res.headers.get('content-disposition') ?? '')).toContain(`invoice-${documentId}.pdf`);
      return new Uint8Array(await res.arrayBuffer());
    };
    expect(await download()).toEqual(a);

    // Even after approval, a direct PutObject to the upload key changes nothing a reviewer downloads.
    const approved = await decide(id, { decision: 'approve' }, as('office_staff', tree.office), augustClock);
    expect(approved.body.status).toBe('approved');
    await s3Of(store).send(
      new PutObjectCommand({
        Bucket: store.config.bucketName,
        Key: `claims/${id}/${documentId}`,
        Body: PNG,
        ContentType: 'application/pdf',
      }),
    );
    expect(await download()).toEqual(a);
    expect(approved.body.documents.every((d: { frozenAt?: string }) => d.frozenAt === '2026-07-20T04:00:00.000Z')).toBe(true);
  });

  it('an upload replaced between the check and the copy is judged again: the evidence is what its key and record say', async () => {
    const { id, clerk } = await draft();
    const invoice = await upload(id, clerk, 'invoice');
    await upload(id, clerk, 'discharge_summary');
    // Same size and type, other bytes: valid too, so the rerun freezes it.
    const b = new Uint8Array(PDF);
    b[PDF.length - 8] = 0x41;
    // The submit function's own S3 client (one per config object), with a re-upload slipped in before its first copy.
    const config = { ...store.config };
    const s3 = s3Of({ config });
    let slipped = false;
    s3.middlewareStack.add(
      (next, context) => async (args) => {
        const input = (args as { input: { Key?: string } }).input;
        if (context.commandName === 'CopyObjectCommand' && !slipped && input.Key?.includes(invoice)) {
          slipped = true;
          await s3Of(store).send(
            new PutObjectCommand({ Bucket: config.bucketName, Key: `claims/${id}/${invoice}`, Body: b, ContentType: 'application/pdf' }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'reuploadBeforeCopy' },
    );
    const s = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock, config } });
    expect(slipped).toBe(true);
    expect(s.status, s.text).toBe(200);
    const record = (await store.claims.get(id, true))!.documents.find((d) => d.documentId === invoice)!;
    // Checked, frozen and recorded: all the same version (B), whose bytes sit under its own ETag.
    expect(record.evidence).toMatchObject({ etag: md5(b), sizeBytes: b.length });
    expect(await bytesAt(`evidence/${id}/${invoice}/${md5(b)}`)).toEqual(b);
    const doc = s.body.documents.find((d: { documentId: string }) => d.documentId === invoice);
    expect(new Uint8Array(await (await fetch(doc.downloadUrl)).arrayBuffer())).toEqual(b);
  });

  it('a returned claim submitted again freezes its new documents; frozen ones stay as checked; declare and remove are in history', async () => {
    const { id, clerk } = await draft();
    const invoice = await upload(id, clerk, 'invoice');
    const summary = await upload(id, clerk, 'discharge_summary');
    expect((await submit(id, clerk)).status).toBe(200);
    const reviewer = as('office_staff', tree.office);
    expect((await decide(id, { decision: 'return', reason: '请补充费用清单' }, reviewer)).body.status).toBe('returned');

    // The filer's old form for the invoice still works until it expires: junk at the upload key must not matter now.
    await s3Of(store).send(
      new PutObjectCommand({ Bucket: store.config.bucketName, Key: `claims/${id}/${invoice}`, Body: JPEG, ContentType: 'image/jpeg' }),
    );
    const list = await upload(id, clerk, 'expense_list', PNG, { contentType: 'image/png' });
    const extra = await upload(id, clerk, 'other');
    const removed = await invoke('removeClaimDocument', { params: { id, documentId: extra }, claims: clerk, deps: { clock: augustClock } });
    expect(removed.status).toBe(200);
    const again = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: augustClock } });
    expect(again.status, again.text).toBe(200);
    const docs = new Map(again.body.documents.map((d: { documentId: string }) => [d.documentId, d]));
    expect(docs.get(invoice)).toMatchObject({ frozenAt: '2026-07-20T04:00:00.000Z' });
    expect(docs.get(summary)).toMatchObject({ frozenAt: '2026-07-20T04:00:00.000Z' });
    expect(docs.get(list)).toMatchObject({ frozenAt: '2026-08-05T04:00:00.000Z' });
    expect(docs.has(extra)).toBe(false);
    expect(await bytesAt(`evidence/${id}/${invoice}/${md5(PDF)}`)).toEqual(PDF);
    expect(await bytesAt(`evidence/${id}/${list}/${md5(PNG)}`)).toEqual(PNG);
    const res = await fetch((docs.get(invoice) as { downloadUrl: string }).downloadUrl);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);

    const events = again.body.history.map((e: Record<string, unknown>) => [
      e.from,
      e.to,
      e.action ?? null,
      e.documentId ?? null,
      e.documentKind ?? null,
    ]);
    expect(events).toEqual([
      [null, 'draft', null, null, null],
      ['draft', 'draft', 'document_declared', invoice, 'invoice'],
      ['draft', 'draft', 'document_declared', summary, 'discharge_summary'],
      ['draft', 'submitted', null, null, null],
      ['submitted', 'returned', null, null, null],
      ['returned', 'returned', 'document_declared', list, 'expense_list'],
      ['returned', 'returned', 'document_declared', extra, 'other'],
      ['returned', 'returned', 'document_removed', extra, 'other'],
      ['returned', 'submitted', null, null, null],
    ]);
    expect(again.body.history.at(-2)).toMatchObject({ actor: clerk.sub, role: 'unit_admin', at: '2026-08-05T04:00:00.000Z' });
  });

  it('DOCUMENTS_MISSING names each missing kind (settlement statement when the insurance paid); nothing changes', async () => {
    const { id, clerk } = await draft({ insuranceReimbursedFen: 300_000 });
    await upload(id, clerk, 'invoice');
    const r = await submit(id, clerk);
    expect(code(r)).toBe('422 DOCUMENTS_MISSING');
    expect(r.body.missing).toEqual(['discharge_summary', 'settlement_statement']);
    expect(r.body.errors.map((e: { message: string }) => e.message)).toEqual(['需要上传出院小结', '需要上传医保结算单']);
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
      { path: `documents.${pngAsPdf}`, message: '出院小结：文件内容不是 PDF' },
      { path: `documents.${shorter}`, message: `费用清单：文件大小与登记的 ${PDF.length + 10} 字节不一致` },
      { path: `documents.${typeSwap}`, message: '其他材料：文件类型与登记的 image/jpeg 不一致' },
      { path: `documents.${never}`, message: '其他材料：还没有上传' },
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
