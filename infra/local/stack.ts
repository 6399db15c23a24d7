import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../shared/config';
import { makeDynamoClient } from '../../shared/store/client';
import { corsOriginsFromCdkJson, repoRoot } from '../cors';
import { checkedRootOrgName, localRootOrgName } from '../rootOrg';
import { bootstrapStore } from './bootstrap';
import { freePort, startDynamo, startS3 } from './emulators';
import { createGateway, type LocalFunction } from './gateway';
import { deliverRosterUploads } from './imports';
import { localNightlyReport, scheduleNightly } from './nightly';
import { loadOrCreateKey, makeVerifier, signToken } from './jwt';
import { consoleSite } from './consoleSite';
import { consoleDist } from '../../console/build';
import { localDir } from './paths';
import { LOCAL_S3_UPSTREAM_ENV, type RunningStack } from './running';

export interface LocalStackOptions {
  port?: number;
  /** Keep data under this directory (default .local/); tests pass a temp dir. */
  dataDir?: string;
  /** DynamoDB Local in memory instead of on disk. */
  inMemory?: boolean;
  dynamoPort?: number;
  s3Port?: number;
  tableName?: string;
  bucketName?: string;
  rootOrgId?: string;
  /** The root org's name when the store is created (default: ROOT_ORG_NAME, else cdk.json's huzhu:rootOrgName, else 总工会). */
  rootOrgName?: string;
  /** The built console to serve at /console/ (default console/dist/localstack; `npm start` builds it first). */
  consoleDir?: string;
}

export interface LocalStack {
  url: string;
  port: number;
  dynamoEndpoint: string;
  s3Endpoint: string;
  dataDir: string;
  stop(): Promise<void>;
}

/** The whole local stack: DynamoDB Local, s3rver, bootstrap, and the gateway serving the route table. */
export const startLocalStack = async (opts: LocalStackOptions = {}): Promise<LocalStack> => {
  // Many requests run at once in this one process, as in Lambda's multi-concurrency mode: Powertools then
  // scopes log keys per invocation (the gateway runs each inside its own InvokeStore context). Set before
  // the first AWS SDK call, which creates the process's InvokeStore in whichever mode the environment says.
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  const dirs = localDir(opts.dataDir);
  const tableName = opts.tableName ?? process.env[ENV.tableName] ?? 'huzhu';
  const bucketName = opts.bucketName ?? process.env[ENV.bucketName] ?? 'huzhu-local';
  const rootOrgId = opts.rootOrgId ?? process.env[ENV.rootOrgId] ?? 'root';
  const rootOrgName = opts.rootOrgName !== undefined ? checkedRootOrgName(opts.rootOrgName) : localRootOrgName();
  // The console is served by this gateway (same origin as the API); the browser uploads to s3rver, a cross-origin POST.
  const port = opts.port === 0 ? await freePort() : (opts.port ?? 3000);
  const corsOrigins = [...corsOriginsFromCdkJson(), `http://localhost:${port}`, `http://127.0.0.1:${port}`];

  if (!opts.inMemory) mkdirSync(dirs.dynamo, { recursive: true });
  const dynamo = await startDynamo({ port: opts.dynamoPort ?? (await freePort()), dbPath: opts.inMemory ? undefined : dirs.dynamo });
  const stops: Array<() => Promise<void>> = [dynamo.stop];
  try {
    // An upload under imports/<id>/roster starts that import, as the S3 notification does in AWS.
    const s3 = await startS3({
      port: opts.s3Port ?? (await freePort()),
      directory: dirs.s3,
      bucket: bucketName,
      corsOrigins,
      onObjectCreated: deliverRosterUploads(),
    });
    stops.unshift(s3.stop);

    // The handlers read their configuration from the environment, exactly as in Lambda.
    Object.assign(process.env, {
      [ENV.tableName]: tableName,
      [ENV.bucketName]: bucketName,
      [ENV.rootOrgId]: rootOrgId,
      [ENV.rootOrgName]: rootOrgName,
      [ENV.dynamoEndpoint]: dynamo.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      [ENV.localSecretsDir]: dirs.base,
      [ENV.region]: process.env[ENV.region] ?? 'us-east-1',
      [LOCAL_S3_UPSTREAM_ENV]: s3.upstreamEndpoint,
    });
    const ddb = makeDynamoClient({ tableName, bucketName, rootOrgId, region: 'local', dynamoEndpoint: dynamo.endpoint });
    await bootstrapStore(ddb, tableName, rootOrgId, new Date(), rootOrgName);
    ddb.destroy();

    // The nightly quota report at 02:00 Asia/Shanghai for the day before, as EventBridge Scheduler runs it in AWS.
    const nightly = scheduleNightly(localNightlyReport());
    stops.unshift(async () => nightly.stop());

    const key = await loadOrCreateKey(dirs.jwtKey);
    const cache = new Map<string, Promise<LocalFunction>>();
    const loadHandler = (name: string) => {
      let h = cache.get(name);
      if (!h) {
        // An absolute path (not a file: URL), so under vitest the handler shares the test's module graph.
        const file = join(repoRoot, 'functions', name, 'handler.ts');
        h = import(file).then((m: { handler: LocalFunction }) => m.handler);
        cache.set(name, h);
      }
      return h;
    };
    stops.push(async () => {
      delete process.env.AWS_LAMBDA_MAX_CONCURRENCY;
    });
    const site = consoleSite({
      dir: opts.consoleDir ?? consoleDist('localstack'),
      s3Endpoint: s3.endpoint,
      signToken: (claims) => signToken(key, claims),
    });
    const server = createGateway({ verify: await makeVerifier(key), loadHandler, corsOrigins, site });
    const listening = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
    stops.unshift(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    const url = `http://localhost:${listening}`;
    const running = join(dirs.base, 'running.json');
    writeFileSync(
      running,
      JSON.stringify({
        url,
        dynamoEndpoint: dynamo.endpoint,
        s3Endpoint: s3.endpoint,
        s3UpstreamEndpoint: s3.upstreamEndpoint,
        tableName,
        bucketName,
        rootOrgId,
        pid: process.pid,
      } satisfies RunningStack),
    );
    stops.unshift(async () => rmSync(running, { force: true }));
    return {
      url,
      port: listening,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      dataDir: dirs.base,
      stop: async () => {
        for (const s of stops) await s().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const s of stops) await s().catch(() => undefined);
    throw e;
  }
};
