import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ENV } from '../../shared/config';
import { makeDynamoClient } from '../../shared/store/client';
import { bootstrapStore } from '../../infra/local/bootstrap';
import { freePort, startDynamo, startS3 } from '../../infra/local/emulators';
import { LOCAL_S3_UPSTREAM_ENV } from '../../infra/local/running';
import { TEST_CLOCK_HEADER } from '../../infra/local/s3front';

/**
 * Starts the real emulators once per `npm test`: DynamoDB Local in memory and
 * s3rver in a temp dir. Test files get their endpoints through `inject('env')`
 * (see ./setup-env.ts) and share one table; each test uses its own ids.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const dir = mkdtempSync(join(tmpdir(), 'huzhu-test-'));
  const dynamo = await startDynamo({ port: await freePort() });
  // If anything after DynamoDB Local's start fails, stop it: a setup that throws gets no teardown call.
  let s3: Awaited<ReturnType<typeof startS3>> | undefined;
  try {
    s3 = await startS3({
      port: await freePort(),
      directory: join(dir, 's3'),
      bucket: 'huzhu-test',
      corsOrigins: ['http://localhost:5173'],
      // The app under test runs on fixed clocks: its upload forms may say when "now" is (never in `npm start`).
      clockHeader: TEST_CLOCK_HEADER,
    });
    const env = {
      [ENV.tableName]: 'huzhu-test',
      [ENV.bucketName]: 'huzhu-test',
      [ENV.rootOrgId]: 'root',
      [ENV.dynamoEndpoint]: dynamo.endpoint,
      [ENV.s3Endpoint]: s3.endpoint,
      [ENV.localSecretsDir]: dir,
      [ENV.region]: 'us-east-1',
      [LOCAL_S3_UPSTREAM_ENV]: s3.upstreamEndpoint,
    };
    const ddb = makeDynamoClient({
      tableName: env[ENV.tableName]!,
      bucketName: '',
      rootOrgId: 'root',
      region: 'local',
      dynamoEndpoint: dynamo.endpoint,
    });
    await bootstrapStore(ddb, env[ENV.tableName]!, 'root', new Date());
    ddb.destroy();
    project.provide('env', env);
  } catch (e) {
    await s3?.stop();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return async () => {
    await s3?.stop();
    await dynamo.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    env: Record<string, string>;
  }
}
