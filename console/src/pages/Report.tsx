import { useState } from 'preact/hooks';
import { api } from '../api';
import { ORG_KIND, pct, when, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Report, ReportList } from '../types';
import { Loading, ProblemBox, useLoad } from '../ui';

type Node = Report['plans'][number]['nodes'][number];

/** The scale ends at the largest completion, at least 100 % and at most 150 % (as the nightly HTML report draws it). */
const CAP = 1500;
/** Room right of the longest bar for its figure ("118.7%"), so a figure is never cut off at the edge. */
const FIGURE = 44;

/** Completion against time elapsed, one bar a node; the line is the share of the year gone (时间过半任务过半). */
export const CompletionChart = ({ nodes }: { nodes: Node[] }) => {
  const rows = nodes.filter((n) => n.completionPermille !== null).slice(0, 40);
  if (rows.length === 0) return <p class="hint">还没有下达目标，无法画完成率图。</p>;
  const elapsed = rows[0]!.timeElapsedPermille;
  const max = Math.min(CAP, Math.max(1000, ...rows.map((n) => n.completionPermille ?? 0)));
  const W = 360;
  const left = 110;
  const bar = 18;
  const H = rows.length * (bar + 6) + 24;
  // Above the cap a bar is drawn at the cap; its figure says the real value.
  const x = (p: number) => left + ((W - left - FIGURE) * Math.min(Math.max(p, 0), max)) / max;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label="完成率与时间进度" data-testid="chart">
      {rows.map((n, i) => {
        const y = i * (bar + 6) + 4;
        return (
          <g key={n.orgId}>
            <text x={left - 4} y={y + bar - 5} text-anchor="end" font-size="11">
              {n.name.length > 8 ? `${n.name.slice(0, 8)}…` : n.name}
            </text>
            <rect
              x={left}
              y={y}
              width={Math.max(1, x(n.completionPermille ?? 0) - left)}
              height={bar}
              class={n.onTrack ? 'bar ok' : 'bar behind'}
            />
            <text x={x(n.completionPermille ?? 0) + 3} y={y + bar - 5} font-size="10">
              {pct(n.completionPermille)}
            </text>
          </g>
        );
      })}
      <line x1={x(elapsed)} x2={x(elapsed)} y1={0} y2={H - 16} class="elapsed" />
      <text x={x(elapsed)} y={H - 4} font-size="10" text-anchor={elapsed > 700 ? 'end' : 'middle'}>
        时间进度 {pct(elapsed)}
      </text>
    </svg>
  );
};

export default ({ session }: PageProps) => {
  const [orgId, setOrgId] = useState(session.org);
  const dates = useLoad(() => api<ReportList>('GET', '/reports', { query: { orgId, limit: 60 } }), [orgId]);
  const [date, setDate] = useState<string | null>(null);
  const chosen = date ?? dates.data?.items[0]?.date ?? null;
  const report = useLoad(
    () => (chosen ? api<Report>('GET', `/reports/${chosen}`, { query: { orgId } }) : Promise.resolve(undefined)),
    [chosen, orgId],
  );
  return (
    <section>
      <h1>统计报表</h1>
      <div class="row">
        <label class="field">
          <span>组织</span>
          <input value={orgId} onChange={(e) => setOrgId(e.currentTarget.value.trim())} />
        </label>
        <label class="field">
          <span>日期</span>
          <select value={chosen ?? ''} onChange={(e) => setDate(e.currentTarget.value)} data-testid="report-date">
            {(dates.data?.items ?? []).map((d) => (
              <option key={d.date} value={d.date}>
                {d.date}
              </option>
            ))}
          </select>
        </label>
      </div>
      {dates.error && <ProblemBox error={dates.error} />}
      {dates.data && dates.data.items.length === 0 && <p>还没有报表（每天凌晨 2 点生成前一天的报表）。</p>}
      {report.error && <ProblemBox error={report.error} />}
      {chosen && !report.data && !report.error && <Loading />}
      {report.data && (
        <div data-testid="report">
          <p class="hint">
            {report.data.asOfNote} · 生成于 {when(report.data.generatedAt)}
          </p>
          <p>
            下载：<a href={report.data.links.csv}>表格（CSV）</a> · <a href={report.data.links.html}>网页版</a> ·{' '}
            <a href={report.data.links.json}>JSON</a>
          </p>
          {report.data.plans.map((p) => {
            const me = p.nodes[0];
            const onTrack = p.nodes.filter((n) => n.onTrack === true);
            const behind = p.nodes.filter((n) => n.onTrack === false);
            return (
              <div class="card" key={p.planId}>
                <h2>{p.name}</h2>
                {p.alert && (
                  <p class="problem" data-testid="fund-alert">
                    基金预警：按目前进度，全期赔付率预计 {pct(p.projectedLossRatioPermille)}，超过 100%。
                  </p>
                )}
                {p.projectionNote && (
                  <p class="notice" data-testid="projection-hint">
                    {p.projectionNote}
                  </p>
                )}
                <dl class="facts">
                  <dt>基金（全方案）</dt>
                  <dd>
                    缴费 {yuan(p.contributionsFen)}，已核准 {yuan(p.benefitsApprovedFen)}，结余 {yuan(p.poolFen)}，赔付率{' '}
                    {pct(p.lossRatioPermille)}
                    ，预计 {pct(p.projectedLossRatioPermille)}
                  </dd>
                  {me && (
                    <>
                      <dt>{me.name}</dt>
                      <dd>
                        参保 {me.enrolled} 人次 / 目标 {me.target ?? '—'}，完成 {pct(me.completionPermille)}，时间进度{' '}
                        {pct(me.timeElapsedPermille)}； 申请 {me.claimsSubmitted}，核准 {me.claimsApproved}，已付 {me.claimsPaid}，超期未审{' '}
                        {me.overdueClaims}
                      </dd>
                    </>
                  )}
                </dl>
                <CompletionChart nodes={p.nodes} />
                <div class="two">
                  <div>
                    <h3>进度达标（{onTrack.length}）</h3>
                    <ul>
                      {onTrack.map((n) => (
                        <li key={n.orgId}>
                          {n.name}（{ORG_KIND[n.kind]}）{pct(n.completionPermille)}
                        </li>
                      ))}
                    </ul>
                  </div>
                  <div>
                    <h3>进度落后（{behind.length}）</h3>
                    <ul>
                      {behind.map((n) => (
                        <li key={n.orgId}>
                          {n.name}（{ORG_KIND[n.kind]}）{pct(n.completionPermille)}
                        </li>
                      ))}
                    </ul>
                  </div>
                </div>
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
};
