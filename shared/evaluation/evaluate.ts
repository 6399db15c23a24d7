/**
 * Evaluations (SPEC §4.5) between the pure rules (domain/evaluation.ts), the
 * store (store/evaluations.ts) and S3: computing a draft from the stored
 * report of the checkpoint's date, and answering an evaluation cut to an
 * org's subtree with a presigned CSV of that cut.
 */
import type { Readable } from 'node:stream';
import type { Deps } from '../deps';
import { cutRows, type EvaluationRow, evaluationRows, totalReward } from '../domain/evaluation';
import { s3Of } from '../objects/client';
import { getObjectStream, putObject } from '../objects/inspect';
import { objectKeys } from '../objects/keys';
import { presignDownload } from '../objects/presign';
import type { StoredReport } from '../report/generate';
import type { EvaluationRecord } from '../store/evaluations';
import { renderEvaluationCsv } from './csv';

const LINK_SECONDS = 300;

/** The rows of a report for the rules, and the file they are kept in (written before the evaluation's item). */
export const rowsFromReport = (report: Pick<StoredReport, 'plans'>, rules: Parameters<typeof evaluationRows>[1], required: number) =>
  evaluationRows(report.plans, rules, { requiredCompletionPermille: required });

export const writeRows = async (deps: Deps, evaluationId: string, rows: readonly EvaluationRow[]): Promise<string> => {
  const key = objectKeys.evaluationRows(evaluationId);
  await putObject(s3Of(deps), deps.config.bucketName, key, JSON.stringify(rows), 'application/json; charset=utf-8');
  return key;
};

export const readRows = async (deps: Deps, key: string): Promise<EvaluationRow[]> => {
  const chunks: Buffer[] = [];
  for await (const c of (await getObjectStream(s3Of(deps), deps.config.bucketName, key)) as Readable) chunks.push(Buffer.from(c));
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as EvaluationRow[];
};

/** An evaluation as answered: cut to `orgId`'s subtree, its total the cut's, a CSV of the cut written and linked. */
export const evaluationView = async (deps: Deps, e: EvaluationRecord, orgId: string, rows?: readonly EvaluationRow[]) => {
  const all = rows ?? (await readRows(deps, e.rowsKey));
  const cut = cutRows(all, orgId, deps.config.rootOrgId);
  // Rewritten on each read: rows never change, but the status printed in the file does.
  const key = objectKeys.evaluationCsv(e.evaluationId, orgId);
  await putObject(s3Of(deps), deps.config.bucketName, key, renderEvaluationCsv(e, cut), 'text/csv; charset=utf-8');
  const csv = await presignDownload(s3Of(deps), deps.config.bucketName, key, {
    expiresSeconds: LINK_SECONDS,
    fileName: `huzhu-evaluation-${e.year}-${e.checkpointId}-${orgId}.csv`,
    contentType: 'text/csv; charset=utf-8',
    disposition: 'attachment',
  });
  const { rowsKey: _k, reportGeneratedAt: _g, totalRewardFen: _t, ...shown } = e;
  return { ...shown, orgId, totalRewardFen: totalReward(cut), links: { csv }, rows: cut };
};
