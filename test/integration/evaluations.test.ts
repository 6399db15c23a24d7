import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { download } from '../support/claims';
import { fixedClock } from '../../shared/clock';
import { EVALUATION_CSV_HEADERS } from '../../shared/evaluation/csv';
import { generateReport } from '../../shared/report/generate';
import { ReportLocked } from '../../shared/store/errors';
import { examplePlan } from '../support/examplePlan';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';

/**
 * Evaluations and rewards end to end (SPEC §4.5) against DynamoDB Local and
 * s3rver, on a table of their own (an evaluation covers the whole tree).
 * Every expected figure below is worked by hand from the enrolments made here
 * (50 元 = 5,000 fen a share).
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
let fed2: Record<string, string>;
/** The live evaluation of the half-year checkpoint, as the steps below leave it. */
let first: any;
const DATE = '2026-06-30';
const ids = { A: 'ev-off-a', B: 'ev-off-b', a1: 'ev-a1', a2: 'ev-a2', b1: 'ev-b1' };
const plan = examplePlan(2026, { id: 'ev-p2026', name: '2026年度住院医疗互助' });
const other = examplePlan(2026, { id: 'ev-other', name: '不计入考核的方案' });
const july = fixedClock('2026-07-02T04:00:00Z');
const RULES = {
  planIds: [plan.id],
  checkpoints: [
    { id: 'half-year', date: DATE, requiredCompletionPermille: 500 },
    { id: 'year-end', date: '2026-12-31', requiredCompletionPermille: 1000 },
  ],
  rewardRatePermille: 100,
  tiers: [
    { minCompletionPermille: 500, multiplierPermille: 800 },
    { minCompletionPermille: 1000, multiplierPermille: 1000 },
  ],
};

