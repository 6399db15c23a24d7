import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { consoleRig, SHOTS } from '../support/consoleRig';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localNightlyReport } from '../../infra/local/nightly';
import { addDays, shanghaiToday } from '../../shared/domain/dates';
import { exampleLumpSumPlan, planOpenOn } from '../support/examplePlan';
import { axeViolations, unreachableByKeyboard } from '../support/pageChecks';
import { idNumber, people } from '../support/fixtures';

/**
 * The console's remaining flows (issue 18) in Chromium against the whole local stack, each as a
 * clerk or staff member would do it, each photographed at desktop width and at 390 px, with no
 * sideways scrolling and an accessibility check of the page: roster rejections with line and name
 * (and their CSV, read back), a large roster through a background import with its progress,
 * backdated enrolment by office staff, lookup by ID number (masked), one member's enrolment
 * (cap used/remaining, correction, history, cancellation and the 409 shown plainly), a lump-sum
 * claim with its required documents and explanation of benefits, the report's notes in Chinese,
 * plan simulation side by side, and evaluations (create, four-eyes approval, payout).
 */
const today = shanghaiToday(new Date());
const year = Number(today.slice(0, 4));
/** Generous: the browser, the stack and the emulators share a small, often busy machine. */
const POLL = { timeout: 30_000, interval: 250 };
const CJK = /[\u4e00-\u9fff]/;

const rig = consoleRig('huzhu-console-flows');
const { token, call, signIn } = rig;
const { signInAs, openRosters, sendRoster } = rig;

