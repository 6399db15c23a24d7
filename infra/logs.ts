import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** Logs are part of the audit trail (SPEC §1: every step recorded). */
export const LOG_RETENTION = RetentionDays.ONE_YEAR;
