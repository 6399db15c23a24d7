import type { Context, S3Event } from 'aws-lambda';
import { defaultDeps, type Deps } from '../../shared/deps';
import { type RunOptions, type RunOutcome, runRosterImport } from '../../shared/enrol/importRun';
import { logger } from '../../shared/http/logger';
import { rosterImportIdOf } from '../../shared/objects/keys';
import { secretsManager } from '../../shared/secretsManager';

/** Time kept back from Lambda's deadline to checkpoint and let go of the lease. */
const MARGIN_MS = 60_000;

/** The key as uploaded: AWS URL-encodes it in events (a space as '+'). Undefined if it does not decode. */
const decodeKey = (raw: string): string | undefined => {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
};

/**
 * S3 ObjectCreated → the roster import of each `imports/<importId>/roster`
 * in the event (other keys, such as the results this job writes, are skipped).
 * Asynchronous invocation: a thrown error (DynamoDB or S3 unavailable, time
 * spent) makes Lambda retry, and the retry resumes from the checkpoint; a
 * repeated event for a finished import changes nothing. While another run
 * holds the import, a delivery waits for it (up to its own deadline), so a
 * retry after a crash takes over once the dead run's lease lapses.
 */
export const makeHandler =
  // It enrols, so it reads the ID-number HMAC secret (its grants in shared/jobs.ts).
    (getDeps: () => Deps = () => defaultDeps({ secretsManager }), options: RunOptions = {}) =>
    async (event: S3Event, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<{ importId: string; outcome: RunOutcome }[]> => {
      const deps = getDeps();
      const remaining = context?.getRemainingTimeInMillis?.();
      const budget =
        remaining === undefined ? {} : { waitMs: Math.max(0, remaining - 2 * MARGIN_MS), deadline: Date.now() + remaining - MARGIN_MS };
      const out: { importId: string; outcome: RunOutcome }[] = [];
      for (const record of event.Records ?? []) {
        if (!record.eventName?.startsWith('ObjectCreated:') || record.s3?.bucket?.name !== deps.config.bucketName) continue;
        const importId = rosterImportIdOf(decodeKey(record.s3.object.key) ?? '');
        if (!importId) continue;
        out.push({ importId, outcome: await runRosterImport(deps, importId, { ...budget, ...options }) });
      }
      if (out.length === 0) logger.debug('roster import: no roster upload in the event');
      return out;
    };

export const handler = makeHandler();
