import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { REPORT_CSV_HEADERS } from '../../shared/report/csv';
import { generateReport } from '../../shared/report/generate';
import { unitPlanCounterAdd } from '../../shared/store/counters';
import { download } from '../support/claims';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * The report files offices file (SPEC §4.1, §5; issue 17 item 5): report.csv
 * opened back with csv-parse — BOM, Chinese headers, money in 元 with two
 * decimals and ratios in % with one, exactly from the JSON's fen and ‰ (the
 * co-funding split too) — an office's cut saying which figures are the whole
 * plan's and that ranks are federation-wide, the root's configured name
 * heading the whole report, and the root's own target set by the federation.
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const ROOT_NAME = '北京市总工会';
const DATE = '2026-06-30';
const ids = { A: 'rf-off-a', B: 'rf-off-b', a1: 'rf-a1', a2: 'rf-a2', b1: 'rf-b1' };
const NAMES = { A: '东城区办事处', B: '西城区办事处', a1: '机床厂工会', a2: '纺织厂工会', b1: '钢铁厂工会' };
// 33.33 元 a share: every figure below has non-zero 分, so a float on the way would show.
const plan = examplePlan(2026, { id: 'rf-p2026', name: '2026年度住院医疗互助', contributionPerShareFen: 3333 });
const FUNDING = { administrationPerShareFen: 1001, unionPerShareFen: 1110 }; // the worker pays 1222 fen a share

type Row = Record<string, string>;
const csvRows = (buf: Buffer): Row[] => parse(buf, { bom: true, columns: true }) as Row[];
const get = (claims: Record<string, string>, orgId?: string) =>
  s.call('getReport', { params: { date: DATE }, query: orgId ? { orgId } : {}, claims });

beforeAll(async () => {
  s = await isolatedStore('rf', { rootOrgName: ROOT_NAME });
  fed = as('federation_admin', s.rootId);
  const org = async (id: string, name: string, kind: string, parentId: string, headcount?: number) => {
    const r = await s.call('createOrg', { body: { id, name, kind, parentId, ...(headcount ? { headcount } : {}) }, claims: fed });
    expect(r.status, r.text).toBe(201);
  };
  await org(ids.A, NAMES.A, 'office', s.rootId);
  await org(ids.B, NAMES.B, 'office', s.rootId);
  await org(ids.a1, NAMES.a1, 'unit', ids.A, 100);
  await org(ids.a2, NAMES.a2, 'unit', ids.A, 7);
  await org(ids.b1, NAMES.b1, 'unit', ids.B, 10);
  // The root's own target, set by federation staff (SPEC §4.1), then each node's from above.
  for (const [id, n, by] of [
    [s.rootId, 20, fed],
    [ids.A, 10, fed],
    [ids.a1, 6, as('office_staff', ids.A)],
    [ids.a2, 4, as('office_staff', ids.A)],
    [ids.b1, 1, as('office_staff', ids.B)],
  ] as const) {
    const r = await s.call('putTarget', { params: { id, year: '2026' }, body: { enrolmentTarget: n }, claims: by });
    expect(r.status, r.text).toBe(200);
  }
  expect((await s.call('createPlan', { body: plan, claims: fed })).status).toBe(201);
  const enrol = async (unitId: string, members: ReturnType<typeof people>, shares: number, funding?: typeof FUNDING) => {
    const body = { planId: plan.id, members: members.map((m) => ({ ...m, shares })), ...(funding ? { funding } : {}) };
    const r = await s.call('enrolMembers', { params: { unitId }, body, claims: fed });
    expect([r.status, r.body.accepted], r.text).toEqual([200, members.length]);
  };
  const folks = people(6);
  await enrol(ids.a1, folks.slice(0, 3), 1, FUNDING); // 3 × 3333 = 9999: 3003 administration, 3330 union, 3666 worker
  await enrol(ids.a2, folks.slice(3, 5), 2); // 2 × 2 × 3333 = 13332, all the workers'
  await enrol(ids.b1, folks.slice(5), 1); // 3333
  // 123.45 元 approved for a1, as the claims code counts it.
  await s.deps().db.send(
    new TransactWriteCommand({
      TransactItems: [
        unitPlanCounterAdd(s.config.tableName, { id: ids.a1, path: [s.rootId, ids.A, ids.a1] }, plan.id, '2026-06-20', 1, {
          claimsSubmitted: 1,
          claimsApproved: 1,
          benefitsApprovedFen: 12_345,
        }),
      ],
    }),
  );
  await generateReport(s.deps(fixedClock('2026-06-30T18:00:05Z')), DATE);
}, 60_000);

