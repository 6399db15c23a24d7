/**
 * report.csv (SPEC §5): one row per (plan, node), Chinese headers, UTF-8 with
 * BOM and CRLF so Excel on Chinese Windows opens it with Chinese intact.
 * Each row starts with the report date and its plan's fund figures (repeated
 * on every row), so a filtered or pivoted sheet still shows which plan and
 * fund a row belongs to. Figures are as people read them: money in 元 with
 * two decimals, ratios in % with one decimal (./figures.ts, exact); the JSON
 * keeps fen and ‰. The fund columns are the whole plan's and the rank is
 * among all units of the plan, also in an office's cut: their headers say so
 * (全方案…, 全市排名), so an office never reads them as its own.
 */
import { stringify } from 'csv-stringify/sync';
import { ORG_KIND_ZH, type Report, type ReportNode, type ReportPlanSection } from '../domain/report';
import { percent, yuan } from './figures';

type Cell = string | number | null;

/**
 * Org and plan names are user input: a cell Excel would read as a formula
 * (leading = + - @, or tab/CR which some parsers strip first) gets a leading
 * apostrophe. The full-width forms are neutralised too, defensively.
 * Only text cells pass through here; numbers are ours and may be negative.
 */
export const neutralise = (s: string): string => (/^[=+\-@\t\r＝＋－＠]/.test(s) ? `'${s}` : s);

const pct = (permille: number | null): Cell => (permille === null ? null : percent(permille));

const yesNo = (b: boolean | null): Cell => (b === null ? null : b ? '是' : '否');

/** A node's own rewards paid (shared/domain/rewards.ts), null in a report stored before rewards were reported. */
type Rewards = ReadonlyMap<string, number> | null;

const COLUMNS: ReadonlyArray<readonly [string, (p: ReportPlanSection, n: ReportNode, date: string, rewards: Rewards) => Cell]> = [
  ['报表日期', (_p, _n, date) => date],
  ['方案编号', (p) => neutralise(p.planId)],
  ['方案名称', (p) => neutralise(p.name)],
  // The fund is shared: these are the whole plan's figures on every row, in a cut too.
  ['全方案缴费合计(元)', (p) => yuan(p.contributionsFen)],
  ['全方案核准互助金(元)', (p) => yuan(p.benefitsApprovedFen)],
  ['全方案基金结余(元)', (p) => yuan(p.poolFen)],
  ['全方案赔付率(%)', (p) => pct(p.lossRatioPermille)],
  ['全方案预计全期赔付率(%)', (p) => pct(p.projectedLossRatioPermille)],
  ['全方案基金预警', (p) => yesNo(p.alert)],
  ['组织编号', (_p, n) => neutralise(n.orgId)],
  ['组织名称', (_p, n) => neutralise(n.name)],
  ['类型', (_p, n) => ORG_KIND_ZH[n.kind]],
  ['上级组织编号', (_p, n) => (n.parentId === null ? null : neutralise(n.parentId))],
  // Units are ranked among all units of the plan, kept as they are in a cut.
  ['全市排名(所有基层工会中)', (_p, n) => n.rank ?? null],
  ['参加人数', (_p, n) => n.enrolled],
  ['任务数', (_p, n) => n.target],
  ['完成率(%)', (_p, n) => pct(n.completionPermille)],
  ['时间进度(%)', (_p, n) => pct(n.timeElapsedPermille)],
  ['是否达到时间进度', (_p, n) => yesNo(n.onTrack)],
  ['职工总数', (_p, n) => n.headcount],
  ['参与率(%)', (_p, n) => pct(n.participationPermille)],
  ['缴费合计(元)', (_p, n) => yuan(n.contributionsFen)],
  ['行政缴费(元)', (_p, n) => yuan(n.contributionsAdministrationFen)],
  ['工会缴费(元)', (_p, n) => yuan(n.contributionsUnionFen)],
  ['职工缴费(元)', (_p, n) => yuan(n.contributionsWorkerFen)],
  // A unit says whether it is below the plan's minimum; a higher node counts such units.
  [
    '低于最低参与率(单位:是否/上级:单位数)',
    (_p, n) => (typeof n.belowMinParticipation === 'boolean' ? yesNo(n.belowMinParticipation) : n.belowMinParticipation),
  ],
  ['已提交申请(件)', (_p, n) => n.claimsSubmitted],
  ['已核准(件)', (_p, n) => n.claimsApproved],
  ['已支付(件)', (_p, n) => n.claimsPaid],
  ['已拒绝(件)', (_p, n) => n.claimsRejected],
  ['核准互助金(元)', (_p, n) => yuan(n.benefitsApprovedFen)],
  ['已支付互助金(元)', (_p, n) => yuan(n.benefitsPaidFen)],
  ['赔付率(%)', (_p, n) => pct(n.lossRatioPermille)],
  ['超30天未决(件)', (_p, n) => n.overdueClaims],
  ['平均支付天数', (_p, n) => n.avgDaysToPay],
  // Per node, not per plan (an evaluation sums its plans): repeated on each plan's row of the node, like the fund figures.
  ['本年已兑现奖励(元,本组织,不分方案)', (_p, n, _d, rewards) => (rewards === null ? null : yuan(rewards.get(n.orgId) ?? 0))],
];

export const REPORT_CSV_HEADERS: readonly string[] = COLUMNS.map(([h]) => h);

export const renderReportCsv = (report: Report): Buffer => {
  const rewards: Rewards = report.rewards ? new Map(report.rewards.nodes.map((r) => [r.orgId, r.rewardsPaidFen])) : null;
  const rows = report.plans.flatMap((p) => p.nodes.map((n) => COLUMNS.map(([, cell]) => cell(p, n, report.date, rewards))));
  // null/undefined become empty cells in csv-stringify.
  const text = stringify([REPORT_CSV_HEADERS, ...rows], { bom: true, record_delimiter: 'windows' });
  return Buffer.from(text, 'utf8');
};
