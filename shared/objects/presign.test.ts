import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { makeS3Client } from './client';
import { objectKeys, rosterImportIdOf } from './keys';
import { contentDisposition, decodePolicy, presignDownload, presignUpload } from './presign';

const config = loadConfig();
const s3 = makeS3Client(config);
afterAll(() => s3.destroy());

const claimId = '01JQ3ZJ8X6W4Y1C9V7H2K5M0NA';
const documentId = '01JQ3ZK2B8P1R4T6Y9D3F5G7HJ';
const key = objectKeys.claimDocument(claimId, documentId);
// A fixed app clock far from the real one: the policy must follow it, not Date.now().
const now = new Date('2026-03-01T08:00:00.000Z');
const MiB = 1024 * 1024;

describe('presignUpload', () => {
  it('signs a policy that pins bucket, exact key, exact Content-Type and 1..maxBytes, expiring 15 minutes after now', async () => {
    const up = await presignUpload(s3, config.bucketName, { key, contentType: 'application/pdf', maxBytes: 10 * MiB, now });
    const policy = decodePolicy(up.fields);
    const c = policy.conditions;

    expect(up.method).toBe('POST');
    expect(up.fields.key).toBe(key);
    expect(up.fields['Content-Type']).toBe('application/pdf');
    expect(c).toContainEqual({ bucket: config.bucketName });
    expect(c).toContainEqual({ key });
    expect(c.filter((x) => Array.isArray(x) && x[1] === '$key')).toEqual([]); // no starts-with loophole
    expect(c).toContainEqual(['eq', '$Content-Type', 'application/pdf']);
    expect(c).toContainEqual({ 'Content-Type': 'application/pdf' });
    expect(c).toContainEqual(['content-length-range', 1, 10 * MiB]);
    const expiresMs = Date.parse(policy.expiration) - now.getTime();
    expect(expiresMs).toBeGreaterThan(0);
    expect(expiresMs).toBeLessThanOrEqual(15 * 60_000);
    expect(policy.expiration).toBe('2026-03-01T08:15:00Z');
    expect(up.expiresAt).toBe(policy.expiration);
    expect(up.fields['X-Amz-Date']).toBe('20260301T080000Z');
  });

  it('takes a shorter lifetime and refuses one above 15 minutes', async () => {
    const up = await presignUpload(s3, config.bucketName, { key, contentType: 'image/png', maxBytes: 5, expiresSeconds: 60, now });
    expect(decodePolicy(up.fields).expiration).toBe('2026-03-01T08:01:00Z');
    expect(decodePolicy(up.fields).conditions).toContainEqual(['content-length-range', 1, 5]);
    await expect(
      presignUpload(s3, config.bucketName, { key, contentType: 'image/png', maxBytes: 5, expiresSeconds: 901, now }),
    ).rejects.toThrow(RangeError);
    await expect(presignUpload(s3, config.bucketName, { key, contentType: 'image/png', maxBytes: 0, now })).rejects.toThrow(RangeError);
  });
});

describe('presignDownload', () => {
  it('signs a GET valid at most 5 minutes, carrying the Chinese file name', async () => {
    const url = new URL(
      await presignDownload(s3, config.bucketName, key, { fileName: '住院发票 (1).pdf', contentType: 'application/pdf' }),
    );
    expect(Number(url.searchParams.get('X-Amz-Expires'))).toBe(300);
    expect(url.pathname).toBe(`/${config.bucketName}/${key}`);
    expect(url.searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="_ (1).pdf"; filename*=UTF-8''${encodeURIComponent('住院发票')}%20%281%29.pdf`,
    );
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    const short = new URL(
      await presignDownload(s3, config.bucketName, key, { expiresSeconds: 60, fileName: 'a.csv', contentType: 'text/csv' }),
    );
    expect(Number(short.searchParams.get('X-Amz-Expires'))).toBe(60);
    await expect(
      presignDownload(s3, config.bucketName, key, { expiresSeconds: 301, fileName: 'a.csv', contentType: 'text/csv' }),
    ).rejects.toThrow(RangeError);
  });

  it('forces a download (attachment, the app’s type) for every file but the report page', async () => {
    for (const contentType of ['application/pdf', 'image/png', 'text/csv; charset=utf-8', 'application/json']) {
      const u = new URL(await presignDownload(s3, config.bucketName, key, { fileName: 'f', contentType }));
      expect(u.searchParams.get('response-content-disposition')).toMatch(/^attachment;/);
      expect(u.searchParams.get('response-content-type')).toBe(contentType);
      await expect(presignDownload(s3, config.bucketName, key, { fileName: 'f', contentType, disposition: 'inline' })).rejects.toThrow(
        RangeError,
      );
    }
    const page = new URL(
      await presignDownload(s3, config.bucketName, key, {
        fileName: 'r.html',
        contentType: 'text/html; charset=utf-8',
        disposition: 'inline',
      }),
    );
    expect(page.searchParams.get('response-content-disposition')).toMatch(/^inline;/);
  });

  it('makes header-safe dispositions', () => {
    expect(contentDisposition('a"b\\c\r\n.csv')).toBe(`attachment; filename="a_b_c.csv"; filename*=UTF-8''a%22b%5Cc.csv`);
    expect(contentDisposition('report.html', 'inline')).toBe(`inline; filename="report.html"; filename*=UTF-8''report.html`);
    expect(contentDisposition('\u0007')).toBe(`attachment; filename="file"; filename*=UTF-8''file`);
  });
});

describe('objectKeys', () => {
  it('spells keys from ids only', () => {
    expect(key).toBe(`claims/${claimId}/${documentId}`);
    expect(objectKeys.rosterImport(claimId)).toBe(`imports/${claimId}/roster`);
    expect(objectKeys.rosterImportResults(claimId)).toBe(`imports/${claimId}/results.csv`);
    expect(objectKeys.report('2026-03-01', 'unit-7', 'csv')).toBe('reports/2026-03-01/unit-7/report.csv');
    expect(rosterImportIdOf(objectKeys.rosterImport(claimId))).toBe(claimId);
    expect(rosterImportIdOf(objectKeys.rosterImportResults(claimId))).toBeUndefined();
  });

  it('throws on anything that is not a safe id, without echoing it', () => {
    for (const bad of ['', '../x', 'a/b', 'a b', '张三', 'x'.repeat(65), '-a', '11010519491231002X', '110105491231002']) {
      expect(() => objectKeys.claimDocument(bad, documentId), JSON.stringify(bad)).toThrow(TypeError);
    }
    expect(() => objectKeys.claimDocument('11010519491231002X', documentId)).toThrow(/^object key: claimId is not a safe id$/);
    expect(() => objectKeys.report('2026-3-1', 'u1', 'csv')).toThrow(TypeError);
    expect(() => objectKeys.report('2026-03-01', 'u1', 'exe' as 'csv')).toThrow(TypeError);
  });
});
