/**
 * A stored report cut to one org's subtree (SPEC §5: GET /reports/{date}
 * answers, and links to files holding, that subtree only). A cut is made
 * from the stored report.json on first request, its three files written
 * under reports/<date>/<org>/, and reused until the date is re-run: the cut's
 * marker records the generatedAt of the report it came from.
 */
import { cutReport } from '../domain/report';
import type { Deps } from '../deps';
import { ObjectNotFound } from '../objects/inspect';
import type { ReportFiles, ReportIndexRecord } from '../store/reports';
import { readStoredReport, reportTitle, type StoredReport, writeReportFiles } from './generate';

export interface Cut {
  report: StoredReport;
  files: ReportFiles;
  /** Whether this call wrote the files (false: reused). */
  written: boolean;
}

/** Read the stored cut if it is of the current report; undefined when absent, stale or its file vanished. */
const storedCut = async (deps: Deps, index: ReportIndexRecord, orgId: string): Promise<Cut | undefined> => {
  const marker = await deps.reports.getCut(index.date, orgId);
  if (!marker || marker.generatedAt !== index.generatedAt) return undefined;
  try {
    const report = await readStoredReport(deps, marker.files.json);
    return report.generatedAt === index.generatedAt ? { report, files: marker.files, written: false } : undefined;
  } catch (e) {
    if (e instanceof ObjectNotFound) return undefined;
    throw e;
  }
};

export const reportCut = async (deps: Deps, index: ReportIndexRecord, orgId: string): Promise<Cut> => {
  // The whole tree is the stored report itself.
  if (orgId === index.rootOrgId) return { report: await readStoredReport(deps, index.files.json), files: index.files, written: false };
  const reused = await storedCut(deps, index, orgId);
  if (reused) return reused;
  const full = await readStoredReport(deps, index.files.json);
  const report = cutReport(full, orgId) as StoredReport;
  const top = report.plans.find((p) => p.nodes.length > 0)?.nodes[0];
  // SPEC §5: the cut's page says which figures are the whole plan's and that ranks are federation-wide.
  const root = full.plans.find((p) => p.nodes.length > 0)?.nodes.find((n) => n.parentId === null);
  const files = await writeReportFiles(
    deps,
    report,
    orgId,
    top ? { title: reportTitle(report.date, top.name), cut: { orgName: top.name, rootName: root?.name ?? '全市' } } : {},
  );
  // Marked with the generatedAt of the report actually read: if a re-run landed in between, the next request cuts again.
  await deps.reports.putCut({ date: index.date, orgId, generatedAt: full.generatedAt, files });
  return { report, files, written: true };
};
