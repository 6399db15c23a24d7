/**
 * An evaluation as CSV (SPEC §4.5, like report.csv §5): UTF-8 with BOM and
 * CRLF so Excel on Chinese Windows opens it with Chinese intact, Chinese
 * headers, money in 元 with two decimals and ratios in % with one decimal (as
 * people read them; the JSON keeps fen and ‰). Names are neutralised against
 * formula injection as in the report.
 */
import { stringify } from 'csv-stringify/sync';
import type { EvaluationRow } from '../domain/evaluation';
import { ORG_KIND_ZH } from '../domain/report';
import { neutralise } from '../report/csv';

type Cell = string | number | null;

/** Integer fen → "1234.56" (exact: no float division). */
export const yuan = (fen: number): string => {
  const sign = fen < 0 ? '-' : '';
  const a = Math.abs(fen);
  return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
};

/** Permille → "% with one decimal": 805 ‰ → "80.5%". */
export const percent = (permille: number | null): string | null =>
  permille === null ? null : `${Math.floor(permille / 10)}.${permille % 10}%`;

export interface EvaluationCsvHead {
  year: number;
  checkpointId: string;
  date: string;
  status: string;
}

const STATUS_ZH: Record<string, string> = { draft: '草稿', approved: '已审定', paid: '已兑现' };

const COLUMNS: ReadonlyArray<readonly [string, (r: EvaluationRow, h: EvaluationCsvHead) => Cell]> = [
  ['年度', (_r, h) => h.year],
  ['考核节点', (_r, h) => neutralise(h.checkpointId)],
  ['考核日期', (_r, h) => h.date],
  ['状态', (_r, h) => STATUS_ZH[h.status] ?? h.status],
  ['组织编号', (r) => neutralise(r.orgId)],
  ['组织名称', (r) => neutralise(r.name)],
  ['类型', (r) => ORG_KIND_ZH[r.kind]],
  ['上级组织编号', (r) => (r.parentId === null ? null : neutralise(r.parentId))],
  ['排名', (r) => r.rank],
  ['参加人次', (r) => r.enrolled],
  ['任务数', (r) => r.target],
  ['完成率', (r) => percent(r.completionPermille)],
  ['要求完成率', (r) => percent(r.requiredCompletionPermille)],
  ['是否达标', (r) => (r.passed ? '是' : '否')],
  ['缴费合计(元)', (r) => yuan(r.contributionsFen)],
  ['奖励系数', (r) => percent(r.multiplierPermille)],
  ['奖励金额(元)', (r) => yuan(r.rewardFen)],
];

export const EVALUATION_CSV_HEADERS: readonly string[] = COLUMNS.map(([h]) => h);

export const renderEvaluationCsv = (head: EvaluationCsvHead, rows: readonly EvaluationRow[]): Buffer => {
  const total = rows.reduce((s, r) => s + r.rewardFen, 0);
  const body = rows.map((r) => COLUMNS.map(([, cell]) => cell(r, head)));
  const footer = COLUMNS.map(([h]) => (h === '组织名称' ? '奖励合计' : h === '奖励金额(元)' ? yuan(total) : null));
  return Buffer.from(stringify([EVALUATION_CSV_HEADERS, ...body, footer], { bom: true, record_delimiter: 'windows' }), 'utf8');
};
