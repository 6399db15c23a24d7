import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The process-wide structured logger (JSON, one object a line). Rule: log ids
 * (org, plan, enrolment, claim, request) and counts — never ID numbers, names,
 * phones or presigned URLs.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'huzhu',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? (process.env.VITEST ? 'SILENT' : 'INFO'),
});
