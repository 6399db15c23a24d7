/**
 * Runs the nightly report (SPEC §5) for one date: reads the org tree, the
 * year's targets, the plans and, per plan covering the date, its exact
 * counters as of the end of the date (../store/counters.ts: the latest
 * snapshot plus the day buckets after it) — nothing that grows with members
 * or claims — then builds the report and stores report.json / .csv / .html
 * under reports/<date>/<root>/ plus the date's index item. Once the date is
 * closed it also stores the counters' snapshot of that date, so the next
 * night reads one day of buckets. A re-run replaces the report with the same
 * figures (only generatedAt and asOf differ); a locked report (an evaluation
 * was computed from it) is not re-run: ReportLocked.
 */
import type { Readable } from 'node:stream';
import type { Deps } from '../deps';
import { compareDates } from '../domain/dates';
import { buildReport, type Report, type ReportPlan, type UnitPlanCounters } from '../domain/report';
import { countedEvaluations, type PaidEvaluation, rewardsPaid } from '../domain/rewards';
import { readRows } from '../evaluation/evaluate';
import type { EvaluationRecord } from '../store/evaluations';
import { objectKeys } from '../objects/keys';
import { getObjectStream, putObject } from '../objects/inspect';
import { dayIsClosed, readPlanCountersAsOf, toUnitPlanCounters, writePlanSnapshot } from '../store/counters';
import { ReportLocked } from '../store/errors';
import { queryAll } from '../store/items';
import { keys } from '../store/keys';
import type { ReportFiles } from '../store/reports';
import { renderReportCsv } from './csv';
import { withNotes } from './notes';
import { type CutOf, renderReportHtml } from './html';
import { s3Of } from '../objects/client';

/**
 * What report.json holds: the §5 shape plus a word on what `asOf` means and, per plan, the
 * projection hint (./notes.ts), stored in Chinese; GET /reports/{date} renders them again in the
 * reader's language.
 */
export type StoredReport = Report & { asOfNote: string };

export const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
} as const;

export interface Progress {
  /** Steps done so far and in all (the total grows once the plans are known). */
  done: number;
  total: number;
  step: string;
}

export interface ReportSummary {
  date: string;
  generatedAt: string;
  plans: number;
  nodes: number;
  files: ReportFiles;
  ms: number;
  /** DynamoDB Queries and items the counters took (bounded by nodes × days since the last snapshot). */
  counterReads: { calls: number; items: number };
  /** Plans whose snapshot of the date this run stored. */
  snapshots: number;
}

/** Every plan, from the plan list's one partition (a handful per year), as the report needs them. */
export const plansCovering = async (deps: Deps, date: string): Promise<ReportPlan[]> => {
  const items = await queryAll(deps.store, { index: 'gsi1', partition: keys.planList });
  return items
    .map(
      (i): ReportPlan => ({
        id: String(i.id),
        name: String(i.name),
        coverageStart: String(i.coverageStart),
        coverageEnd: String(i.coverageEnd),
        // Absent (optional in SPEC §4.2): the plan reads 0 and no unit is below it.
        ...(typeof i.minUnitParticipationPermille === 'number' ? { minUnitParticipationPermille: i.minUnitParticipationPermille } : {}),
      }),
    )
    .filter((p) => compareDates(p.coverageStart, date) <= 0 && compareDates(date, p.coverageEnd) <= 0);
};

export const reportTitle = (date: string, orgName: string) => `职工医疗互助任务进度日报 ${date} · ${orgName}`;

/**
 * The evaluations paid out in date's year up to date (SPEC §4.5 兑现), with their rows: those of
 * date's year and the year before (a year-end evaluation is often paid in January). A handful of
 * items and one small S3 object per paid evaluation, whatever the number of members.
 */
