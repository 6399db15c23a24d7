import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { answer, type BareEvent, db, table } from './client';

/**
 * GET /claims/{id} of a claim with documents, bare: the same calls as the
 * production handler — the claim's GetItem, then for each document a
 * HeadObject, a ranged GetObject of its first bytes and a presigned GET —
 * with the S3 client configured as the app's (shared/objects/client.ts).
 */
const endpoint = process.env.S3_ENDPOINT;
const s3 = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  maxAttempts: 3,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  ...(endpoint ? { endpoint, forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
});
const bucket = process.env.BUCKET_NAME ?? 'huzhu-local';

export const handler = async (event: BareEvent) => {
  const id = event.pathParameters?.id ?? '';
  const r = await db.send(new GetCommand({ TableName: table, Key: { pk: `CLAIM#${id}`, sk: 'CLAIM' } }));
  if (!r.Item) return answer(404, { id });
  const documents = await Promise.all(
    (r.Item.documents as { documentId: string; contentType: string }[]).map(async (d) => {
      const Key = `claims/${id}/${d.documentId}`;
      const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key }));
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key, Range: 'bytes=0-15' }));
      const first = await got.Body!.transformToByteArray();
      const downloadUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key, ResponseContentType: d.contentType }), {
        expiresIn: 300,
      });
      return { ...d, uploaded: head.ContentLength === undefined ? false : first.length > 0, downloadUrl };
    }),
  );
  return answer(200, { ...r.Item, documents });
};
