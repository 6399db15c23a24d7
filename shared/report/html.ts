/**
 * report.html (SPEC §5): one self-contained zh-CN page — inline CSS, inline
 * SVG, no script, no external resource — so it opens from S3, an e-mail or a
 * phone's downloads as it is. Everything from the report is escaped: org and
 * plan names are user input. Figures are shown for people: yuan instead of
 * fen, percent with one decimal instead of permille, both by integer
 * arithmetic (no float can print 0.1 fen or 33.299999%).
 */
import { ORG_KIND_ZH, type Report, type ReportNode, type ReportPlanSection } from '../domain/report';
import { grouped, percent, yuanGrouped } from './figures';
import type { RewardsPaid } from '../domain/rewards';
import { asOfNote, projectionNote } from './notes';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * The page is a file in S3 opened straight from a presigned link, so no response header can protect it:
 * its own policy allows its inline style sheet and inline SVG, and nothing else (no script, no fetch,
 * no form, no outside image, no base).
 */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const int = grouped;
const yuan = yuanGrouped;
const pct = (permille: number | null) => (permille === null ? '—' : `${percent(permille)}%`);
const orDash = (n: number | null) => (n === null ? '—' : int(n));

/** ISO instant → Beijing time, for readers in Shanghai; left as given if unparsable. */
const beijing = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}（北京时间）`;
};

/** Depth under the first node of the section (the root, or the cut's top). */
const depths = (nodes: ReportNode[]): Map<string, number> => {
  const d = new Map<string, number>();
  for (const n of nodes) d.set(n.orgId, n.parentId === null ? 0 : (d.get(n.parentId) ?? -1) + 1);
  return d;
};

const status = (n: ReportNode) => (n.onTrack === null ? 'none' : n.onTrack ? 'on' : 'behind');

/** Bars run from 0 to 150 % completion; anything above is drawn at the cap (its label says the real figure). */
const CAP = 1500;
const ROW = 34;
const HEAD = 22;
const x = (permille: number) => `${((Math.min(Math.max(permille, 0), CAP) * 100) / CAP).toFixed(2)}%`;

/** The share of the chart width the name may use; the figure is right-aligned in the rest, so it is never cut off. */
const NAME_WIDTH = '78%';

const chart = (plan: ReportPlanSection, depth: Map<string, number>, elapsed: number): string => {
  const h = HEAD + plan.nodes.length * ROW;
  const bars: string[] = [];
  const labels: string[] = [];
  plan.nodes.forEach((n, i) => {
    const top = HEAD + i * ROW;
    const value = n.completionPermille === null ? '无任务数' : pct(n.completionPermille);
    bars.push(
      `<rect class="track" x="0" y="${top + 16}" width="100%" height="12" rx="2"/>` +
        `<rect class="bar ${status(n)}" x="0" y="${top + 16}" width="${x(n.completionPermille ?? 0)}" height="12" rx="2"><title>${escapeHtml(n.name)}：${value}</title></rect>`,
    );
    // A nested svg clips a long name at its width instead of letting it run into the figure.
    labels.push(
      `<svg x="0" y="${top}" width="${NAME_WIDTH}" height="16"><text class="lbl" x="${(depth.get(n.orgId) ?? 0) * 12}" y="12">${escapeHtml(n.name)}</text></svg>` +
        `<text class="val" x="100%" y="${top + 12}" text-anchor="end">${value}</text>`,
    );
  });
  const ticks = [0, 500, 1000, 1500]
    .map(
      (t, i, all) =>
        `<text class="tick" x="${x(t)}" y="12" text-anchor="${i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle'}">${t / 10}%</text>`,
    )
    .join('');
  const vline = (cls: string, p: number) => `<line class="${cls}" x1="${x(p)}" x2="${x(p)}" y1="${HEAD - 4}" y2="${h}"/>`;
  // Lines over the bars, labels over the lines (with a white halo), so every figure stays legible.
  return (
    `<svg class="chart" width="100%" height="${h}" role="img" aria-label="${escapeHtml(`${plan.name}：各组织完成率与时间进度`)}">` +
    `${ticks}${bars.join('')}${vline('full', 1000)}${vline('elapsed', elapsed)}${labels.join('')}</svg>`
  );
};

const legend = (elapsed: number) =>
  '<p class="legend"><span><i class="sw on"></i>达到时间进度</span><span><i class="sw behind"></i>未达到</span><span><i class="sw none"></i>无任务数</span>' +
  `<span><i class="ln elapsed"></i>时间进度 ${pct(elapsed)}</span><span><i class="ln full"></i>完成任务 100%</span><span>条形最长显示到 150%</span></p>`;

const listItems = (nodes: ReportNode[]) =>
  nodes.length === 0
    ? '<p class="empty">无</p>'
    : `<ol>${nodes
        .map(
          (n) =>
            `<li>${escapeHtml(n.name)}${n.kind === 'unit' ? '' : `<small>（${ORG_KIND_ZH[n.kind]}）</small>`} <b>${pct(n.completionPermille)}</b></li>`,
        )
        .join('')}</ol>`;

const lists = (plan: ReportPlanSection) => {
  const on = plan.nodes.filter((n) => n.onTrack === true).sort((a, b) => b.completionPermille! - a.completionPermille!);
  // Furthest behind first: they are the ones to call.
  const behind = plan.nodes.filter((n) => n.onTrack === false).sort((a, b) => a.completionPermille! - b.completionPermille!);
  const none = plan.nodes.filter((n) => n.onTrack === null).length;
  return (
    `<div class="lists"><div><h3>达到时间进度的单位（${on.length}）</h3>${listItems(on)}</div>` +
    `<div><h3>未达到时间进度的单位（${behind.length}）</h3>${listItems(behind)}</div></div>` +
    (none > 0 ? `<p class="note">另有 ${none} 个组织未设任务数，不参加比较。</p>` : '')
  );
};

const COLS = [
  '组织',
  '类型',
  '全市排名',
  '参加人数',
  '任务数',
  '完成率',
  '达到时间进度',
  '职工总数',
  '参与率',
  '低于最低参与率',
  '缴费合计(元)',
  '行政(元)',
  '工会(元)',
  '职工(元)',
  '申请',
  '核准',
  '支付',
  '拒绝',
  '核准互助金(元)',
  '已支付(元)',
  '赔付率',
  '超30天未决',
  '平均支付天数',
];

const row = (n: ReportNode, depth: number) => {
  const below = typeof n.belowMinParticipation === 'boolean' ? (n.belowMinParticipation ? '是' : '否') : int(n.belowMinParticipation);
  const cells = [
    ORG_KIND_ZH[n.kind],
    n.rank === undefined ? '—' : String(n.rank),
    int(n.enrolled),
    orDash(n.target),
    pct(n.completionPermille),
    n.onTrack === null ? '—' : n.onTrack ? '是' : '否',
    orDash(n.headcount),
    pct(n.participationPermille),
    below,
    yuan(n.contributionsFen),
    yuan(n.contributionsAdministrationFen),
    yuan(n.contributionsUnionFen),
    yuan(n.contributionsWorkerFen),
    int(n.claimsSubmitted),
    int(n.claimsApproved),
    int(n.claimsPaid),
    int(n.claimsRejected),
    yuan(n.benefitsApprovedFen),
    yuan(n.benefitsPaidFen),
    pct(n.lossRatioPermille),
    int(n.overdueClaims),
    n.avgDaysToPay === null ? '—' : n.avgDaysToPay.toFixed(1),
  ];
  return `<tr class="${status(n)}"><th scope="row" style="--d:${depth}">${escapeHtml(n.name)}</th>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
};