describe('report.csv as offices file it (SPEC §5)', () => {
  it('is UTF-8 with a BOM and Chinese headers; money in 元 with two decimals and ratios in % with one, exactly the JSON’s fen and ‰', async () => {
    const r = await get(fed);
    expect(r.status, r.text).toBe(200);
    const bytes = await download(r.body.links.csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const header = (parse(bytes, { bom: true, to_line: 1 }) as string[][])[0]!;
    expect(header).toEqual(REPORT_CSV_HEADERS);
    for (const h of header) expect(h).toMatch(/[\u4e00-\u9fff]/); // every header is Chinese
    expect(header.join()).not.toMatch(/分\)|‰/); // no fen, no permille left in the file

    const rows = csvRows(bytes);
    expect(rows.map((row) => row.组织编号)).toEqual([s.rootId, ids.A, ids.a1, ids.a2, ids.B, ids.b1]);
    const [root, , a1, a2, , b1] = rows;
    // The root: its configured name, its own target, the sums worked by hand.
    expect(root).toMatchObject({
      组织名称: ROOT_NAME,
      类型: '市总工会',
      参加人数: '6',
      任务数: '20',
      '完成率(%)': '30.0', // 6 × 1000 / 20 = 300 ‰
      '时间进度(%)': '49.5', // 181 × 1000 / 365 = 495 ‰
      是否达到时间进度: '否',
      '缴费合计(元)': '266.64', // 9999 + 13332 + 3333 fen
      '行政缴费(元)': '30.03',
      '工会缴费(元)': '33.30',
      '职工缴费(元)': '203.31', // 3666 + 13332 + 3333 = 20331 fen
      '核准互助金(元)': '123.45',
      '已支付互助金(元)': '0.00',
      '赔付率(%)': '46.2', // floor(12345 × 1000 / 26664) = 462 ‰
      '全方案缴费合计(元)': '266.64',
      '全方案核准互助金(元)': '123.45',
      '全方案基金结余(元)': '143.19', // 26664 − 12345
      '全方案赔付率(%)': '46.2',
      '全方案预计全期赔付率(%)': '93.1', // floor(462 × 365 / 181) = 931 ‰
      全方案基金预警: '否',
    });
    expect(a1).toMatchObject({
      '缴费合计(元)': '99.99',
      '行政缴费(元)': '30.03',
      '工会缴费(元)': '33.30',
      '职工缴费(元)': '36.66',
      '参与率(%)': '3.0', // 3 / 100
      '完成率(%)': '50.0',
      '全市排名(所有基层工会中)': '2',
    });
    expect(a2).toMatchObject({ '缴费合计(元)': '133.32', '职工缴费(元)': '133.32', '参与率(%)': '28.5', '全市排名(所有基层工会中)': '2' }); // 2000/7 → 285 ‰
    expect(b1).toMatchObject({ '完成率(%)': '100.0', '全市排名(所有基层工会中)': '1' });

    // Every 元 and % cell is the JSON's integer with the point moved: nothing rounded.
    const json = r.body.plans[0];
    const node = (id: string) => json.nodes.find((n: { orgId: string }) => n.orgId === id);
    for (const row of rows) {
      const n = node(row.组织编号!);
      for (const [h, f] of [
        ['缴费合计(元)', 'contributionsFen'],
        ['行政缴费(元)', 'contributionsAdministrationFen'],
        ['工会缴费(元)', 'contributionsUnionFen'],
        ['职工缴费(元)', 'contributionsWorkerFen'],
        ['核准互助金(元)', 'benefitsApprovedFen'],
      ] as const) {
        expect(row[h]).toMatch(/^-?\d+\.\d\d$/);
        expect(Number(row[h]!.replace('.', '')), `${row.组织编号} ${h}`).toBe(n[f]);
      }
      const a = BigInt(row['缴费合计(元)']!.replace('.', ''));
      const parts = ['行政缴费(元)', '工会缴费(元)', '职工缴费(元)'].map((h) => BigInt(row[h]!.replace('.', '')));
      expect(parts.reduce((x, y) => x + y)).toBe(a); // the split adds up to the total, to the 分
      for (const [h, f] of [
        ['完成率(%)', 'completionPermille'],
        ['参与率(%)', 'participationPermille'],
        ['赔付率(%)', 'lossRatioPermille'],
      ] as const)
        expect(row[h] === '' ? null : Number(row[h]!.replace('.', '')), `${row.组织编号} ${h}`).toBe(n[f]);
    }
  });

  it("the whole report's page is headed by the root's configured name, the fund labelled as the plan's", async () => {
    const html = (await download((await get(fed)).body.links.html)).toString('utf8');
    expect(html).toContain(`<title>职工医疗互助任务进度日报 ${DATE} · ${ROOT_NAME}</title>`);
    expect(html).toContain('方案基金（全方案合计）');
    expect(html).toContain('<th scope="col">全市排名</th>');
    expect(html).not.toContain('本报表只含');
    expect(html).not.toContain('Federation');
  });
});

