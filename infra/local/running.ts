/**
 * How the local command-line tools (report, reconcile) reach the stack that
 * `npm start` is running: it leaves .local/running.json while up. The tools
 * set the same environment the handlers read (shared/config.ts ENV), so they
 * run the very code the functions run against the very same emulators.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENV } from '../../shared/config';
import { localDir } from './paths';

/** Where a local tool finds s3rver behind the S3 front (set by the local stack, from running.json, and by the test setup). */
export const LOCAL_S3_UPSTREAM_ENV = 'HUZHU_LOCAL_S3_UPSTREAM';

export interface RunningStack {
  url: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** s3rver behind the S3 front (the seed posts its past-dated receipt forms through a front of its own over it). */
  s3UpstreamEndpoint?: string;
  tableName: string;
  bucketName: string;
  rootOrgId: string;
  pid: number;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** The running stack, or a one-line reason why there is none. */
export const findRunningStack = (dir = localDir().base): RunningStack | string => {
  const file = join(dir, 'running.json');
  if (!existsSync(file)) return 'the local stack is not running (start it with `npm start`)';
  let s: RunningStack;
  try {
    s = JSON.parse(readFileSync(file, 'utf8')) as RunningStack;
  } catch {
    return `${file} is unreadable; restart the local stack with \`npm start\``;
  }
  if (!Number.isInteger(s.pid) || !alive(s.pid)) return `the local stack (pid ${s.pid}) is gone; start it with \`npm start\``;
  return s;
};

/** Points this process's configuration at the running stack, as stack.ts does for its own handlers. */
export const useRunningStack = (s: RunningStack, dir = localDir().base) => {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  Object.assign(process.env, {
    [ENV.tableName]: s.tableName,
    [ENV.bucketName]: s.bucketName,
    [ENV.rootOrgId]: s.rootOrgId,
    [ENV.dynamoEndpoint]: s.dynamoEndpoint,
    [ENV.s3Endpoint]: s.s3Endpoint,
    [ENV.localSecretsDir]: dir,
    [ENV.region]: process.env[ENV.region] ?? 'us-east-1',
    ...(s.s3UpstreamEndpoint ? { [LOCAL_S3_UPSTREAM_ENV]: s.s3UpstreamEndpoint } : {}),
  });
};