/** The page now, at desktop width and at 390 px: screenshots, no sideways scrolling, no serious axe-core finding, every action reached by Tab. */
const shots = async (page: Page, name: string) => {
  expect(await axeViolations(page), `${name}: axe-core`).toEqual([]);
  expect(await unreachableByKeyboard(page), `${name}: not reachable by keyboard`).toEqual([]);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
  expect(overflow, `${name} scrolls sideways at 390 px by ${overflow}px`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(SHOTS, `${name}-390.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
};

const acceptDialogs = (page: Page) => page.on('dialog', (d) => void d.accept());

const plan = {
  ...planOpenOn(today, 'flow-plan'),
  name: '职工住院医疗互助（流程测试）',
  coverageStart: addDays(today, -30),
  enrolmentOpen: addDays(today, -30),
  waitingDays: 0,
};
/** Coverage starts in ten days: an enrolment here is not in force yet, so it may be cancelled. */
const future = {
  ...planOpenOn(addDays(today, 10), 'flow-future'),
  name: '下期职工住院医疗互助',
  enrolmentOpen: addDays(today, -20),
  enrolmentClose: addDays(today, 5),
  waitingDays: 0,
};
const lump = exampleLumpSumPlan(year, {
  id: 'flow-ls',
  name: '重大疾病互助（流程测试）',
  coverageStart: addDays(today, -30),
  coverageEnd: addDays(today, 334),
  enrolmentOpen: addDays(today, -30),
  enrolmentClose: addDays(today, 60),
  waitingDays: 0,
});
const zhang = idNumber('1982-03-04', 41);
const li = idNumber('1983-05-06', 42);
const wang = idNumber('1984-07-08', 43);
const ids = { zhang: '', li: '', wang: '' };

beforeAll(async () => {
  await rig.start();
  const fed = await token('federation_admin', 'root');
  expect((await call('POST', '/orgs', fed, { id: 'f-office', name: '第二办事处', kind: 'office', parentId: 'root' })).status).toBe(201);
  expect(
    (await call('POST', '/orgs', fed, { id: 'f-unit', name: '纺织厂工会', kind: 'unit', parentId: 'f-office', headcount: 60 })).status,
  ).toBe(201);
  for (const p of [plan, future, lump]) {
    const r = await call('POST', '/plans', fed, p);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  expect((await call('PUT', `/orgs/f-office/targets/${year}`, fed, { enrolmentTarget: 50 })).status).toBe(200);
  expect((await call('PUT', `/orgs/f-unit/targets/${year}`, fed, { enrolmentTarget: 10 })).status).toBe(200);
  const enrol = async (planId: string, id: string, name: string) => {
    const r = await call('POST', '/units/f-unit/enrolments', fed, { planId, members: [{ idNumber: id, name }] });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body.enrolments[0].enrolmentId as string;
  };
  ids.zhang = await enrol(plan.id, zhang, '张三');
  ids.li = await enrol(future.id, li, '李四');
  ids.wang = await enrol(lump.id, wang, '王五');
  const rules = {
    planIds: [plan.id],
    checkpoints: [{ id: 'console-check', date: today, requiredCompletionPermille: 1 }],
    rewardRatePermille: 100,
    tiers: [{ minCompletionPermille: 1, multiplierPermille: 1000 }],
  };
  const r = await call('PUT', `/evaluation-rules/${year}`, fed, rules);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
}, 240_000);

afterAll(() => rig.stop());

describe('console flows in Chromium', { timeout: 240_000 }, () => {
  it('roster: rejected rows with their line and name and a Chinese reason; the rejected-rows CSV reads back', async () => {
    const page = await signIn('unit_admin', 'f-unit');
    await openRosters(page, plan.id);
    const good = idNumber('1986-02-03', 51);
    const badId = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    // Line 2 good, line 3 a mistyped ID (check character), line 4 the line-2 person again.
    const csv = `\uFEFF身份证号,姓名,份数\r\n${good},周一,1\r\n${badId},吴二,1\r\n${good},郑三,1\r\n`;
    await sendRoster(page, { name: '名单.csv', csv });
    await page.waitForSelector('[data-testid=roster-result]');
    expect(await page.textContent('[data-testid=roster-result] h2')).toContain('登记成功 1 人，未通过 2 行');
    const rows = page.locator('[data-testid=rejected] tbody tr');
    await expect.poll(() => rows.count(), POLL).toBe(2);
    const cells = async (i: number) => rows.nth(i).locator('td').allTextContents();
    const [r1, r2] = [await cells(0), await cells(1)];
    expect(r1.slice(0, 2)).toEqual(['3', '吴二']);
    expect(r1[3]).toBe('身份证号有误');
    expect(r1[4]).toContain('校验位不对');
    expect(r2.slice(0, 2)).toEqual(['4', '郑三']);
    expect(r2[4]).toContain('同一个人已在第 2 行');
    // Never the whole ID number on the page.
    expect(await page.textContent('[data-testid=roster-result]')).not.toContain(badId);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=下载未通过的行')]);
    const back = parse(readFileSync((await download.path())!, 'utf8'), { bom: true }) as string[][];
    expect(back[0]).toEqual(['身份证号', '姓名', '份数', '问题说明']);
    expect(back.slice(1).map((r) => r.slice(0, 3))).toEqual([
      [badId, '吴二', '1'],
      [good, '郑三', '1'],
    ]);
    expect(back[1]![3]).toContain('校验位不对');
    expect(back[2]![3]).toContain('同一个人已在第 2 行');
    await shots(page, 'flow-01-roster-rejected');
    await page.close();
  });

  it('a large roster goes through a background import, its progress shown to the end', async () => {
    const page = await signIn('unit_admin', 'f-unit');
    await openRosters(page, plan.id);
    // 5,003 rows (over the 5,000 of one request): 3 people to enrol, the rest refused (mistyped check characters), cheap to check.
    const lines = ['身份证号,姓名,份数'];
    for (let i = 0; i < 3; i++) lines.push(`${idNumber('1975-04-05', 200 + i)},职工${'甲乙丙'[i]},1`);
    for (let i = 0; i < 5000; i++) {
      const v = idNumber('1970-01-01', 300 + (i % 600), 11 + (i % 50));
      lines.push(`${v.slice(0, 17)}${v[17] === '0' ? '1' : '0'},错号,1`);
    }
    await sendRoster(page, { name: '大名单.csv', csv: `${lines.join('\r\n')}\r\n` });
    const status = page.locator('[data-testid=import-status]');
    await status.waitFor();
    // Polled as a person watches it: the bar's label and figure, until it says done at 100 %.
    const bar = status.locator('[role=progressbar]');
    await expect
      .poll(async () => `${await bar.getAttribute('aria-label')} ${await bar.getAttribute('aria-valuenow')}`, {
        timeout: 180_000,
        interval: 250,
      })
      .toBe('已完成 100');
    expect(await status.textContent()).toContain('共 5003 行，登记成功 3 人，未通过 5000 行。');
    // The upload's own progress bar reached 100 % too, and the per-row results are a link.
    expect(await page.locator('[role=progressbar][aria-label=上传]').getAttribute('aria-valuenow')).toBe('100');
    // The per-row results, one row a line of the file, read back: the three people enrolled.
    const href = (await status.locator('a >> text=下载每一行的结果').getAttribute('href'))!;
    const results = parse(await (await fetch(href)).text(), { bom: true }) as string[][];
    expect(results).toHaveLength(1 + 5003);
    expect(results.slice(1, 4).map((r) => r[3])).toEqual([expect.stringMatching(/^[0-9A-Z]{26}$/), expect.anything(), expect.anything()]);
    expect(results.slice(1, 4).every((r) => /^[0-9A-Z]{26}$/.test(r[3]!))).toBe(true);
    expect(results.slice(4).every((r) => r[3] === '')).toBe(true);
    await shots(page, 'flow-02-roster-import');
    await page.close();
  });

  it('office staff backdate an enrolment (enrolledDate); a date before enrolment opened is refused plainly; clerks have no such field', async () => {
    const clerk = await signIn('unit_admin', 'f-unit');
    await clerk.goto(`${rig.stack.url}/console/#/rosters`);
    await clerk.waitForSelector('[data-testid=roster-form]');
    expect(await clerk.locator('[data-testid=roster-form] input[name=enrolledDate]').count()).toBe(0);
    await clerk.close();

    const page = await signIn('office_staff', 'f-office');
    await openRosters(page, plan.id, '?unitId=f-unit');
    const person = idNumber('1979-09-10', 61);
    const file = { name: '补录.csv', csv: `身份证号,姓名,份数\r\n${person},钱七,1\r\n` };
    // Before the plan's enrolment opened: 422 ENROLLED_DATE_OUT_OF_RANGE, in Chinese.
    await page.fill('[data-testid=roster-form] input[name=enrolledDate]', addDays(today, -40));
    await sendRoster(page, file);
    const problem = page.locator('[data-testid=roster-form] .problem');
    await expect.poll(() => problem.getAttribute('data-code'), POLL).toBe('ENROLLED_DATE_OUT_OF_RANGE');
    expect(await problem.textContent()).toContain(`（${plan.enrolmentOpen}）`);
    await shots(page, 'flow-03-backdate-refused');
    const backdated = addDays(today, -5);
    await page.fill('[data-testid=roster-form] input[name=enrolledDate]', backdated);
    await sendRoster(page, file);
    await page.waitForSelector('[data-testid=roster-result]');
    expect(await page.textContent('[data-testid=roster-result] h2')).toContain('登记成功 1 人，未通过 0 行');
    // The enrolment's page says the date it was really made.
    await page.goto(`${rig.stack.url}/console/#/members?unitId=f-unit`);
    await page.click('[data-testid=members] >> text=钱七');
    await page.waitForSelector('[data-testid=enrolment]');
    expect(await page.textContent('[data-testid=enrolment]')).toContain(backdated);
    await shots(page, 'flow-04-backdated');
    await page.close();
  });

  it("a unit's member list comes a page at a time: how many are shown, and the next page on request", async () => {
    // 230 members: more than one page (200), so the list must say it is not all and fetch the rest.
    const fed = await token('federation_admin', 'root');
    expect(
      (await call('POST', '/orgs', fed, { id: 'f-big', name: '钢铁厂工会', kind: 'unit', parentId: 'f-office', headcount: 300 })).status,
    ).toBe(201);
    // 230 different names (20 surnames × 12 given names), so each row can be told apart on the page.
    const name = (i: number) => `${'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许'[i % 20]}${'伟芳娜敏静磊洋勇艳杰涛明'[Math.floor(i / 20)]}`;
    const roster = people(230, 1975).map((p, i) => ({ ...p, name: name(i) }));
    const r = await call('POST', '/units/f-big/enrolments', fed, { planId: plan.id, members: roster });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.enrolments, JSON.stringify(r.body.rejected?.slice(0, 2))).toHaveLength(230);
    const page = await signIn('office_staff', 'f-office');
    await page.goto(`${rig.stack.url}/console/#/members?unitId=f-big`);
    const more = page.locator('[data-testid=more-rows]');
    await expect.poll(() => more.textContent(), POLL).toContain('已显示 200 人，还有更多。');
    expect(await page.locator('[data-testid=members] tbody tr').count()).toBe(200);
    // The plan's name and the enrolment's state, as a clerk reads them (not the plan's id).
    expect(await page.textContent('[data-testid=members] tbody tr:first-child')).toContain(plan.name);
    expect(await page.textContent('[data-testid=members] tbody tr:first-child')).toContain('有效');
    await page.click('[data-testid=more-rows] button');
    await expect.poll(() => more.textContent(), POLL).toContain('已显示 230 人，已全部显示。');
    const names = await page.locator('[data-testid=members] tbody tr td:first-child').allTextContents();
    // Every member once: the second page neither repeats nor skips anyone.
    expect(new Set(names).size).toBe(230);
    expect([...names].sort()).toEqual(roster.map((p) => p.name).sort());
    expect(await page.locator('[data-testid=more-rows] button').count()).toBe(0);
    await shots(page, 'flow-05a-members-paged');
    await page.close();
  });

  it('the review queue says when it holds more than it can sort at once (2,000 waiting)', async () => {
    // 2,500 submitted claims are too many to make here: the page's own requests for them are answered with
    // five full pages of 500 and a cursor for more, as the API would for an office with that backlog.
    const page = await signIn('office_staff', 'f-office');
    let served = 0;
    await page.route(/\/claims\?/, async (route) => {
      const limit = Number(new URL(route.request().url()).searchParams.get('limit'));
      const items = Array.from({ length: limit }, (_, i) => {
        const n = served + i;
        return {
          claimId: `C${String(n).padStart(6, '0')}`,
          enrolmentId: `E${n}`,
          planId: plan.id,
          unitId: 'f-unit',
          status: 'submitted',
          createdBy: 'clerk',
          memberName: '赵伟',
          idNumberMasked: '110105********123X',
          hospital: '北京协和医院',
          estimatedBenefitFen: 1000,
          lastSubmittedDate: `2026-0${1 + (n % 9)}-15`,
          benefitBreakdown: {},
          requiredDocuments: [],
          documents: [],
          history: [],
          createdAt: '2026-01-01T00:00:00Z',
        };
      });
      served += limit;
      await route.fulfill({ json: { items, nextCursor: 'more' } });
    });
    await page.goto(`${rig.stack.url}/console/#/review`);
    await expect.poll(() => page.locator('[data-testid=queue-partial]').count(), POLL).toBe(1);
    expect(await page.textContent('[data-testid=queue-partial]')).toContain('待审核的申请超过 2000 件');
    expect(served).toBe(2000);
    expect(await page.locator('[data-testid=claims] tbody tr').count()).toBe(2000);
    // Oldest first, as the queue promises.
    expect(await page.textContent('[data-testid=claims] tbody tr:first-child')).toContain('2026-01-15');
    await page.close();
  });

  it('finds a member by ID number (masked), shows cap used/remaining, corrects name and phone, keeps the history', async () => {
    const page = await signIn('unit_admin', 'f-unit');
    await page.goto(`${rig.stack.url}/console/#/members`);
    const form = page.locator('[data-testid=lookup]');
    // A mistyped number: the field says so, in Chinese.
    await form.locator('input[name=idNumber]').fill('12345');
    await form.locator('button').click();
    await form.locator('[data-field=idNumber] .field-error').waitFor();
    expect(await form.locator('[data-field=idNumber] .field-error').textContent()).toMatch(CJK);
    await form.locator('input[name=idNumber]').fill(zhang);
    await form.locator('button').click();
    await form.locator(`a[href="#/enrolments/${ids.zhang}"]`).waitFor();
    expect(await form.textContent()).toContain('剩余');
    expect(await page.textContent('main')).not.toContain(zhang);
    await shots(page, 'flow-05-lookup');
    await form.locator(`a[href="#/enrolments/${ids.zhang}"]`).click();
    await page.waitForSelector('[data-testid=enrolment]');
    const h1 = (await page.textContent('main h1'))!;
    expect(h1).toContain('张三');
    expect(h1).toContain(`${zhang.slice(0, 3)}`);
    expect(h1).not.toContain(zhang);
    const facts = (await page.textContent('[data-testid=enrolment]'))!;
    // 1 share of the example plan: cap 30,000 元, nothing used yet.
    expect(facts).toContain('30,000.00 元 / 0.00 元 / 30,000.00 元');
    // A phone number that is not one: 400 under its field.
    const fix = page.locator('form:has(h2:text("更正录入错误"))');
    await fix.locator('input[name=phone]').fill('12345');
    await fix.locator('button').click();
    await fix.locator('[data-field=phone] .field-error').waitFor();
    expect(await fix.locator('[data-field=phone] .field-error').textContent()).toMatch(CJK);
    await fix.locator('input[name=name]').fill('张叁');
    await fix.locator('input[name=phone]').fill('13800138000');
    await fix.locator('button').click();
    await expect.poll(() => page.textContent('main h1'), POLL).toContain('张叁');
    await page.waitForSelector('ul.history >> text=更正信息');
    // The fields changed, in Chinese (the API lists them by name: "name, phone").
    expect(await page.textContent('ul.history')).toContain('：姓名、手机号');
    await shots(page, 'flow-06-enrolment-corrected');
    await page.close();
  });

  it('cancels an enrolment not yet in force; one in force is refused with ENROLMENT_IN_FORCE shown plainly', async () => {
    const page = await signIn('unit_admin', 'f-unit');
    acceptDialogs(page);
    await page.goto(`${rig.stack.url}/console/#/enrolments/${ids.zhang}`);
    await page.waitForSelector('[data-testid=enrolment]');
    const cancel = page.locator('form:has(h2:text("注销误登记"))');
    await cancel.locator('input[name=reason]').fill('录错了人');
    await cancel.locator('button').click();
    const problem = cancel.locator('.problem');
    await expect.poll(() => problem.getAttribute('data-code'), POLL).toBe('ENROLMENT_IN_FORCE');
    expect(await problem.textContent()).toContain('互助保障已于');
    await shots(page, 'flow-07-cancel-in-force');

    await page.goto(`${rig.stack.url}/console/#/enrolments/${ids.li}`);
    await page.waitForSelector('[data-testid=enrolment] >> text=有效');
    await page.locator('form:has(h2:text("注销误登记")) input[name=reason]').fill('重复登记');
    await page.locator('form:has(h2:text("注销误登记")) button').click();
    await page.waitForSelector('[data-testid=enrolment] >> text=已注销');
    await page.waitForSelector('ul.history >> text=注销');
    expect(await page.locator('form:has(h2:text("注销误登记"))').count()).toBe(0);
    await shots(page, 'flow-08-cancelled');
    await page.close();
  });

  it('files a lump-sum claim: the required documents and the explanation of benefits', async () => {
    const page = await signIn('unit_admin', 'f-unit');
    await page.goto(`${rig.stack.url}/console/#/claims/new?enrolmentId=${ids.wang}`);
    const form = page.locator('[data-testid=new-claim]');
    await form.locator('select[name=conditionCode] option[value=C01]').waitFor({ state: 'attached' });
    await form.locator('input[name=hospital]').fill('市肿瘤医院');
    // A diagnosis before coverage started: refused with its reason.
    await form.locator('input[name=diagnosisDate]').fill(addDays(today, -40));
    await form.locator('select[name=conditionCode]').selectOption('C01');
    await form.locator('button').click();
    await expect.poll(() => form.locator('.problem').getAttribute('data-code'), POLL).toBe('OUTSIDE_COVERAGE');
    expect(await form.locator('.problem').textContent()).toMatch(CJK);
    await form.locator('input[name=diagnosisDate]').fill(today);
    await form.locator('button').click();
    await page.waitForSelector('[data-testid=eob]');
    const eob = (await page.textContent('[data-testid=eob]'))!;
    expect(eob).toContain('互助金计算说明（预估）');
    // One share of 恶性肿瘤: 10 万元.
    expect(eob).toContain('100,000.00 元');
    for (const line of await page.locator('[data-testid=eob] li').allTextContents()) expect(line).toMatch(CJK);
    const required = page.locator('[data-testid=documents] .required li');
    expect(await required.allTextContents()).toEqual(['✗ 诊断证明（还缺）']);
    await page.click('text=提交审核');
    await expect.poll(() => page.locator('.problem').first().getAttribute('data-code'), POLL).toBe('DOCUMENTS_MISSING');
    // The field it names is shown by its Chinese label, not the API's path.
    expect(await page.locator('.problem').first().textContent()).toContain('申请材料：');
    expect(await page.locator('.problem').first().textContent()).not.toContain('documents');
    await shots(page, 'flow-09-lump-sum-claim');
    await page.close();
  });

  it('the report: its notes in Chinese, and a plain hint that a projection on no approved claims is thin', async () => {
    await localNightlyReport()(today);
    const page = await signIn('federation_admin', 'root');
    await page.goto(`${rig.stack.url}/console/#/report`);
    await page.waitForSelector('[data-testid=report] [data-testid=chart] rect');
    const text = (await page.textContent('[data-testid=report]'))!;
    expect(text).not.toMatch(/Figures are|exact counters|too little data/);
    expect(text).toContain('数据截至');
    const hint = page.locator('[data-testid=report] .card:has(h2:text("职工住院医疗互助（流程测试）")) [data-testid=projection-hint]');
    expect(await hint.textContent()).toContain('核准 0 件');
    await shots(page, 'flow-10-report');
    await page.close();
  });

  it('plan simulation for federation staff: actual and candidate figures side by side', async () => {
    const page = await signIn('federation_admin', 'root');
    await page.goto(`${rig.stack.url}/console/#/simulation`);
    await page.selectOption('main select >> nth=0', plan.id);
    const form = page.locator('form:has(h2:text("候选规则"))');
    await form.locator('input[name=price]').fill('60');
    await form.locator('button').click();
    const table = page.locator('[data-testid=simulation]');
    await table.waitFor();
    expect(await table.locator('thead th').allTextContents()).toEqual(['', '实际', '候选规则', '差额']);
    const contributions = await table.locator('tbody tr >> nth=0').locator('td').allTextContents();
    // Every enrolment of the plan so far is 1 share: 50 元 actual, 60 元 a share in the candidate.
    const actual = Number(contributions[1]!.replace(/[^\d.]/g, ''));
    const candidate = Number(contributions[2]!.replace(/[^\d.]/g, ''));
    expect(actual).toBeGreaterThan(0);
    expect(candidate * 50).toBe(actual * 60);
    await shots(page, 'flow-11-simulation');
    await page.close();
    // Office staff have no such page.
    const staff = await signIn('office_staff', 'f-office');
    await staff.goto(`${rig.stack.url}/console/#/simulation`);
    await staff.waitForSelector('main >> text=您的角色不能使用这个页面。');
    await staff.close();
  });

  it('evaluations: computed by one person, approval by the same refused (SAME_PERSON) and by another accepted, then paid out', async () => {
    const maker = await signInAs('federation_admin', 'root', 'fed-maker');
    await maker.goto(`${rig.stack.url}/console/#/evaluations`);
    const create = maker.locator('form:has(h2:text("计算考核"))');
    await create.locator('input[name=checkpointId]').fill('no-such-checkpoint');
    await create.locator('button').click();
    await expect.poll(() => create.locator('.problem').getAttribute('data-code'), POLL).toBe('CHECKPOINT_UNKNOWN');
    await create.locator('input[name=checkpointId]').fill('console-check');
    await create.locator('button').click();
    await maker.waitForSelector('[data-testid=evaluation-rows]');
    const id = maker.url().split('#/evaluations/')[1]!;
    expect(await maker.textContent('main h1')).toContain('草稿');
    expect(await maker.locator('[data-testid=evaluation-rows] tbody tr').count()).toBeGreaterThan(0);
    await maker.click('text=批准（须由计算人以外的人批准）');
    const problem = maker.locator('main .problem');
    await expect.poll(() => problem.getAttribute('data-code'), POLL).toBe('SAME_PERSON');
    expect(await problem.textContent()).toMatch(CJK);
    await shots(maker, 'flow-12-evaluation-same-person');
    await maker.close();

    const checker = await signInAs('federation_admin', 'root', 'fed-checker');
    await checker.goto(`${rig.stack.url}/console/#/evaluations/${id}`);
    await checker.click('text=批准（须由计算人以外的人批准）');
    await expect.poll(() => checker.textContent('main h1'), POLL).toContain('已批准');
    const pay = checker.locator('form:has(h2:text("兑现奖励"))');
    await pay.locator('input[name=reference]').fill('奖励兑现-控制台');
    await pay.locator('button').click();
    await expect.poll(() => checker.textContent('main h1'), POLL).toContain('已兑现');
    expect(await checker.textContent('[data-testid=evaluation-people]')).toBe(
      `计算人 fed-maker，批准人 fed-checker；${today} 兑现，凭证号 奖励兑现-控制台`,
    );
    await shots(checker, 'flow-13-evaluation-paid');
    await checker.close();
  });
});
