import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { buildReport, type UnitPlanCounters, zeroCounters } from '../domain/report';
import { neutralise, REPORT_CSV_HEADERS, renderReportCsv } from './csv';
import { o } from './testOrgs';

const zero: UnitPlanCounters = zeroCounters();

const report = buildReport({
  date: '2025-06-30',
  generatedAt: '2025-07-01T02:00:05Z',
  asOf: '2025-07-01T02:00:00Z',
  orgs: [
    o('root', '北京市总工会', 'federation', null),
    o('cy', '朝阳区办事处, "东"片', 'office', 'root'),
    o('u1', '=HYPERLINK("http://evil","点我")', 'unit', 'cy', 200),
    o('u2', '第一机床厂工会', 'unit', 'cy', 0),
  ],
  targets: new Map([['u2', 50]]),
  plans: [
    { id: 'p1', name: '2025年住院医疗互助', coverageStart: '2025-01-01', coverageEnd: '2025-12-31', minUnitParticipationPermille: 500 },
    { id: 'p2', name: '+重大疾病互助', coverageStart: '2025-01-01', coverageEnd: '2025-12-31' },
  ],
  counters: new Map([
    [
      'p1',
      new Map([['u1', { ...zero, enrolled: 40, contributionsFen: 4000, benefitsApprovedFen: 9000, claimsPaid: 2, paidDaysTotal: 5 }]]),
    ],
    ['p2', new Map([['u2', { ...zero, enrolled: 30 }]])],
  ]),
});

const rows = (buf: Buffer) => parse(buf, { bom: true, columns: true }) as Array<Record<string, string>>;

describe('renderReportCsv', () => {
  const buf = renderReportCsv(report);

  it('is UTF-8 with a BOM and CRLF line ends', () => {
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8');
    expect(text.split('\r\n')).toHaveLength(1 + 8 + 1); // header, 2 plans × 4 nodes, trailing empty
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('has the Chinese headers and one row per (plan, node), Chinese intact', () => {
    const parsed = rows(buf);
    expect(Object.keys(parsed[0]!)).toEqual(REPORT_CSV_HEADERS);
    expect(REPORT_CSV_HEADERS).toEqual(
      expect.arrayContaining([
        '方案编号',
        '组织名称',
        '类型',
        '完成率(%)',
        '时间进度(%)',
        '是否达到时间进度',
        '全方案基金结余(元)',
        '全市排名(所有基层工会中)',
      ]),
    );
    expect(parsed).toHaveLength(report.plans.reduce((s, p) => s + p.nodes.length, 0));
    expect(parsed.map((r) => r.组织名称)).toContain('朝阳区办事处, "东"片');
    expect(parsed.map((r) => r.类型)).toEqual(['市总工会', '办事处', '基层工会', '基层工会', '市总工会', '办事处', '基层工会', '基层工会']);
  });

  it('writes null as an empty cell and booleans as 是/否', () => {
    const [rootRow, , u1, u2] = rows(buf);
    expect(rootRow).toMatchObject({ 上级组织编号: '', '全市排名(所有基层工会中)': '', 任务数: '', '完成率(%)': '', 是否达到时间进度: '' });
    expect(u1).toMatchObject({
      参加人数: '40',
      '参与率(%)': '20.0', // 200 ‰
      平均支付天数: '2.5',
      '赔付率(%)': '225.0', // 9000 × 1000 / 4000 = 2250 ‰
      全方案基金预警: '是',
      '全方案基金结余(元)': '-50.00', // 4000 − 9000 fen
      '缴费合计(元)': '40.00',
      '核准互助金(元)': '90.00',
      '时间进度(%)': '49.5', // 181 × 1000 / 365 = 495 ‰
    });
    expect(u1!['低于最低参与率(单位:是否/上级:单位数)']).toBe('是');
    expect(u2).toMatchObject({ 职工总数: '0', '参与率(%)': '', '完成率(%)': '0.0', 是否达到时间进度: '否' });
    expect(rootRow!['低于最低参与率(单位:是否/上级:单位数)']).toBe('1');
  });

  it('neutralises cells Excel would read as formulas, but not negative numbers', () => {
    const parsed = rows(buf);
    expect(parsed[2]!.组织名称).toBe(`'=HYPERLINK("http://evil","点我")`);
    expect(parsed[4]!.方案名称).toBe("'+重大疾病互助");
    expect(parsed[2]!['全方案基金结余(元)']).toBe('-50.00');
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '＝1']) expect(neutralise(s).startsWith("'")).toBe(true);
    expect(neutralise('工会 = 家')).toBe('工会 = 家');
  });

  it('has only the header for a report without plans', () => {
    expect(rows(renderReportCsv({ ...report, plans: [] }))).toEqual([]);
  });
});