describe("an office's cut (SPEC §5: says plainly which figures are the whole plan's and that ranks are federation-wide)", () => {
  it('its CSV holds its subtree only, the fund columns headed and filled as the whole plan’s, ranks among all units', async () => {
    const r = await get(as('office_staff', ids.A));
    expect(r.status, r.text).toBe(200);
    const bytes = await download(r.body.links.csv);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(bytes);
    expect(Object.keys(rows[0]!)).toEqual(REPORT_CSV_HEADERS);
    expect(rows.map((row) => row.组织编号)).toEqual([ids.A, ids.a1, ids.a2]);
    const office = rows[0]!;
    // The office's own sums...
    expect(office).toMatchObject({ '缴费合计(元)': '233.31', '核准互助金(元)': '123.45', '完成率(%)': '50.0', 任务数: '10' });
    // ...and, labelled 全方案, the whole plan's fund: not the office's 233.31 − 123.45 = 109.86.
    for (const row of rows)
      expect(row).toMatchObject({ '全方案缴费合计(元)': '266.64', '全方案基金结余(元)': '143.19', '全方案赔付率(%)': '46.2' });
    // Its units rank 2 and 2: among all the federation's units (b1 is first), not 1 and 1 within the office.
    expect(rows.slice(1).map((row) => row['全市排名(所有基层工会中)'])).toEqual(['2', '2']);
  });

  it('its page says so before any figure, with the root’s name', async () => {
    const r = await get(as('office_staff', ids.A));
    const html = (await download(r.body.links.html)).toString('utf8');
    expect(html).toContain(`<title>职工医疗互助任务进度日报 ${DATE} · ${NAMES.A}</title>`);
    const note = /<p class="scope" role="note">(.*?)<\/p>/.exec(html)?.[1] ?? '';
    expect(note).toContain(`本报表只含<b>${NAMES.A}</b>及其下属组织的数据`);
    expect(note).toContain(`整个方案（${ROOT_NAME}全部参加单位）`);
    expect(note).toContain(`在${ROOT_NAME}所有基层工会中的排名`);
    expect(html.indexOf('role="note"')).toBeLessThan(html.indexOf('<section class="plan">'));
    expect(html).toContain('方案基金（整个方案的数据，不是本组织的）');
    expect(html).toContain('<dd>266.64 元</dd>'); // the whole plan's contributions
    expect(html).not.toContain(NAMES.B);
  });

  it('another office and a unit outside the subtree are 403; an unknown org 404', async () => {
    expect((await get(as('office_staff', ids.A), ids.B)).status).toBe(403);
    expect((await get(as('unit_admin', ids.a1), ids.A)).status).toBe(403);
    expect((await get(fed, 'rf-nope')).status).toBe(404);
  });
});
