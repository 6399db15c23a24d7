import { defaultDeps, type Deps } from '../../shared/deps';
import { isRealDate } from '../../shared/domain/dates';
import { logger } from '../../shared/http/logger';
import * as z from '../../shared/http/schemas/zod';
import type { ReportSummary } from '../../shared/report/generate';
import { runNightly } from '../../shared/report/nightly';
import { reportDateFor } from '../../shared/report/schedule';

export { reportDateFor };

/**
 * The nightly report job (SPEC §5). EventBridge Scheduler invokes it at 02:00
 * Asia/Shanghai with `{ "scheduledTime": "<aws.scheduler.scheduled-time>" }`;
 * the report date is the Shanghai day before that instant's, so a retried or
 * repeated delivery reports the same day and merely replaces it. An operator
 * may invoke it with `{ "date": "YYYY-MM-DD" }` for any date.
 * A bad event throws: it can never succeed, so after the scheduler's retries
 * it lands in the dead-letter queue, where the alarm sees it.
 */
export const NightlyEvent = z.union([
  z.object({ date: z.string().check(z.refine(isRealDate, 'must be a real date YYYY-MM-DD')) }),
  z.object({ scheduledTime: z.iso.datetime({ offset: true }) }),
]);
export type NightlyEvent = z.infer<typeof NightlyEvent>;

export const reportDateOf = (event: NightlyEvent): string => ('date' in event ? event.date : reportDateFor(event.scheduledTime));

export const makeHandler =
  (getDeps: () => Deps = defaultDeps) =>
  async (event: unknown): Promise<ReportSummary> => {
    const parsed = NightlyEvent.safeParse(event);
    if (!parsed.success) {
      // Say what was wrong with the shape, never echo the payload.
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(event)').join(', ');
      throw new TypeError(`nightlyReport: expected { scheduledTime } or { date }; invalid at ${where}`);
    }
    const date = reportDateOf(parsed.data);
    const summary = await runNightly(getDeps(), date, (m, f) => logger.warn(m, f));
    logger.info('nightly report written', {
      reportDate: summary.date,
      plans: summary.plans,
      nodes: summary.nodes,
      ms: Math.round(summary.ms),
      trigger: 'date' in parsed.data ? 'on-demand' : 'schedule',
    });
    return summary;
  };

export const handler = makeHandler();
