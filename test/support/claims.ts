import { expect } from 'vitest';
import { postPresignedForm } from '../../infra/local/forms';
import { formClockHeaders } from '../../infra/local/s3front';
import { type Clock, fixedClock } from '../../shared/clock';
import type { DocumentKind } from '../../shared/domain/documents';
import { buildDeps } from '../../shared/deps';
import { s3Of } from '../../shared/objects/client';
import { putObject } from '../../shared/objects/inspect';
import type { PresignedUpload } from '../../shared/objects/presign';
import { fed, marchClock, people } from './fixtures';
import { as, invoke } from './invoke';

/** Claims are filed well after the 2026-03-10 enrolments, past the 90-day waiting period (benefit start 2026-06-08). */
export const julyClock = fixedClock('2026-07-20T04:00:00Z');
export const augustClock = fixedClock('2026-08-05T04:00:00Z');

export const PDF = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'));
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
export const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]);

type Member = { idNumber: string; name: string; shares?: number };

/** Enrols members in a unit on 2026-03-10 and answers their enrolment ids, in order. */
export const enrol = (unitId: string, planId: string, members: Member[]) => enrolAt(unitId, planId, members, marchClock);

/** Enrols members in a unit on the day `clock` says and answers their enrolment ids, in order. */
export const enrolAt = async (unitId: string, planId: string, members: Member[], clock: Clock) => {
  const r = await invoke('enrolMembers', { params: { unitId }, body: { planId, members }, claims: fed, deps: { clock } });
  if (r.status !== 200 || r.body.accepted !== members.length) throw new Error(`enrol fixture: ${r.status} ${r.text}`);
  return (r.body.enrolments as { enrolmentId: string }[]).map((e) => e.enrolmentId);
};

export const enrolOne = async (unitId: string, planId: string, over: { name?: string; shares?: number } = {}) => {
  const [p] = people(1);
  const [id] = await enrol(unitId, planId, [
    { idNumber: p!.idNumber, name: over.name ?? '张三', ...(over.shares ? { shares: over.shares } : {}) },
  ]);
  return id!;
};

/** A valid stay in July 2026 (filed on julyClock), with the insurance paying nothing unless said. */
export const stay = (enrolmentId: string, over: Record<string, unknown> = {}) => ({
  enrolmentId,
  hospital: '北京协和医院',
  admissionDate: '2026-07-01',
  dischargeDate: '2026-07-10',
  diagnosis: '急性阑尾炎',
  icd10: 'K35.8',
  accident: false,
  totalExpenseFen: 2_000_000,
  insuranceReimbursedFen: 0,
  selfPaidInScopeFen: 1_234_567,
  ...over,
});

export const clerkOf = (unitId: string, sub = `clerk@${unitId}`) => as('unit_admin', unitId, sub);

export const file = async (body: unknown, claims: Record<string, string>, clock: Clock = julyClock) =>
  invoke('createClaim', { body, claims, deps: { clock } });

/** What a browser does with the presigned form: every field first, the file last. */
export const postForm = (up: PresignedUpload, bytes: Uint8Array, type: string) =>
  // Posted at the moment the form was made (the app runs on a fixed clock; the S3 front checks the expiry).
  postPresignedForm(up, { bytes, type }, { headers: formClockHeaders(up.fields) });

/** Declares a document and uploads `bytes` (by default exactly as declared) through the presigned POST. */
export const upload = async (
  claimId: string,
  claims: Record<string, string>,
  kind: DocumentKind,
  bytes: Uint8Array = PDF,
  declared: { contentType?: string; sizeBytes?: number; sentType?: string; fileName?: string } = {},
) => {
  const contentType = declared.contentType ?? 'application/pdf';
  const r = await invoke('declareClaimDocument', {
    params: { id: claimId },
    body: { kind, fileName: declared.fileName ?? `${kind}.pdf`, contentType, sizeBytes: declared.sizeBytes ?? bytes.length },
    claims,
    deps: { clock: julyClock },
  });
  expect(r.status, r.text).toBe(201);
  if (declared.sentType) {
    // A lying client changes the Content-Type field: S3 (and the local S3 front) refuse it, the policy pins
    // it. The app must not rely on that: the bytes are put there by a signed writer the policy does not bind.
    const lying = { ...r.body.upload, fields: { ...r.body.upload.fields, 'Content-Type': declared.sentType } };
    expect((await postForm(lying, bytes, declared.sentType)).status).toBe(403);
    const deps = buildDeps();
    await putObject(s3Of(deps), deps.config.bucketName, r.body.upload.fields.key, bytes, declared.sentType);
    return r.body.documentId as string;
  }
  const res = await postForm(r.body.upload, bytes, contentType);
  expect(res.status).toBe(204);
  return r.body.documentId as string;
};

/** Files a claim and submits it with an invoice and a discharge summary (+ settlement statement when insurance paid). */
export const submitted = async (unitId: string, enrolmentId: string, over: Record<string, unknown> = {}) => {
  const clerk = clerkOf(unitId);
  const filed = await file(stay(enrolmentId, over), clerk);
  expect(filed.status, filed.text).toBe(201);
  const id = filed.body.claimId as string;
  await upload(id, clerk, 'invoice');
  await upload(id, clerk, 'discharge_summary');
  if (Number(over.insuranceReimbursedFen ?? 0) > 0) await upload(id, clerk, 'settlement_statement');
  const s = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
  expect(s.status, s.text).toBe(200);
  return id;
};

export const decide = (id: string, body: Record<string, unknown>, claims: Record<string, string>, clock: Clock = julyClock) =>
  invoke('decideClaim', { params: { id }, body, claims, deps: { clock } });

/** What the isolated-store tests call the handlers through (./isolated.ts). */
interface CallsHandlers {
  call: (
    name: 'createClaim' | 'declareClaimDocument' | 'submitClaim',
    req: { params?: Record<string, string>; body?: unknown; claims: Record<string, string>; clock: Clock },
  ) => Promise<{ status: number; text: string; body: any }>;
}

/** On an isolated store: files a stay for the enrolment and submits it with its two receipts (on julyClock); the claim id. */
export const submittedOn = async (s: CallsHandlers, clerk: Record<string, string>, enrolmentId: string): Promise<string> => {
  const filed = await s.call('createClaim', { body: stay(enrolmentId), claims: clerk, clock: julyClock });
  expect(filed.status, filed.text).toBe(201);
  const id = filed.body.claimId as string;
  for (const kind of ['invoice', 'discharge_summary']) {
    const d = await s.call('declareClaimDocument', {
      params: { id },
      body: { kind, fileName: `${kind}.pdf`, contentType: 'application/pdf', sizeBytes: PDF.length },
      claims: clerk,
      clock: julyClock,
    });
    expect(d.status, d.text).toBe(201);
    expect((await postForm(d.body.upload, PDF, 'application/pdf')).status).toBe(204);
  }
  const submitted = await s.call('submitClaim', { params: { id }, claims: clerk, clock: julyClock });
  expect(submitted.status, submitted.text).toBe(200);
  return id;
};

/** The bytes behind a presigned link (a report, a CSV), which must answer 200. */
export const download = async (url: string): Promise<Buffer> => {
  const r = await fetch(url);
  expect(r.status).toBe(200);
  return Buffer.from(await r.arrayBuffer());
};
