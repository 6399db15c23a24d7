import { describe, expect, it } from 'vitest';
import { buildReport, cutReport, type UnitPlanCounters, zeroCounters } from '../domain/report';
import { escapeHtml, renderReportHtml } from './html';
import { o } from './testOrgs';

const zero: UnitPlanCounters = zeroCounters();

const report = buildReport({
  date: '2025-06-30',
  generatedAt: '2025-06-30T18:00:07Z',
  asOf: '2025-06-30T18:00:00Z',
  orgs: [
    o('root', '北京市总工会', 'federation', null),
    o('cy', '朝阳区办事处', 'office', 'root'),
    o('u1', '<script>alert("x")</script>工会', 'unit', 'cy', 100),
    o('u2', '第一机床厂 "工会" & 家', 'unit', 'cy', 100),
    o('u3', '无任务工会', 'unit', 'root', 10),
  ],
  targets: new Map([
    ['u1', 100],
    ['u2', 100],
    ['cy', 1000],
  ]),
  plans: [
    { id: 'ok', name: '住院"互助"<b>', coverageStart: '2025-01-01', coverageEnd: '2025-12-31' },
    { id: 'hot', name: '重大疾病互助', coverageStart: '2025-01-01', coverageEnd: '2025-12-31' },
  ],
  counters: new Map([
    ['ok', new Map([['u1', { ...zero, enrolled: 90, contributionsFen: 9000, benefitsApprovedFen: 100 }]])],
    ['hot', new Map([['u2', { ...zero, enrolled: 10, contributionsFen: 1000, benefitsApprovedFen: 900 }]])],
  ]),
});
const sections = (html: string) => html.split('<section class="plan">').slice(1);

describe('renderReportHtml', () => {
  const html = renderReportHtml(report);

  it('is one zh-CN page readable on a phone, without scripts or external resources', () => {
    expect(html.startsWith('<!doctype html><html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|url\(|@import/i);
    expect(html).toContain('<div class="scroll"><table>');
  });

  it('carries its own Content-Security-Policy (opened from S3, no header protects it): no script, no fetch, no form', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    // The policy comes before anything it governs.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
    const directives = Object.fromEntries(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]),
    );
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toBeUndefined();
    expect(directives['form-action']).toEqual(["'none'"]);
    expect(directives['base-uri']).toEqual(["'none'"]);
  });

  it('escapes every name from the report, in text and attributes', () => {
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;工会');
    expect(html).toContain('第一机床厂 &quot;工会&quot; &amp; 家');
    expect(html).toContain('aria-label="住院&quot;互助&quot;&lt;b&gt;：各组织完成率与时间进度"');
    expect(html).not.toContain('<b>"');
    expect(renderReportHtml(report, { title: '</title><script>' })).toContain('<title>&lt;/title&gt;&lt;script&gt;</title>');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('draws one chart bar per node in each plan', () => {
    const parts = sections(html);
    expect(parts).toHaveLength(report.plans.length);
    parts.forEach((part, i) => {
      expect(part.match(/<rect class="bar /g)).toHaveLength(report.plans[i]!.nodes.length);
    });
    // u1 is on track (900‰ ≥ 495‰), u2 behind (100‰), u3 has no target; 150 % caps the scale.
    const ok = parts[1]!; // plans sort by coverage start, then id: hot, ok
    expect(ok).toContain('<rect class="bar on" x="0" y="106" width="60.00%"');
    expect(ok).toMatch(/<rect class="bar behind"[^>]*width="0.00%"/);
    expect(ok).toMatch(/<rect class="bar none"/);
    expect(ok).toMatch(/<line class="elapsed" x1="33.00%"/); // 495‰ of 1500
  });

  it('shows the fund alert only for a plan whose projection exceeds 1000‰', () => {
    expect(report.plans.map((p) => [p.planId, p.alert])).toEqual([
      ['hot', true],
      ['ok', false],
    ]);
    const [hot, ok] = sections(html);
    expect(ok).not.toContain('基金预警');
    expect(hot).toContain('<p class="alert" role="alert"><b>基金预警</b>');
    expect(hot).toContain('预计全期赔付率 181.4%'); // floor(900‰ × 365 / 181)
    expect(renderReportHtml({ ...report, plans: [report.plans[1]!] })).not.toContain('基金预警');
  });

  it('lists on-track and behind nodes and formats money as yuan', () => {
    const ok = sections(html)[1]!;
    expect(ok).toContain('达到时间进度的单位（1）');
    expect(ok).toContain('未达到时间进度的单位（2）'); // u2 and the office
    expect(ok).toContain('另有 2 个组织未设任务数');
    expect(ok).toContain('<dd>90.00 元</dd>');
  });

  it('renders a report without plans, and a cut whose top node has a parent', () => {
    expect(renderReportHtml({ ...report, plans: [] })).toContain('该日期没有处于保障期内的互助方案');
    const cut = renderReportHtml(cutReport(report, 'cy'));
    expect(cut).toContain('<th scope="row" style="--d:0">朝阳区办事处</th>');
    expect(cut).not.toContain('北京市总工会');
    expect(cut).not.toContain('role="note"');
  });

  it("labels a cut: the fund is the whole plan's, ranks are among all the federation's units (SPEC §5)", () => {
    const cut = renderReportHtml(cutReport(report, 'cy'), { cut: { orgName: '朝阳区<办事处>', rootName: '北京市总工会' } });
    expect(cut).toContain('本报表只含<b>朝阳区&lt;办事处&gt;</b>及其下属组织的数据');
    expect(cut).toContain('整个方案（北京市总工会全部参加单位）');
    expect(cut).toContain('“全市排名”是在北京市总工会所有基层工会中的排名');
    expect(cut.match(/方案基金（整个方案的数据，不是本组织的）/g)).toHaveLength(2); // one per plan
    expect(html).toContain('方案基金（全方案合计）');
    expect(html).toContain('<th scope="col">全市排名</th>');
  });
});
