import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it } from 'vitest';
import { TEST_CLOCK_HEADER } from '../../infra/local/s3front';
import { loadConfig } from '../../shared/config';
import { makeS3Client } from '../../shared/objects/client';
import { type PresignedUpload, presignDownload, presignUpload } from '../../shared/objects/presign';

/**
 * The local S3 front (infra/local/s3front.ts) before s3rver, as the global setup runs it: only SigV4
 * requests by the local credentials, presigned URLs and presigned POST forms within their policy pass.
 */
const config = loadConfig();
const s3 = makeS3Client(config);
const bucket = config.bucketName;
const endpoint = config.s3Endpoint!;
const forger = new S3Client({
  region: config.region,
  endpoint,
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'not-the-secret' },
  maxAttempts: 1,
});
afterAll(() => {
  s3.destroy();
  forger.destroy();
});

const PDF = new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF\n'));
const key = () => `claims/${ulid()}/${ulid()}`;

const postForm = (
  up: PresignedUpload,
  bytes: Uint8Array,
  type: string,
  fields: Record<string, string> = {},
  headers: Record<string, string> = {},
) => {
  const form = new FormData();
  for (const [k, v] of Object.entries({ ...up.fields, ...fields })) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), 'upload.bin');
  return fetch(up.url, { method: 'POST', body: form, headers });
};

const expectS3Error = async (res: Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(text).toContain(`<Code>${code}</Code>`);
  expect(text).toMatch(/^<\?xml/);
};

const stored = async (k: string) => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: PDF, ContentType: 'application/pdf' }));
  return k;
};

describe('the local S3 front refuses what S3 would', () => {
  it('unsigned PUT, GET and list: 403 AccessDenied, nothing written', async () => {
    const k = await stored(key());
    await expectS3Error(await fetch(`${endpoint}/${bucket}/${k}`), 403, 'AccessDenied');
    await expectS3Error(await fetch(`${endpoint}/${bucket}?list-type=2`), 403, 'AccessDenied');
    await expectS3Error(await fetch(`${endpoint}/${bucket}`), 403, 'AccessDenied');
    const fresh = key();
    await expectS3Error(await fetch(`${endpoint}/${bucket}/${fresh}`, { method: 'PUT', body: 'x' }), 403, 'AccessDenied');
    // A form with no signed policy is anonymous too.
    const form = new FormData();
    form.append('key', fresh);
    form.append('file', new Blob(['x']), 'x');
    await expectS3Error(await fetch(`${endpoint}/${bucket}`, { method: 'POST', body: form }), 403, 'AccessDenied');
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: fresh }))).rejects.toMatchObject({ name: 'NoSuchKey' });
  });

  it('a request signed with the wrong secret: 403 SignatureDoesNotMatch, for writes, reads and lists', async () => {
    const k = await stored(key());
    for (const command of [
      new PutObjectCommand({ Bucket: bucket, Key: key(), Body: 'x' }),
      new GetObjectCommand({ Bucket: bucket, Key: k }),
      new ListObjectsV2Command({ Bucket: bucket }),
    ])
      await expect(forger.send(command as never)).rejects.toMatchObject({
        $metadata: { httpStatusCode: 403 },
        name: 'SignatureDoesNotMatch',
      });
    // A presigned URL signed with it, and one edited after signing.
    const forged = await getSignedUrl(forger, new GetObjectCommand({ Bucket: bucket, Key: k }), { expiresIn: 60 });
    await expectS3Error(await fetch(forged), 403, 'SignatureDoesNotMatch');
    const good = await presignDownload(s3, bucket, k, { fileName: 'a.pdf', contentType: 'application/pdf' });
    const other = await stored(key());
    await expectS3Error(await fetch(good.replace(k, other)), 403, 'SignatureDoesNotMatch');
    // A POST policy signed with it.
    const up = await presignUpload(forger, bucket, { key: key(), contentType: 'application/pdf', maxBytes: 100, now: new Date() });
    await expectS3Error(await postForm(up, PDF, 'application/pdf'), 403, 'SignatureDoesNotMatch');
  });

  it('expired presigned GET and POST: 403', async () => {
    const k = await stored(key());
    const url = await presignDownload(s3, bucket, k, { fileName: 'a.pdf', contentType: 'application/pdf', expiresSeconds: 60 });
    expect((await fetch(url)).status).toBe(200);
    const later = new Date(Date.now() + 61_000).toISOString();
    await expectS3Error(await fetch(url, { headers: { [TEST_CLOCK_HEADER]: later } }), 403, 'AccessDenied');
    // A form made 16 minutes ago (its 15 are over), judged now.
    const up = await presignUpload(s3, bucket, {
      key: key(),
      contentType: 'application/pdf',
      maxBytes: 100,
      now: new Date(Date.now() - 16 * 60_000),
    });
    const res = await postForm(up, PDF, 'application/pdf');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Policy expired');
  });

  it('a POST over the size limit, of the wrong type, to another key or with an extra field: rejected; within the policy: stored', async () => {
    const k = key();
    const up = await presignUpload(s3, bucket, { key: k, contentType: 'application/pdf', maxBytes: PDF.length, now: new Date() });
    await expectS3Error(await postForm(up, new Uint8Array(PDF.length + 1), 'application/pdf'), 400, 'EntityTooLarge');
    await expectS3Error(await postForm(up, new Uint8Array(0), 'application/pdf'), 400, 'EntityTooSmall');
    await expectS3Error(await postForm(up, PDF, 'text/html', { 'Content-Type': 'text/html' }), 403, 'AccessDenied');
    await expectS3Error(await postForm(up, PDF, 'application/pdf', { key: `evidence/${ulid()}/x/y` }), 403, 'AccessDenied');
    await expectS3Error(await postForm(up, PDF, 'application/pdf', { 'x-amz-meta-owner': 'me' }), 403, 'AccessDenied');
    await expectS3Error(await postForm(up, PDF, 'application/pdf', { bucket: 'other-bucket' }), 403, 'AccessDenied');
    await expect(s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    // The same form within its policy, from the console's origin (CORS headers as S3 gives them).
    const ok = await postForm(up, PDF, 'application/pdf', {}, { Origin: 'http://localhost:5173' });
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }));
    expect(got.ContentType).toBe('application/pdf');
    expect(new Uint8Array(await got.Body!.transformToByteArray())).toEqual(PDF);
  });

  it('SDK calls and presigned GETs by the local credentials pass; CORS preflight needs no signature', async () => {
    const k = await stored(key());
    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: k }));
    expect(list.Contents?.map((o) => o.Key)).toEqual([k]);
    const res = await fetch(await presignDownload(s3, bucket, k, { fileName: 'a.pdf', contentType: 'application/pdf' }));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    const putKey = key();
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: putKey }), { expiresIn: 60 });
    expect((await fetch(putUrl, { method: 'PUT', body: PDF })).status).toBe(200);
    await expectS3Error(await fetch(putUrl.replace(putKey, key()), { method: 'PUT', body: PDF }), 403, 'SignatureDoesNotMatch');
    expect((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: putKey }))).ContentLength).toBe(PDF.length);
    const pre = await fetch(`${endpoint}/${bucket}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    });
    expect(pre.status).toBe(200);
    expect(pre.headers.get('access-control-allow-origin')).toBeTruthy();
    // A refusal a browser can read (the console shows why an upload failed).
    const refused = await fetch(`${endpoint}/${bucket}/${k}`, { headers: { Origin: 'http://localhost:5173' } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });
});
