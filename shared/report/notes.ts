/**
 * The report's prose (SPEC §5): the note on what `asOf` means and, per plan, the hint that the
 * projection rests on too little data (../domain/report.ts projectionBasis) — from the message
 * catalogue, never hard-coded English. report.json is stored with the Chinese text; GET
 * /reports/{date} renders both again in the reader's language (Accept-Language), so a report
 * stored before this existed (English note, no hint) answers in Chinese too.
 */
import { PROJECTION_MIN_APPROVED_CLAIMS, PROJECTION_MIN_DAYS, type Report, type ReportPlanSection } from '../domain/report';
import { type Lang, msg, render } from '../messages/catalogue';

export type NotedPlan = ReportPlanSection & {
  /** Set when the plan has a projection that rests on too little data; null otherwise. */
  projectionNote: string | null;
};

export const asOfNote = (lang: Lang): string => render(msg('REPORT.asOfNote'), lang);

/** The hint for one plan, or null when its projection is absent or rests on enough data. */
export const projectionNote = (plan: ReportPlanSection, lang: Lang): string | null => {
  const b = plan.projectionBasis;
  if (plan.projectedLossRatioPermille === null || !b || b.sufficient) return null;
  return render(
    msg('REPORT.projectionThin', {
      approvedClaims: b.approvedClaims,
      elapsedDays: b.elapsedDays,
      minClaims: PROJECTION_MIN_APPROVED_CLAIMS,
      minDays: PROJECTION_MIN_DAYS,
    }),
    lang,
  );
};

/** The report with its notes in `lang` (replacing any stored ones). */
export const withNotes = <R extends Report>(report: R, lang: Lang): Omit<R, 'plans'> & { asOfNote: string; plans: NotedPlan[] } => ({
  ...report,
  asOfNote: asOfNote(lang),
  plans: report.plans.map((p) => ({ ...p, projectionNote: projectionNote(p, lang) })),
});
