import type { Readable } from 'node:stream';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * Reading and writing objects. S3 failures other than "no such object"
 * propagate as the SDK threw them: they mean S3 is busy or unreachable, and
 * the HTTP layer (shared/http/middleware/problems.ts) answers 503 for those.
 */

/** `etag` names the one version every other field was read from (what a copy can be conditioned on). */
export type ObjectInfo = { exists: false } | { exists: true; sizeBytes: number; contentType: string; firstBytes: Uint8Array; etag: string };

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

/** "bytes 0-15/1234" → 1234 (the object's size, not the part's); undefined without a usable total. */
const totalOf = (contentRange: string | undefined): number | undefined => {
  const m = /\/(\d+)$/.exec(contentRange ?? '');
  return m ? Number(m[1]) : undefined;
};

/** At most `n` bytes of a body, without reading (or buffering) the rest. */
const readFirst = async (body: unknown, n: number): Promise<Uint8Array> => {
  if (!body) return new Uint8Array();
  const out: Uint8Array[] = [];
  let got = 0;
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    out.push(chunk);
    got += chunk.length;
    if (got >= n) break;
  }
  const all = Buffer.concat(out);
  return new Uint8Array(all.buffer, all.byteOffset, Math.min(n, all.length));
};

const isPreconditionFailed = (err: unknown): boolean => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
};

/** Reads of an object that keeps changing under us before giving up (ObjectChanged). */
const READ_ATTEMPTS = 3;

/**
 * What an upload really is: size and type as S3 stored them, its first bytes
 * to check against the declared type (an upload's policy is not proof: a
 * client may lie about content within the type),
 * and the ETag of that version. Everything judged comes from ONE version
 * (SPEC §4.4): HEAD names the version (and spares a ranged GET of an empty
 * object, which S3 answers 416), then a ranged GET conditioned on its ETag
 * (If-Match; S3 answers 412 once the key holds another upload) answers size
 * (Content-Range), type, ETag and bytes together. The GET's own ETag is
 * compared too, since s3rver ignores If-Match. A key replaced in between is
 * read again; one that never holds still is ObjectChanged.
 */
export const inspectObject = async (s3: S3Client, bucket: string, key: string, firstBytes = 16): Promise<ObjectInfo> => {
  if (!Number.isInteger(firstBytes) || firstBytes < 1) throw new RangeError(`firstBytes must be a positive integer, got ${firstBytes}`);
  try {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      const etag = head.ETag ?? '';
      if ((head.ContentLength ?? 0) === 0) {
        return { exists: true, sizeBytes: 0, contentType: head.ContentType ?? '', firstBytes: new Uint8Array(), etag };
      }
      try {
        const got = await s3.send(
          new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${firstBytes - 1}`, ...(etag ? { IfMatch: etag } : {}) }),
        );
        if (!etag || got.ETag !== etag) continue;
        // s3rver reads "bytes=0-0" as the whole object (200, no Content-Range): then ContentLength is the size.
        const sizeBytes = totalOf(got.ContentRange) ?? got.ContentLength ?? 0;
        return { exists: true, sizeBytes, contentType: got.ContentType ?? '', firstBytes: await readFirst(got.Body, firstBytes), etag };
      } catch (err) {
        if (isPreconditionFailed(err)) continue;
        throw err;
      }
    }
  } catch (err) {
    if (isMissing(err)) return { exists: false };
    throw err;
  }
  throw new ObjectChanged(key);
};

/** The object changed since it was checked (its ETag is no longer the one the copy was conditioned on). */
export class ObjectChanged extends Error {
  override name = 'ObjectChanged';
  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`object ${key} changed since it was checked`, options);
  }
}

/**
 * Copies exactly the version that was checked: conditioned on its ETag
 * (S3 answers 412 once the key holds other bytes). The copy's own ETag is
 * compared too (s3rver ignores the condition; S3's copy of a single-part
 * object keeps its MD5 ETag). ObjectChanged when either says otherwise: the
 * caller checks again.
 */
export const copyIfUnchanged = async (s3: S3Client, bucket: string, from: string, to: string, etag: string): Promise<void> => {
  try {
    const out = await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: to,
        CopySource: `${bucket}/${from}`,
        CopySourceIfMatch: etag,
        MetadataDirective: 'COPY',
      }),
    );
    if (out.CopyObjectResult?.ETag !== undefined && out.CopyObjectResult.ETag !== etag) throw new ObjectChanged(from);
  } catch (err) {
    if (err instanceof ObjectChanged) throw err;
    if (isPreconditionFailed(err) || isMissing(err)) throw new ObjectChanged(from, { cause: err });
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