const fund = (p: ReportPlanSection, cut: boolean) => {
  const items: Array<[string, string]> = [
    ['缴费合计', `${yuan(p.contributionsFen)} 元`],
    ['核准互助金', `${yuan(p.benefitsApprovedFen)} 元`],
    ['基金结余', `${yuan(p.poolFen)} 元`],
    ['赔付率', pct(p.lossRatioPermille)],
    ['预计全期赔付率', pct(p.projectedLossRatioPermille)],
  ];
  return `<h3>方案基金（${cut ? '整个方案的数据，不是本组织的' : '全方案合计'}）</h3><dl class="fund">${items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`;
};

const section = (plan: ReportPlanSection, cut: boolean) => {
  const depth = depths(plan.nodes);
  const elapsed = plan.nodes[0]?.timeElapsedPermille ?? 0;
  const alert = plan.alert
    ? `<p class="alert" role="alert"><b>基金预警</b>：预计全期赔付率 ${pct(plan.projectedLossRatioPermille)}，超过 100%，基金有透支风险。</p>`
    : '';
  const body =
    plan.nodes.length === 0
      ? '<p class="empty">没有组织数据。</p>'
      : `<h3>任务完成进度</h3>${chart(plan, depth, elapsed)}${legend(elapsed)}${lists(plan)}` +
        `<h3>明细</h3><div class="scroll"><table><thead><tr>${COLS.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>` +
        `<tbody>${plan.nodes.map((n) => row(n, depth.get(n.orgId) ?? 0)).join('')}</tbody></table></div>`;
  // The projection's honest hint (SPEC §5, ../domain/report.ts projectionBasis): beside the alert and the figure.
  const thin = projectionNote(plan, 'zh');
  const hint = thin ? `<p class="thin" data-hint="projection">${escapeHtml(thin)}</p>` : '';
  return `<section class="plan"><h2>${escapeHtml(plan.name)} <small>${escapeHtml(plan.planId)}</small></h2>${alert}${fund(plan, cut)}${hint}${body}</section>`;
};

