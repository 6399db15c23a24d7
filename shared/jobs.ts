import type { RoutePermissions } from './http/route';

/**
 * Functions that are not routes of the table: invoked by API Gateway's
 * `$default` route, by CloudFormation, by a schedule or by S3 events. Like
 * routes, each is `functions/<key>/handler.ts` and gets exactly these grants.
 */
export interface JobDef {
  summary: string;
  permissions: RoutePermissions;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export const jobs = {
  /** `$default`: 404 / 405 problem+json for everything no route matched. */
  notFound: { summary: 'Catch-all route: 404 or 405 problem+json', permissions: {} },
  /** CloudFormation custom resource: the root org exists from the start (SPEC §4.1). */
  ensureRoot: { summary: 'Creates the root org at deploy time (idempotent)', permissions: { table: 'readwrite' }, timeoutSeconds: 60 },
  /**
   * EventBridge Scheduler, 02:00 Asia/Shanghai, input `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`
   * (or `{ "date": "YYYY-MM-DD" }` on demand): writes reports/<date>/<root>/report.{json,csv,html} and the
   * date's index item. Reads counters, org tree, targets, plans and the year's paid evaluations (Query/GetItem, their
   * rows in S3); re-runs replace.
   */
  nightlyReport: {
    summary: 'Nightly quota report (SPEC §5) for the day before the scheduled time, or a given date',
    // evaluations/: the rows of paid evaluations, for the rewards paid per node (shared/domain/rewards.ts).
    permissions: { table: 'readwrite', bucket: { read: ['evaluations/'], write: ['reports/'] } },
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
  /**
   * S3 ObjectCreated on `imports/<importId>/roster` (prefix `imports/`, suffix `/roster`), asynchronous
   * invocation: runs the roster import (SPEC §4.3 "Large rosters"), resumable from its checkpoint.
   * Locally s3rver's object-created events reach the same handler (infra/local/imports.ts).
   */
  rosterImport: {
    summary: 'Roster import: reads the uploaded roster in batches through the enrolment pipeline, writes per-row results',
    permissions: { table: 'readwrite', bucket: { read: ['imports/'], write: ['imports/'] }, pii: { seal: true, hmac: true } },
    memoryMb: 1024,
    timeoutSeconds: 900,
  },
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof jobs;
export const jobEntries = Object.entries(jobs) as [JobName, JobDef][];
