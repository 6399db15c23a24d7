import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { ulid } from 'ulid';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { freePort, startS3 } from '../../infra/local/emulators';
import { loadConfig } from '../../shared/config';
import { makeS3Client } from '../../shared/objects/client';
import { copyIfUnchanged, getObjectStream, inspectObject, ObjectChanged, ObjectNotFound, putObject } from '../../shared/objects/inspect';
import { objectKeys } from '../../shared/objects/keys';
import { type PresignedUpload, presignDownload, presignUpload } from '../../shared/objects/presign';
import { isTransientStoreError } from '../../shared/store/errors';

/**
 * Against the real s3rver of the global setup, behind its S3 front (which
 * checks signatures and POST policies: test/integration/s3front.test.ts).
 * The app still verifies every upload itself with inspectObject.
 */
const config = loadConfig();
const s3 = makeS3Client(config);
const bucket = config.bucketName;
afterAll(() => s3.destroy());

const MiB = 1024 * 1024;
const PDF = new Uint8Array(Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'));
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);
const docKey = () => objectKeys.claimDocument(ulid(), ulid());
/** S3's ETag of a single-part object: its MD5, quoted. */
const md5 = (bytes: Uint8Array) => `"${createHash('md5').update(bytes).digest('hex')}"`;

/** What a browser does: every policy field first, the file last (S3 ignores fields after the file). */
const postForm = (up: PresignedUpload, bytes: Uint8Array, type: string, headers: Record<string, string> = {}) => {
  const form = new FormData();
  for (const [k, v] of Object.entries(up.fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), 'upload.bin');
  return fetch(up.url, { method: 'POST', body: form, headers });
};

const upload = async (key: string, bytes: Uint8Array, contentType: string, s3client = s3, b = bucket) => {
  const up = await presignUpload(s3client, b, { key, contentType, maxBytes: 10 * MiB, now: new Date() });
  const res = await postForm(up, bytes, contentType);
  expect(res.status).toBe(204);
  return up;
};

