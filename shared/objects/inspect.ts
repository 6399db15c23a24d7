import type { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Reading and writing objects. S3 failures other than "no such object"
 * propagate as the SDK threw them: they mean S3 is busy or unreachable, and
 * the HTTP layer (shared/http/middleware/problems.ts) answers 503 for those.
 */

export type ObjectInfo = { exists: false } | { exists: true; sizeBytes: number; contentType: string; firstBytes: Uint8Array };

/** A missing object: the SDK says NotFound for HEAD (no body to name it) and NoSuchKey for GET. */
const isMissing = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
};

/** An object the caller expected (an uploaded roster, a report) is not there. */
export class ObjectNotFound extends Error {
  override name = 'ObjectNotFound';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`no object at ${key}`, options);
  }
}

/**
 * What an upload really is: size and type as S3 stored them, and its first
 * bytes to check against the declared type (an upload's policy is not proof:
 * s3rver ignores it, and a client may lie about content within the type).
 */
export const inspectObject = async (s3: S3Client, bucket: string, key: string, firstBytes = 16): Promise<ObjectInfo> => {
  if (!Number.isInteger(firstBytes) || firstBytes < 1) throw new RangeError(`firstBytes must be a positive integer, got ${firstBytes}`);
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const sizeBytes = head.ContentLength ?? 0;
    const contentType = head.ContentType ?? '';
    // S3 answers 416 to any range on an empty object, so there is nothing to read.
    if (sizeBytes === 0) return { exists: true, sizeBytes, contentType, firstBytes: new Uint8Array() };
    const n = Math.min(firstBytes, sizeBytes);
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${n - 1}` }));
    const bytes = got.Body ? await got.Body.transformToByteArray() : new Uint8Array();
    // s3rver reads "bytes=0-0" as the whole object: keep only what was asked for.
    return { exists: true, sizeBytes, contentType, firstBytes: bytes.subarray(0, n) };
  } catch (err) {
    if (isMissing(err)) return { exists: false };
    throw err;
  }
};

export const putObject = async (
  s3: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  contentType: string,
): Promise<void> => {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
};

/** The object's bytes as a Node stream (an AsyncIterable<Uint8Array>); ObjectNotFound when absent. */
export const getObjectStream = async (s3: S3Client, bucket: string, key: string): Promise<Readable> => {
  try {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!got.Body) throw new ObjectNotFound(key);
    return got.Body as Readable;
  } catch (err) {
    if (isMissing(err)) throw new ObjectNotFound(key, { cause: err });
    throw err;
  }
};
