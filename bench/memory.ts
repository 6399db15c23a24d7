import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ENV } from '../shared/config';

export interface ChildResult {
  mode: string;
  maxRssKB: number;
  rssMB: number;
  heapUsedMB: number;
  peakHeapUsedMB: number;
  externalMB: number;
  handlerMs?: number;
  status?: number;
  accepted?: number;
  rejected?: number;
  requestBytes?: number;
  responseBytes?: number;
  error?: string;
}

const repoRoot = join(import.meta.dirname, '..');

/** The configuration startLocalStack puts on its own process, handed to a fresh child. */
const childEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN' };
  for (const name of [ENV.tableName, ENV.bucketName, ENV.rootOrgId, ENV.dynamoEndpoint, ENV.s3Endpoint, ENV.localSecretsDir, ENV.region]) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  return env;
};

/** Runs bench/enrol-once.ts in a fresh Node process (bounded by `timeoutMs`) and returns its report. */
export const runChild = (args: string[], timeoutMs: number): Promise<ChildResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join('bench', 'enrol-once.ts'), ...args], {
      cwd: repoRoot,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line) return reject(new Error(`child ${args[0]} exited (${code ?? signal}) without a result: ${err.slice(-1500)}`));
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildResult);
    });
  });