const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body?.code ?? ''}`.trim();
const call = (route: Parameters<typeof s.call>[0], c: Parameters<typeof s.call>[1] = {}) => s.call(route, { clock: july, ...c });
const putRules = (body: unknown, claims = fed, year = '2026') => call('putEvaluationRules', { params: { year }, body, claims });
const create = (body: unknown = { year: 2026, checkpointId: 'half-year' }, claims = fed, headers?: Record<string, string>) =>
  call('createEvaluation', { body, claims, ...(headers ? { headers } : {}) });
const approve = (id: string, claims = fed2) => call('approveEvaluation', { params: { id }, claims });
const payout = (id: string, body: unknown = { paidDate: '2026-07-01', reference: '奖励兑现-2026-01' }, claims = fed) =>
  call('payoutEvaluation', { params: { id }, body, claims });
const get = (id: string, claims: Record<string, string>) => call('getEvaluation', { params: { id }, claims });

beforeAll(async () => {
  s = await isolatedStore('eval');
  fed = as('federation_admin', s.rootId, 'fed-maker');
  fed2 = as('federation_admin', s.rootId, 'fed-checker');
  const org = async (id: string, name: string, kind: string, parentId: string, headcount?: number) => {
    const r = await s.call('createOrg', { body: { id, name, kind, parentId, ...(headcount ? { headcount } : {}) }, claims: fed });
    expect(r.status, r.text).toBe(201);
  };
  await org(ids.A, '东城区办事处', 'office', s.rootId);
  await org(ids.B, '西城区办事处', 'office', s.rootId);
  await org(ids.a1, '机床厂工会', 'unit', ids.A, 100);
  await org(ids.a2, '纺织厂工会', 'unit', ids.A, 50);
  await org(ids.b1, '钢铁厂工会', 'unit', ids.B, 30);
  for (const [id, n, by] of [
    [ids.A, 10, fed],
    [ids.B, 4, fed],
    [ids.a1, 6, as('office_staff', ids.A)],
    [ids.a2, 4, as('office_staff', ids.A)],
  ] as const) {
    const r = await s.call('putTarget', { params: { id, year: '2026' }, body: { enrolmentTarget: n }, claims: by });
    expect(r.status, r.text).toBe(200);
  }
  for (const p of [plan, other]) expect((await s.call('createPlan', { body: p, claims: fed })).status).toBe(201);
  const enrol = async (unitId: string, planId: string, n: number, shares: number, from: number) => {
    const members = people(n, from).map((m) => ({ ...m, shares }));
    const r = await s.call('enrolMembers', { params: { unitId }, body: { planId, members }, claims: fed });
    expect([r.status, r.body.accepted], r.text).toEqual([200, n]);
  };
  // a1: 4 × 1 share = 20,000 fen; a2: 2 × 2 shares = 20,000; b1: 3 × 1 = 15,000; 5 in a2 under a plan outside the rules.
  await enrol(ids.a1, plan.id, 4, 1, 1970);
  await enrol(ids.a2, plan.id, 2, 2, 1975);
  await enrol(ids.b1, plan.id, 3, 1, 1980);
  await enrol(ids.a2, other.id, 5, 3, 1985);
});

describe('PUT /evaluation-rules/{year}', () => {
  it('stores the rules (200) and refuses bad ones (400), strangers (401) and other roles (403)', async () => {
    const r = await putRules(RULES);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ year: 2026, ...RULES, updatedBy: 'fed-maker', locked: false });
    const descending = await putRules({ ...RULES, tiers: [...RULES.tiers].reverse() });
    expect(code(descending)).toBe('400 VALIDATION_FAILED');
    expect(descending.body.errors.map((e: { path: string }) => e.path)).toContain('body.tiers.1.minCompletionPermille');
    const otherYear = await putRules({ ...RULES, checkpoints: [{ id: 'q4', date: '2025-12-31', requiredCompletionPermille: 1 }] });
    expect(otherYear.body.errors).toEqual([{ path: 'body.checkpoints.0.date', message: expect.any(String) }]);
    expect(code(await putRules({ ...RULES, rewardRatePermille: -1 }))).toBe('400 VALIDATION_FAILED');
    expect((await call('putEvaluationRules', { params: { year: '2026' }, body: RULES })).status).toBe(401);
    expect(code(await putRules(RULES, as('office_staff', ids.A)))).toBe('403 FORBIDDEN');
  });
});

describe('POST /evaluations', () => {
  it('refuses without rules (422), an unknown checkpoint (422), a date without a report (409 REPORT_MISSING), other roles (403)', async () => {
    expect(code(await create({ year: 2027, checkpointId: 'half-year' }))).toBe('422 RULES_MISSING');
    expect(code(await create({ year: 2026, checkpointId: 'q3' }))).toBe('422 CHECKPOINT_UNKNOWN');
    expect(code(await create({ year: 2026, checkpointId: 'half-year' }))).toBe('409 REPORT_MISSING');
    expect(code(await create({ year: 2026 }))).toBe('400 VALIDATION_FAILED');
    expect(code(await create(undefined, as('office_staff', ids.A)))).toBe('403 FORBIDDEN');
    expect((await call('createEvaluation', { body: { year: 2026, checkpointId: 'half-year' } })).status).toBe(401);
  });

  it('computes a draft from the stored report (figures worked by hand) and locks that report', async () => {
    await generateReport(s.deps(fixedClock('2026-06-30T18:00:05Z')), DATE);
    const r = await create();
    expect(r.status, r.text).toBe(201);
    expect(r.headers.location).toBe(`/evaluations/${r.body.evaluationId}`);
    first = r.body;
    expect(first).toMatchObject({ year: 2026, checkpointId: 'half-year', date: DATE, status: 'draft', createdBy: 'fed-maker' });
    const row = (id: string) => first.rows.find((x: any) => x.orgId === id);
    expect(first.rows.map((x: any) => x.orgId).sort()).toEqual(Object.values(ids).sort());
    // a1: 4 of 6 → floor(4000/6) = 666 ‰ ≥ 500, tier 800 ‰; 20,000 × 100 × 800 / 1e6 = 1,600 fen.
    expect(row(ids.a1)).toMatchObject({
      enrolled: 4,
      target: 6,
      completionPermille: 666,
      requiredCompletionPermille: 500,
      passed: true,
      contributionsFen: 20_000,
      multiplierPermille: 800,
      rewardFen: 1600,
      rank: 1,
    });
    // a2: 2 of 4 → 500 ‰ (exactly the requirement); the other plan's 5 members do not count. 20,000 fen → 1,600.
    expect(row(ids.a2)).toMatchObject({
      enrolled: 2,
      completionPermille: 500,
      passed: true,
      contributionsFen: 20_000,
      rewardFen: 1600,
      rank: 2,
    });
    // b1: no target → no completion, not passed, nothing.
    expect(row(ids.b1)).toMatchObject({
      enrolled: 3,
      target: null,
      completionPermille: null,
      passed: false,
      multiplierPermille: 0,
      rewardFen: 0,
      rank: null,
    });
    // A: 6 of 10 → 600 ‰; 40,000 × 100 × 800 / 1e6 = 3,200. B: 3 of 4 → 750 ‰; 15,000 → 1,200. Offices rank B 1, A 2.
    expect(row(ids.A)).toMatchObject({
      kind: 'office',
      enrolled: 6,
      completionPermille: 600,
      contributionsFen: 40_000,
      rewardFen: 3200,
      rank: 2,
    });
    expect(row(ids.B)).toMatchObject({ enrolled: 3, completionPermille: 750, rewardFen: 1200, rank: 1 });
    // 1,600 + 1,600 + 3,200 + 1,200 = 7,600
    expect(first.totalRewardFen).toBe(7600);
    // The report of the date is locked: a re-run is refused.
    await expect(generateReport(s.deps(fixedClock('2026-07-02T18:00:05Z')), DATE)).rejects.toBeInstanceOf(ReportLocked);
  });

  it('a new draft of the same checkpoint replaces the draft (the old one is gone)', async () => {
    const r = await create();
    expect(r.status, r.text).toBe(201);
    expect(r.body.evaluationId).not.toBe(first.evaluationId);
    expect(r.body.totalRewardFen).toBe(7600);
    expect(code(await get(first.evaluationId, fed))).toBe('404 NOT_FOUND');
    const list = await call('listEvaluations', { query: { year: 2026 }, claims: fed });
    expect(list.body.items.map((e: any) => e.evaluationId)).toEqual([r.body.evaluationId]);
    first = r.body;
  });

  it('honours an Idempotency-Key: the retry answers the first response and replaces nothing', async () => {
    const key = { 'idempotency-key': 'eval-key-1' };
    const a = await create(undefined, fed, key);
    const b = await create(undefined, fed, key);
    expect(a.status, a.text).toBe(201);
    expect([b.status, b.body.evaluationId]).toEqual([201, a.body.evaluationId]);
    expect((await get(a.body.evaluationId, fed)).status).toBe(200);
    expect(code(await create({ year: 2026, checkpointId: 'year-end' }, fed, key))).toBe('422 IDEMPOTENCY_KEY_REUSED');
    first = a.body;
  });
});

describe('approve and payout', () => {
  it('refuses a payout of a draft (409 INVALID_STATE) and an approval by its maker (403 SAME_PERSON)', async () => {
    expect(code(await payout(first.evaluationId))).toBe('409 INVALID_STATE');
    expect(code(await approve(first.evaluationId, fed))).toBe('403 SAME_PERSON');
    expect(code(await approve(first.evaluationId, as('office_staff', ids.A)))).toBe('403 FORBIDDEN');
    expect(code(await approve('01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBe('404 NOT_FOUND');
    expect(code(await approve('nope'))).toBe('400 VALIDATION_FAILED');
    expect((await call('approveEvaluation', { params: { id: first.evaluationId } })).status).toBe(401);
  });

  it('approves (four eyes), then locks the rules and refuses a replacement; a second approval is 409', async () => {
    const r = await approve(first.evaluationId);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'approved', approvedBy: 'fed-checker', totalRewardFen: 7600 });
    expect(code(await approve(first.evaluationId))).toBe('409 INVALID_STATE');
    expect(code(await putRules(RULES))).toBe('409 RULES_LOCKED');
    expect(code(await create())).toBe('409 EVALUATION_APPROVED');
    expect((await get(first.evaluationId, fed)).body.status).toBe('approved');
  });

  it('pays out (兑现) once: then 409 INVALID_STATE; a bad body is 400, a future date 422', async () => {
    expect(code(await payout(first.evaluationId, { paidDate: '2026-07-01' }))).toBe('400 VALIDATION_FAILED');
    expect(code(await payout(first.evaluationId, { paidDate: '2026-07-03', reference: 'x' }))).toBe('422 PAID_DATE_IN_FUTURE');
    expect(code(await payout(first.evaluationId, undefined, as('unit_admin', ids.a1)))).toBe('403 FORBIDDEN');
    const r = await payout(first.evaluationId);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({ status: 'paid', paidDate: '2026-07-01', reference: '奖励兑现-2026-01', paidBy: 'fed-maker' });
    expect(code(await payout(first.evaluationId))).toBe('409 INVALID_STATE');
    expect(code(await payout('01ARZ3NDEKTSV4RRFFQ69G5FAV'))).toBe('404 NOT_FOUND');
  });
});

describe('scoped reads', () => {
  it("cuts GET /evaluations/{id} to the caller's subtree, CSV included (BOM, Chinese headers, 元 and %)", async () => {
    const office = await get(first.evaluationId, as('office_staff', ids.A));
    expect(office.status, office.text).toBe(200);
    expect(office.body.rows.map((x: any) => x.orgId)).toEqual(
      [ids.A, ids.a1, ids.a2].filter((id) => office.body.rows.some((x: any) => x.orgId === id)),
    );
    expect(office.body.rows.map((x: any) => x.orgId).sort()).toEqual([ids.A, ids.a1, ids.a2].sort());
    // 3,200 + 1,600 + 1,600
    expect(office.body).toMatchObject({ orgId: ids.A, totalRewardFen: 6400, status: 'paid' });
    const csv = await download(office.body.links.csv);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const table: string[][] = parse(csv.subarray(3).toString('utf8'));
    expect(table[0]).toEqual([...EVALUATION_CSV_HEADERS]);
    const at = (h: string) => EVALUATION_CSV_HEADERS.indexOf(h);
    const a1 = table.find((row) => row[at('组织编号')] === ids.a1)!;
    expect([a1[at('完成率')], a1[at('缴费合计(元)')], a1[at('奖励金额(元)')], a1[at('状态')]]).toEqual([
      '66.6%',
      '200.00',
      '16.00',
      '已兑现',
    ]);
    expect(table.some((row) => row[at('组织编号')] === ids.b1 || row[at('组织编号')] === ids.B)).toBe(false);
    expect(table.at(-1)![at('奖励金额(元)')]).toBe('64.00');

    const unit = await get(first.evaluationId, as('unit_admin', ids.b1));
    expect(unit.body.rows.map((x: any) => x.orgId)).toEqual([ids.b1]);
    expect(unit.body.totalRewardFen).toBe(0);
    const unitCsv = parse((await download(unit.body.links.csv)).subarray(3).toString('utf8')) as string[][];
    expect(unitCsv.slice(1, -1).map((row) => row[at('组织编号')])).toEqual([ids.b1]);

    expect(code(await get('01ARZ3NDEKTSV4RRFFQ69G5FAV', fed))).toBe('404 NOT_FOUND');
    expect(code(await get('nope', fed))).toBe('400 VALIDATION_FAILED');
    expect((await call('getEvaluation', { params: { id: first.evaluationId } })).status).toBe(401);
  });

  it('GET /evaluations?year= lists the cut totals; year is required (400), a token too (401)', async () => {
    const r = await call('listEvaluations', { query: { year: 2026 }, claims: as('office_staff', ids.B) });
    expect(r.status, r.text).toBe(200);
    // B: 1,200; b1: 0.
    expect(r.body.items).toEqual([
      expect.objectContaining({ evaluationId: first.evaluationId, orgId: ids.B, totalRewardFen: 1200, status: 'paid' }),
    ]);
    expect(r.body.items[0].rows).toBeUndefined();
    expect(r.body.nextCursor).toBeNull();
    expect((await call('listEvaluations', { query: { year: 2027 }, claims: fed })).body.items).toEqual([]);
    expect(code(await call('listEvaluations', { query: {}, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect((await call('listEvaluations', { query: { year: 2026 } })).status).toBe(401);
  });
});

describe('rewards paid in the nightly report (issue 16)', () => {
  it('shows an evaluation paid on or before the date per node and in total; one paid after the date does not show', async () => {
    // The half-year evaluation was paid out on 2026-07-01 (above): 7,600 fen in all.
    const after = await generateReport(s.deps(july), '2026-07-01');
    expect(after.date).toBe('2026-07-01');
    const before = await generateReport(s.deps(july), '2026-06-29');
    expect(before.date).toBe('2026-06-29');

    const got = (date: string, claims: Record<string, string>) => call('getReport', { params: { date }, claims });
    const shown = await got('2026-07-01', fed);
    expect(shown.status, shown.text).toBe(200);
    const own = (r: any, id: string) => r.body.rewards.nodes.find((n: any) => n.orgId === id)?.rewardsPaidFen;
    expect(shown.body.rewards).toMatchObject({ from: '2026-01-01', to: '2026-07-01', evaluationIds: [first.evaluationId], totalFen: 7600 });
    // Each node its own reward, not its subtree's: A 3,200 (not 3,200 + 1,600 + 1,600); the root, not evaluated, 0.
    expect([ids.a1, ids.a2, ids.b1, ids.A, ids.B, s.rootId].map((id) => own(shown, id))).toEqual([1600, 1600, 0, 3200, 1200, 0]);
    // A cut: the office's subtree and its total (3,200 + 1,600 + 1,600).
    const office = await got('2026-07-01', as('office_staff', ids.A));
    expect(office.body.rewards.nodes.map((n: any) => n.orgId)).toEqual([ids.A, ids.a1, ids.a2]);
    expect(office.body.rewards.totalFen).toBe(6400);
    // The CSV column (元, like the file's other money columns) and the HTML section.
    const table: string[][] = parse((await download(shown.body.links.csv)).subarray(3).toString('utf8'));
    const col = table[0]!.indexOf('本年已兑现奖励(元,本组织,不分方案)');
    expect(col).toBeGreaterThan(0);
    const orgCol = table[0]!.indexOf('组织编号');
    const planCol = table[0]!.indexOf('方案编号');
    const rowOf = (org: string) => table.find((r) => r[orgCol] === org && r[planCol] === plan.id)!;
    expect([rowOf(ids.A)[col], rowOf(ids.a1)[col], rowOf(ids.b1)[col]]).toEqual(['32.00', '16.00', '0.00']);
    const html = (await download(shown.body.links.html)).toString('utf8');
    expect(html).toContain('考核奖励兑现');
    expect(html).toContain('76.00 元');

    // Paid on 07-01: the report of 06-29 counts nothing, but still lists the nodes.
    const earlier = await got('2026-06-29', fed);
    expect(earlier.body.rewards).toMatchObject({ to: '2026-06-29', evaluationIds: [], totalFen: 0 });
    expect(own(earlier, ids.A)).toBe(0);
    const earlierCsv: string[][] = parse((await download(earlier.body.links.csv)).subarray(3).toString('utf8'));
    expect(earlierCsv.slice(1).every((r) => r[col] === '0.00')).toBe(true);
  });
});