describe('presigned POST upload + inspectObject', () => {
  it('stores a PDF whose size, type and magic bytes inspectObject reports', async () => {
    const key = docKey();
    await upload(key, PDF, 'application/pdf');
    const info = await inspectObject(s3, bucket, key);
    expect(info).toMatchObject({ exists: true, sizeBytes: PDF.length, contentType: 'application/pdf' });
    if (!info.exists) throw new Error('unreachable');
    expect(info.firstBytes).toHaveLength(16);
    expect(Buffer.from(info.firstBytes).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('reads a PNG signature, and objects shorter than the bytes asked for', async () => {
    const key = docKey();
    await upload(key, PNG, 'image/png');
    const info = await inspectObject(s3, bucket, key, 4);
    expect(info).toEqual({ exists: true, sizeBytes: PNG.length, contentType: 'image/png', firstBytes: PNG.subarray(0, 4), etag: md5(PNG) });
    expect(await inspectObject(s3, bucket, key, 1)).toMatchObject({ firstBytes: new Uint8Array([0x89]) });
    expect(await inspectObject(s3, bucket, key, 64)).toMatchObject({ sizeBytes: 20, firstBytes: PNG });

    const empty = docKey();
    await putObject(s3, bucket, empty, new Uint8Array(), 'application/pdf');
    expect(await inspectObject(s3, bucket, empty)).toEqual({
      exists: true,
      sizeBytes: 0,
      contentType: 'application/pdf',
      firstBytes: new Uint8Array(),
      etag: md5(new Uint8Array()),
    });
  });

  it('judges ONE version: size, type, ETag and first bytes all of the upload that replaced the key between HEAD and GET', async () => {
    const key = docKey();
    await upload(key, PDF, 'application/pdf');
    const replacement = new Uint8Array(300).fill(0x20);
    replacement.set(PNG);
    const sent: string[] = [];
    const racing = makeS3Client(config);
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        const out = await next(args);
        sent.push(context.commandName ?? '?');
        // Someone uploads again with the still-valid form right after the HEAD.
        if (context.commandName === 'HeadObjectCommand' && sent.length === 1) await putObject(s3, bucket, key, replacement, 'image/png');
        return out;
      },
      { step: 'initialize', name: 'replaceAfterHead' },
    );
    const info = await inspectObject(racing, bucket, key, 8);
    racing.destroy();
    expect(info).toEqual({
      exists: true,
      sizeBytes: replacement.length,
      contentType: 'image/png',
      firstBytes: replacement.subarray(0, 8),
      etag: md5(replacement),
    });
    expect(sent).toEqual(['HeadObjectCommand', 'GetObjectCommand', 'HeadObjectCommand', 'GetObjectCommand']);
  });

  it('copyIfUnchanged copies the checked version, and says ObjectChanged once the key holds other bytes', async () => {
    const key = docKey();
    await upload(key, PDF, 'application/pdf');
    const checked = await inspectObject(s3, bucket, key);
    if (!checked.exists) throw new Error('unreachable');
    const to = `evidence/test/${ulid()}`;
    await copyIfUnchanged(s3, bucket, key, to, checked.etag);
    const copy = await inspectObject(s3, bucket, to, 64);
    expect(copy).toMatchObject({ exists: true, sizeBytes: PDF.length, contentType: 'application/pdf', etag: checked.etag });
    // Replaced after the check: the copy is refused (S3: 412 on CopySourceIfMatch; s3rver: the copy's ETag differs).
    await upload(key, PNG, 'image/png');
    const to2 = `evidence/test/${ulid()}`;
    await expect(copyIfUnchanged(s3, bucket, key, to2, checked.etag)).rejects.toBeInstanceOf(ObjectChanged);
    await expect(copyIfUnchanged(s3, bucket, docKey(), to2, checked.etag)).rejects.toBeInstanceOf(ObjectChanged);
  });

  it('says exists: false for a missing key', async () => {
    expect(await inspectObject(s3, bucket, docKey())).toEqual({ exists: false });
    await expect(getObjectStream(s3, bucket, docKey())).rejects.toBeInstanceOf(ObjectNotFound);
  });

  it('lets S3 trouble propagate as a transient error (the HTTP layer answers 503)', async () => {
    const down = makeS3Client({ ...config, s3Endpoint: `http://127.0.0.1:${await freePort()}` });
    const err = await inspectObject(down, bucket, docKey()).catch((e: unknown) => e);
    down.destroy();
    expect(err).toBeInstanceOf(Error);
    expect(isTransientStoreError(err)).toBe(true);
  });

  it('the S3 front enforces the policy as S3 does; bytes that got in anyway are still caught by inspectObject', async () => {
    const key = docKey();
    const up = await presignUpload(s3, bucket, { key, contentType: 'application/pdf', maxBytes: 10, now: new Date() });
    const html = new Uint8Array(Buffer.from('<html><script>alert(1)</script></html>'));
    const res = await postForm({ ...up, fields: { ...up.fields, 'Content-Type': 'text/html' } }, html, 'text/html');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    // Stored by a signed writer (what a policy-blind store would have let a lying browser do): the app judges it.
    await putObject(s3, bucket, key, html, 'text/html');
    const info = await inspectObject(s3, bucket, key);
    expect(info).toMatchObject({ exists: true, sizeBytes: html.length, contentType: 'text/html' });
    // Whatever was stored, a download link answers the declared type as an attachment: the page never renders.
    const got = await fetch(await presignDownload(s3, bucket, key, { fileName: 'invoice.png', contentType: 'image/png' }));
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toMatch(/^attachment;/);
  });
});

describe('downloads and streams', () => {
  it('a presigned GET returns the same bytes with the Chinese file name', async () => {
    const key = docKey();
    await upload(key, PDF, 'application/pdf');
    const res = await fetch(await presignDownload(s3, bucket, key, { fileName: '住院发票.pdf', contentType: 'application/pdf' }));
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="_\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toBe('住院发票.pdf');
  });

  it('putObject and getObjectStream carry report and roster files', async () => {
    const key = objectKeys.report('2026-03-01', `u-${ulid()}`, 'csv');
    const csv = '\uFEFForgId,名称\nu1,第一机床厂\n';
    await putObject(s3, bucket, key, csv, 'text/csv; charset=utf-8');
    const chunks: Uint8Array[] = [];
    for await (const chunk of await getObjectStream(s3, bucket, key)) chunks.push(chunk as Uint8Array);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(csv);
  });
});

describe('CORS on the bucket (browser uploads)', () => {
  const preflight = (origin: string) =>
    fetch(`${config.s3Endpoint}/${bucket}`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });

  it('allows a POST preflight from the console origin, and the POST itself', async () => {
    const res = await preflight('http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-origin')).toBeTruthy();

    const up = await presignUpload(s3, bucket, { key: docKey(), contentType: 'image/png', maxBytes: MiB, now: new Date() });
    const post = await postForm(up, PNG, 'image/png', { Origin: 'http://localhost:5173' });
    expect(post.status).toBe(204);
    expect(post.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('refuses a foreign origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('startS3 onObjectCreated (the local stand-in for the S3 → Lambda event)', () => {
  it('delivers an AWS-shaped event for presigned POSTs and PUTs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huzhu-s3-events-'));
    const events: S3Event[] = [];
    const waiters: (() => void)[] = [];
    let calls = 0;
    const server = await startS3({
      port: await freePort(),
      directory: dir,
      bucket: 'huzhu-events',
      corsOrigins: [],
      onObjectCreated: (e) => {
        events.push(e);
        waiters.shift()?.();
        if (++calls === 1) throw new Error('handler failed'); // must not fail the upload
      },
    });
    const local = makeS3Client({ ...config, s3Endpoint: server.endpoint });
    const next = () =>
      new Promise<S3Event>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no object-created event within 5 s')), 5000);
        waiters.push(() => {
          clearTimeout(t);
          resolve(events.at(-1)!);
        });
      });
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const key = objectKeys.rosterImport(ulid());
      const roster = new Uint8Array(Buffer.from('身份证号,姓名\n'));
      const posted = next();
      await upload(key, roster, 'text/csv', local, 'huzhu-events');
      const post = (await posted).Records[0]!;
      expect(post.eventName).toBe('ObjectCreated:Post');
      expect(post.eventSource).toBe('aws:s3');
      expect(post.s3.bucket).toMatchObject({ name: 'huzhu-events', arn: 'arn:aws:s3:::huzhu-events' });
      expect(post.s3.object).toMatchObject({ key, size: roster.length });
      expect(post.s3.object.eTag).toMatch(/^[0-9a-f]{32}$/);
      await vi.waitFor(() => expect(quiet).toHaveBeenCalledTimes(1));

      // AWS URL-encodes the key in events (space as '+'); consumers decode it.
      const put = next();
      await putObject(local, 'huzhu-events', 'odd name/报表.csv', 'x', 'text/csv');
      const record = (await put).Records[0]!;
      expect(record.eventName).toBe('ObjectCreated:Put');
      expect(record.s3.object).toMatchObject({ key: `odd+name/${encodeURIComponent('报表')}.csv`, size: 1 });
      expect(decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '))).toBe('odd name/报表.csv');
    } finally {
      quiet.mockRestore();
      local.destroy();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