/** Rewards paid (奖励兑现) per node up to the date: the nodes that received any, and the total. */
const rewardsSection = (r: RewardsPaid | undefined) => {
  if (!r) return '';
  const paid = r.nodes.filter((n) => n.rewardsPaidFen > 0);
  const body =
    paid.length === 0
      ? `<p class="empty">${escapeHtml(r.from)} 至 ${escapeHtml(r.to)} 尚未兑现考核奖励。</p>`
      : `<div class="scroll"><table><thead><tr><th scope="col">组织</th><th scope="col">类型</th><th scope="col">已兑现奖励（元）</th></tr></thead><tbody>` +
        paid
          .map(
            (n) => `<tr><th scope="row">${escapeHtml(n.name)}</th><td>${ORG_KIND_ZH[n.kind]}</td><td>${yuan(n.rewardsPaidFen)}</td></tr>`,
          )
          .join('') +
        `</tbody></table></div>`;
  return (
    `<section class="plan"><h2>考核奖励兑现 <small>${escapeHtml(r.from)} 至 ${escapeHtml(r.to)}</small></h2>` +
    `<dl class="fund"><div><dt>已兑现合计</dt><dd>${yuan(r.totalFen)} 元</dd></div><div><dt>兑现批次</dt><dd>${int(r.evaluationIds.length)}</dd></div></dl>` +
    `<p class="meta">各组织只计本组织获得的奖励，不含下级单位的奖励。</p>${body}</section>`
  );
};

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#222;background:#f4f5f7}
main{max-width:1240px;margin:0 auto;padding:12px}
h1{font-size:1.35em;margin:.3em 0}
h2{font-size:1.2em;margin:0 0 .5em}
h2 small,.meta{color:#666;font-weight:normal;font-size:.8em}
.meta{display:flex;flex-wrap:wrap;gap:0 1.2em}.meta span{white-space:nowrap}
h3{font-size:1em;margin:1.2em 0 .4em}
.plan{background:#fff;border-radius:8px;padding:14px;margin:14px 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.scope{background:#fff8e1;border:1px solid #ffe082;border-radius:6px;padding:8px 12px;margin:10px 0}
.thin{background:#fff8e1;color:#5d4200;border:1px solid #ffe082;border-radius:6px;padding:6px 12px;margin:8px 0 0;font-size:.9em}
.alert{background:#fdecea;color:#b71c1c;border:1px solid #f5c2c0;border-radius:6px;padding:8px 12px;margin:0 0 10px}
.fund{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:0}
.fund div{background:#f7f8fa;border-radius:6px;padding:6px 10px}
.fund dt{color:#666;font-size:.85em}.fund dd{margin:0;font-weight:600;font-variant-numeric:tabular-nums}
.chart{display:block;font-size:13px}
.chart .lbl,.chart .val{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.chart .lbl{fill:#222}.chart .val{fill:#444;font-weight:600}.chart .tick{fill:#888;font-size:11px}
.chart .track{fill:#eef0f3}
.chart .on{fill:#2e7d32}.chart .behind{fill:#e65100}.chart .none{fill:#9e9e9e}
.sw.on{background:#2e7d32}.sw.behind{background:#e65100}.sw.none{background:#9e9e9e}
.chart line{stroke-width:2}.chart .elapsed{stroke:#1565c0}.chart .full{stroke:#888;stroke-dasharray:4 3}
.legend{font-size:.85em;color:#555;display:flex;flex-wrap:wrap;gap:4px 12px}.legend span{white-space:nowrap}
.sw{display:inline-block;width:12px;height:12px;border-radius:2px;vertical-align:-1px;margin-right:4px}
.ln{display:inline-block;width:16px;height:0;border-top:2px solid #1565c0;vertical-align:middle;margin-right:4px}.ln.full{border-top-style:dashed;border-top-color:#888}
.lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:0 20px}
.lists ol{margin:0;padding-left:1.6em}.lists b{font-variant-numeric:tabular-nums;color:#444}
.empty,.note{color:#777}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid #e3e5e8;border-radius:6px}
table{border-collapse:collapse;white-space:nowrap;font-size:.9em;font-variant-numeric:tabular-nums}
th,td{padding:5px 8px;border-bottom:1px solid #eceef1;text-align:right;vertical-align:middle}
td:nth-child(2),td:nth-child(7),td:nth-child(10){text-align:center}
thead th{background:#f7f8fa;text-align:center}
/* The name column stays in view while the figures scroll; on a phone it wraps, so figures still show beside it. */
tbody th{text-align:left;font-weight:normal;position:sticky;left:0;z-index:1;background:#fff;border-right:1px solid #eceef1;padding-left:calc(.5em + var(--d,0) * 1em)}
thead th:first-child{position:sticky;left:0;z-index:2}
@media (max-width:600px){main{padding:6px}.plan{padding:10px;margin:10px 0}tbody th{white-space:normal;overflow-wrap:anywhere;min-width:7.5em;max-width:8.5em;font-size:.9em;padding-left:calc(.3em + var(--d,0) * .5em)}}
tr.on td:nth-child(7){color:#2e7d32}tr.behind td:nth-child(7){color:#e65100}
`;

/** A cut to an office's (or unit's) subtree: which org it is, and the whole tree's root name the shared figures belong to. */
export interface CutOf {
  orgName: string;
  rootName: string;
}

/**
 * SPEC §5: a cut says plainly which figures are not the org's own, before any figure — the fund is the
 * whole plan's, the ranks are among all the units of the federation.
 */
const cutNote = (cut: CutOf) =>
  `<p class="scope" role="note">本报表只含<b>${escapeHtml(cut.orgName)}</b>及其下属组织的数据。` +
  `各方案的“方案基金”（缴费合计、核准互助金、基金结余、赔付率、预计全期赔付率、基金预警）是<b>整个方案（${escapeHtml(cut.rootName)}全部参加单位）</b>的数据，不是本组织的；` +
  `“全市排名”是在${escapeHtml(cut.rootName)}所有基层工会中的排名。</p>`;

export const renderReportHtml = (report: Report, opts: { title?: string; cut?: CutOf } = {}): string => {
  const title = opts.title ?? `职工医疗互助任务进度日报 ${report.date}`;
  const plans =
    report.plans.length === 0
      ? '<p class="empty">该日期没有处于保障期内的互助方案。</p>'
      : report.plans.map((p) => section(p, opts.cut !== undefined)).join('');
  return (
    `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}"><meta name="viewport" content="width=device-width,initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${CSS}</style></head><body><main>` +
    `<h1>${escapeHtml(title)}</h1><p class="meta"><span>报表日期 ${escapeHtml(report.date)}</span><span>数据截至 ${escapeHtml(beijing(report.asOf))}</span>` +
    `<span>生成于 ${escapeHtml(beijing(report.generatedAt))}</span></p><p class="note">${escapeHtml(asOfNote('zh'))}</p>` +
    `${opts.cut ? cutNote(opts.cut) : ''}${plans}${rewardsSection(report.rewards)}</main></body></html>\n`
  );
};
