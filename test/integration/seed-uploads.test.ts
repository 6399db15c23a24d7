import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReplayUploads, type ReplayUploads } from '../../infra/local/seedUploads';
import { postPresignedForm } from '../../infra/local/forms';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { buildDeps } from '../../shared/deps';
import { s3Of } from '../../shared/objects/client';
import { clerkOf, enrolOne, file, julyClock, PDF, stay } from '../support/claims';
import { createPlan, createTree } from '../support/fixtures';
import { invoke } from '../support/invoke';

/**
 * The seed's receipts (infra/local/seedUploads.ts): a form made on a past step's date is posted through an S3
 * front of the seed's own over the same s3rver, judged at the moment the form was made — with every check of
 * the policy still applied — while the wall clock, which `npm start`'s front uses, finds it expired.
 */
const deps = buildDeps();
let replay: ReplayUploads;
let plan: Awaited<ReturnType<typeof createPlan>>;
let unit: string;

beforeAll(async () => {
  plan = await createPlan();
  unit = (await createTree(1)).units[0]!;
  replay = await openReplayUploads(deps.config.bucketName);
});
afterAll(async () => replay?.close());

/** A draft claim and one invoice declared on it in July 2026 (the past, by the wall clock): its form. */
const julyForm = async () => {
  const clerk = clerkOf(unit);
  const claimId = (await file(stay(await enrolOne(unit, plan.id)), clerk)).body.claimId as string;
  const r = await invoke('declareClaimDocument', {
    params: { id: claimId },
    body: { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: PDF.length },
    claims: clerk,
    deps: { clock: julyClock },
  });
  expect(r.status, r.text).toBe(201);
  return { claimId, clerk, form: r.body.upload as { url: string; fields: Record<string, string> } };
};

describe("the seed's uploads through past-dated presigned forms", () => {
  it('the wall clock refuses the July form as expired; the replay front takes it, and the bytes are at the key the form names', async () => {
    const { claimId, clerk, form } = await julyForm();
    const now = await postPresignedForm(form, { bytes: PDF, type: 'application/pdf' });
    expect(now.status).toBe(403);
    expect(await now.text()).toMatch(/expired/i);

    const posted = await replay.post(form, { bytes: PDF, type: 'application/pdf' });
    expect(posted.status, await posted.clone().text()).toBe(204);
    const head = await s3Of(deps).send(new HeadObjectCommand({ Bucket: deps.config.bucketName, Key: form.fields.key }));
    expect(head.ContentLength).toBe(PDF.length);
    expect(head.ContentType).toBe('application/pdf');
    const claim = await invoke('getClaim', { params: { id: claimId }, claims: clerk });
    expect(claim.body.documents).toHaveLength(1);
  });

  it('the replay front still enforces the policy: another type, a larger file or another key are refused', async () => {
    const { form } = await julyForm();
    expect(
      (await replay.post({ ...form, fields: { ...form.fields, 'Content-Type': 'image/jpeg' } }, { bytes: PDF, type: 'image/jpeg' })).status,
    ).toBe(403);
    const larger = await replay.post(form, { bytes: new Uint8Array([...PDF, ...PDF]), type: 'application/pdf' });
    expect(larger.status).toBe(400); // as S3 answers a size outside content-length-range
    expect(await larger.text()).toContain('EntityTooLarge');
    expect(
      (await replay.post({ ...form, fields: { ...form.fields, key: `${form.fields.key}-other` } }, { bytes: PDF, type: 'application/pdf' }))
        .status,
    ).toBe(403);
  });

  it('refuses to open without the local s3rver to stand in front of', async () => {
    await expect(openReplayUploads(deps.config.bucketName, '')).rejects.toThrow(/npm start/);
  });
});