export const paidEvaluations = async (deps: Deps, date: string): Promise<PaidEvaluation[]> => {
  const year = Number(date.slice(0, 4));
  const records: EvaluationRecord[] = [];
  for (const y of [year - 1, year]) {
    let cursor: string | undefined;
    do {
      const page = await deps.evaluations.list(y, 100, cursor);
      records.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  const paid = records.filter((e) => e.status === 'paid' && e.paidDate !== undefined);
  const counted = countedEvaluations(
    paid.map((e) => ({ evaluationId: e.evaluationId, paidDate: e.paidDate!, rows: [] })),
    date,
  );
  return Promise.all(
    counted.map(async (c) => {
      const e = paid.find((x) => x.evaluationId === c.evaluationId)!;
      return { ...c, rows: (await readRows(deps, e.rowsKey)).map((r) => ({ orgId: r.orgId, rewardFen: r.rewardFen })) };
    }),
  );
};

/** The three files of a report (whole tree or a cut), rendered and stored under its org's prefix. */
export const writeReportFiles = async (
  deps: Deps,
  report: StoredReport,
  orgId: string,
  page: { title?: string; cut?: CutOf } = {},
): Promise<ReportFiles> => {
  const files: ReportFiles = {
    json: objectKeys.report(report.date, orgId, 'json'),
    csv: objectKeys.report(report.date, orgId, 'csv'),
    html: objectKeys.report(report.date, orgId, 'html'),
  };
  const bucket = deps.config.bucketName;
  await Promise.all([
    putObject(s3Of(deps), bucket, files.json, JSON.stringify(report), CONTENT_TYPES.json),
    putObject(s3Of(deps), bucket, files.csv, renderReportCsv(report), CONTENT_TYPES.csv),
    putObject(s3Of(deps), bucket, files.html, renderReportHtml(report, page), CONTENT_TYPES.html),
  ]);
  return files;
};

export const readStoredReport = async (deps: Deps, key: string): Promise<StoredReport> => {
  const chunks: Buffer[] = [];
  for await (const c of (await getObjectStream(s3Of(deps), deps.config.bucketName, key)) as Readable) chunks.push(Buffer.from(c));
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StoredReport;
};

export const generateReport = async (deps: Deps, date: string, onProgress?: (p: Progress) => void): Promise<ReportSummary> => {
  const t0 = performance.now();
  // asOf: when the counters were read. The figures are those of the end of `date` whenever that is.
  const asOf = deps.clock.now().toISOString();
  const rootId = deps.config.rootOrgId;
  // Refused before any work; putIndex checks again (a lock taken meanwhile), see ../store/reports.ts.
  if ((await deps.reports.getIndex(date, true))?.locked) throw new ReportLocked(date);
  let done = 0;
  let total = 4; // org tree, targets, plans, rewards paid; then one per plan, the roll-up, the files
  const step = (name: string) => onProgress?.({ done: ++done, total, step: name });

  const stepped = async <T>(name: string, read: Promise<T>): Promise<T> => {
    const v = await read;
    step(name);
    return v;
  };
  const [orgs, targets, plans, paid] = await Promise.all([
    stepped('org tree', deps.orgs.subtree([rootId])),
    stepped('targets', deps.targets.ofYear(Number(date.slice(0, 4)))),
    stepped('plans', plansCovering(deps, date)),
    stepped('rewards paid', paidEvaluations(deps, date)),
  ]);
  total += plans.length + 2;
  onProgress?.({ done, total, step: 'plans' });

  const counters = new Map<string, Map<string, UnitPlanCounters>>();
  const counterReads = { calls: 0, items: 0 };
  let snapshots = 0;
  const closed = dayIsClosed(date, deps.clock.now());
  // A few Queries per plan over the whole tree; plans are few, so one after the other keeps the load even.
  for (const p of plans) {
    const asOfDate = await readPlanCountersAsOf(deps.store, p.id, date, counterReads);
    counters.set(p.id, new Map([...asOfDate.sums].map(([unit, sum]) => [unit, toUnitPlanCounters(sum)])));
    // The date's buckets are final: keep the sum, so later dates start from here.
    if (closed && asOfDate.base !== date) {
      await writePlanSnapshot(deps.store, p.id, date, asOfDate, deps.clock.now().toISOString());
      snapshots++;
    }
    step(`counters ${p.id}`);
  }

  const generatedAt = deps.clock.now().toISOString();
  const built = buildReport({
    date,
    generatedAt,
    asOf,
    orgs: orgs.map((o) => ({ id: o.id, name: o.name, kind: o.kind, parentId: o.parentId, path: o.path, headcount: o.headcount })),
    targets: new Map(targets.map((t) => [t.orgId, t.enrolmentTarget])),
    plans,
    counters,
  });
  const report: StoredReport = withNotes(
    {
      date,
      generatedAt,
      asOf,
      plans: built.plans,
      rewards: rewardsPaid(orgs, paid, date),
    },
    'zh',
  );
  step('roll-up');

  // Files first, index last: a reader that finds the new index also finds the new files.
  // The root's own name (configuration, SPEC §4.1) heads the whole tree's page.
  const rootName = orgs.find((o) => o.id === rootId)?.name;
  const files = await writeReportFiles(deps, report, rootId, rootName ? { title: reportTitle(date, rootName) } : {});
  const nodes = report.plans[0]?.nodes.length ?? orgs.length;
  await deps.reports.putIndex({
    date,
    generatedAt: report.generatedAt,
    asOf: report.asOf,
    rootOrgId: rootId,
    planIds: report.plans.map((p) => p.planId),
    nodes,
    files,
  });
  step('files');
  return {
    date,
    generatedAt: report.generatedAt,
    plans: report.plans.length,
    nodes,
    files,
    ms: performance.now() - t0,
    counterReads,
    snapshots,
  };
};
