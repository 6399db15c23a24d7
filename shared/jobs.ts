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
} as const satisfies Record<string, JobDef>;

export type JobName = keyof typeof jobs;
export const jobEntries = Object.entries(jobs) as [JobName, JobDef][];
