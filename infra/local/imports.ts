import type { S3Event } from 'aws-lambda';
import { makeHandler } from '../../functions/rosterImport/handler';
import type { Deps } from '../../shared/deps';
import { asInvocation } from './invocation';

export { asInvocation };

/** Set to `off` to keep uploads from starting imports in this process (the benchmark runs the job in a child to measure it). */
export const LOCAL_IMPORTS_ENV = 'HUZHU_LOCAL_IMPORTS';

/**
 * The local stand-in for S3 → Lambda: pass as startS3's `onObjectCreated`.
 * Every object-created event goes to the import job's handler module in this
 * process, as AWS would invoke it (no Lambda context: a delivery waits up to
 * a minute for a run that holds the import). Errors surface through startS3,
 * which reports them without failing the upload.
 */
export const deliverRosterUploads = (getDeps?: () => Deps) => {
  const run = makeHandler(getDeps, { waitMs: 60_000 });
  return async (event: S3Event): Promise<void> => {
    if (process.env[LOCAL_IMPORTS_ENV] === 'off') return;
    await asInvocation(() => run(event));
  };
};
