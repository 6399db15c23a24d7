import type { Deps } from '../deps';
import { settleBeforeReport } from '../payments/settle';
import { generateReport, type ReportSummary } from './generate';
import { nightlyReconcile } from './reconcileRun';

/**
 * The nightly job's steps, in the order SPEC §4.4 and §5 need them, shared by
 * the AWS function and the local stack's timer:
 * 1. stuck payment batches rolled forward or back (no report may count part
 *    of a batch; a batch that cannot be settled fails the run);
 * 2. the reconciliation, repairing counters with an audited correction;
 * 3. the report for `date`.
 */
export const runNightly = async (
  deps: Deps,
  date: string,
  log: (message: string, fields: Record<string, unknown>) => void,
): Promise<ReportSummary> => {
  await settleBeforeReport(deps);
  await nightlyReconcile(deps, date, log);
  return generateReport(deps, date);
};
