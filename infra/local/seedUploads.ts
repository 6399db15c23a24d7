/**
 * The seed's receipts go through their presigned POST forms, judged as S3 judges a form at the moment it was
 * made. The seed replays a past year (each step on its own date, infra/local/seedRun.ts), so by the wall clock a
 * form made on a March afternoon expired long ago, and the running stack's S3 front rightly refuses it. For its
 * run only, the seed opens an S3 front of its own over the same s3rver (loopback, a free port) that also reads
 * the test clock header, and posts each form there at the form's own moment: signature, policy, expiry, key,
 * type and size are all checked by the same code as in `npm start`. `npm start`'s front never reads that header.
 */
import { LOCAL_S3_CREDENTIALS } from '../../shared/objects/client';
import { freePort } from './emulators';
import { postPresignedForm, type UploadForm } from './forms';
import { LOCAL_S3_UPSTREAM_ENV } from './running';
import { formClockHeaders, startS3Front, TEST_CLOCK_HEADER } from './s3front';

export interface ReplayUploads {
  /** Posts `file` through `form` as at the moment the form was made; resolves to the S3 answer. */
  post(form: UploadForm, file: { bytes: Uint8Array; type: string; name?: string }): Promise<Response>;
  close(): Promise<void>;
}

export const openReplayUploads = async (bucket: string, upstream = process.env[LOCAL_S3_UPSTREAM_ENV]): Promise<ReplayUploads> => {
  const upstreamPort = upstream ? Number(new URL(upstream).port) : Number.NaN;
  if (!Number.isInteger(upstreamPort) || upstreamPort <= 0) {
    throw new Error(`${LOCAL_S3_UPSTREAM_ENV} does not name the local s3rver: restart the local stack (npm start)`);
  }
  const port = await freePort();
  const front = await startS3Front({
    port,
    upstreamPort,
    bucket,
    credentials: LOCAL_S3_CREDENTIALS,
    corsOrigins: [],
    clockHeader: TEST_CLOCK_HEADER,
  });
  return {
    post: (form, file) => {
      const url = new URL(form.url);
      url.host = `127.0.0.1:${port}`;
      return postPresignedForm(form, file, { url: url.toString(), headers: formClockHeaders(form.fields) });
    },
    close: () => front.close(),
  };
};
