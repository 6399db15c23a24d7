import { S3Client } from '@aws-sdk/client-s3';
import type { AppConfig } from '../config';

/**
 * One S3 client per process, for object calls and for presigning alike.
 * Checksums only when an operation requires them: otherwise the SDK adds a
 * CRC of the (empty) body to presigned URLs and the browser's upload fails.
 * Locally it points at the S3 front before s3rver, which needs path-style URLs;
 * the front accepts only requests signed with LOCAL_S3_CREDENTIALS.
 */
/** The local stack's S3 credentials (not a secret: local only). The S3 front (infra/local/s3front.ts) checks signatures against them. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export const makeS3Client = (config: AppConfig): S3Client =>
  new S3Client({
    region: config.region,
    maxAttempts: 3,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true, credentials: LOCAL_S3_CREDENTIALS } : {}),
  });

/**
 * The data bucket's client for these deps, made on first use and kept with
 * them. Deps do not hold it themselves, so a function that never touches S3
 * does not bundle the S3 client at all (~100 KB less to compile at cold start).
 */
const clients = new WeakMap<AppConfig, S3Client>();
export const s3Of = (deps: { config: AppConfig }): S3Client => {
  let c = clients.get(deps.config);
  if (!c) {
    c = makeS3Client(deps.config);
    clients.set(deps.config, c);
  }
  return c;
};
