import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

/** SPEC §4.4: an upload form lives at most 15 minutes, a download link at most 5. */
export const MAX_UPLOAD_SECONDS = 900;
export const MAX_DOWNLOAD_SECONDS = 300;

export interface PresignedUpload {
  method: 'POST';
  url: string;
  /** Form fields to send before the file (S3 ignores fields after it). */
  fields: Record<string, string>;
  expiresAt: string;
}

const seconds = (value: number, max: number, what: string): number => {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new RangeError(`${what} must be an integer in 1..${max}, got ${value}`);
  return value;
};

/**
 * A browser-ready S3 POST form whose signed policy pins the exact key, the exact
 * Content-Type and a size range of 1..maxBytes, so the client cannot choose
 * another object, type or size. (Locally the S3 front enforces it too:
 * infra/local/s3front.ts. The app still re-checks every upload with
 * inspectObject before trusting it.)
 *
 * The policy's expiration and X-Amz-Date come from `now`, the app's one clock
 * (shared/clock.ts), not from a second read of the system clock: the SDK takes
 * its time from `client.config` (Date.now() + systemClockOffset), so it gets a
 * view of the client whose offset makes that time `now`, keeping any skew
 * correction the SDK has learnt. Then `expiresAt` is exactly what S3 enforces.
 */
export const presignUpload = async (
  s3: S3Client,
  bucket: string,
  opts: { key: string; contentType: string; maxBytes: number; expiresSeconds?: number; now: Date },
): Promise<PresignedUpload> => {
  const expires = seconds(opts.expiresSeconds ?? MAX_UPLOAD_SECONDS, MAX_UPLOAD_SECONDS, 'expiresSeconds');
  if (!Number.isInteger(opts.maxBytes) || opts.maxBytes < 1)
    throw new RangeError(`maxBytes must be a positive integer, got ${opts.maxBytes}`);
  const systemClockOffset = (s3.config.systemClockOffset ?? 0) + (opts.now.getTime() - Date.now());
  const atNow = { config: { ...s3.config, systemClockOffset } } as unknown as S3Client;
  const { url, fields } = await createPresignedPost(atNow, {
    Bucket: bucket,
    Key: opts.key,
    // createPresignedPost adds { bucket }, { key } and the signing fields itself.
    Conditions: [
      ['eq', '$Content-Type', opts.contentType],
      ['content-length-range', 1, opts.maxBytes],
    ],
    Fields: { 'Content-Type': opts.contentType },
    Expires: expires,
  });
  return { method: 'POST', url, fields, expiresAt: decodePolicy(fields).expiration };
};

export interface PostPolicy {
  expiration: string;
  conditions: (Record<string, string> | [string, string | number, string | number])[];
}

/** The policy document a presigned POST carries (base64 JSON in `fields.Policy`), for tests and audits. */
export const decodePolicy = (fields: Record<string, string>): PostPolicy => {
  const policy = fields.Policy;
  if (!policy) throw new TypeError('presigned POST fields carry no Policy');
  return JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as PostPolicy;
};

/**
 * Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 +
 * RFC 5987), so "住院发票.pdf" arrives intact and old clients still get a name.
 */
export const contentDisposition = (fileName: string, type: 'attachment' | 'inline' = 'attachment'): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
  const clean = fileName.replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'file';
  const ascii = clean.replace(/[^\x20-\x7e]+/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
};

/** The one type a stored file may be opened as in the browser (the nightly report page, with its own CSP). */
const RENDERED_TYPES = new Set(['text/html; charset=utf-8']);

/**
 * A GET link valid ≤ 5 minutes (SPEC §4.4). Signed with the system clock:
 * S3 (and s3rver) reject a link whose X-Amz-Date + X-Amz-Expires has passed.
 * Every link forces its answer's type and disposition (response-content-type,
 * response-content-disposition), whatever type the object was stored with:
 * a file is downloaded (`attachment`) as what the app says it is, so an
 * upload that claimed text/html never renders in the bucket's origin. Only
 * the report page is opened in place (`inline`, text/html only).
 */
export const presignDownload = async (
  s3: S3Client,
  bucket: string,
  key: string,
  opts: { expiresSeconds?: number; fileName: string; contentType: string; disposition?: 'attachment' | 'inline' },
): Promise<string> => {
  const expiresIn = seconds(opts.expiresSeconds ?? MAX_DOWNLOAD_SECONDS, MAX_DOWNLOAD_SECONDS, 'expiresSeconds');
  const disposition = opts.disposition ?? 'attachment';
  if (disposition === 'inline' && !RENDERED_TYPES.has(opts.contentType)) {
    throw new RangeError(`only ${[...RENDERED_TYPES].join(', ')} is opened in place; ${opts.contentType} is downloaded`);
  }
  const command = new GetObjectCommand({
    Bucket: bucket,
    Key: key,
    ResponseContentDisposition: contentDisposition(opts.fileName, disposition),
    ResponseContentType: opts.contentType,
  });
  return getSignedUrl(s3, command, { expiresIn });
};
