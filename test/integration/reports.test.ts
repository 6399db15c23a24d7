import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { download } from '../support/claims';
import { fixedClock } from '../../shared/clock';
import { examplePlan } from '../support/examplePlan';
import { limits } from '../../functions/getReport/handler';
import { localNightlyReport } from '../../infra/local/nightly';
import { makeHandler, reportDateFor } from '../../functions/nightlyReport/handler';
import { timeElapsedPermille } from '../../shared/domain/report';
import { getObjectStream, putObject } from '../../shared/objects/inspect';
import { objectKeys } from '../../shared/objects/keys';
import { REPORT_CSV_HEADERS } from '../../shared/report/csv';
import { generateReport, readStoredReport } from '../../shared/report/generate';
import { openSubmittedOn, unitPlanCounterAdd } from '../../shared/store/counters';
import { people } from '../support/fixtures';
import { as } from '../support/invoke';
import { isolatedStore } from '../support/isolated';
import { s3Of } from '../../shared/objects/client';

/**
 * The nightly report end to end (SPEC §5) against DynamoDB Local and s3rver,
 * on a table of its own (the report reads the whole tree). Enrolments go
 * through the API; claim counters are written directly, so every figure can
 * be chosen (the claims flow is reconciled in reconcile.test.ts).
 */
let s: Awaited<ReturnType<typeof isolatedStore>>;
let fed: Record<string, string>;
const DATE = '2026-06-30';
const ids = { A: 'rpt-off-a', B: 'rpt-off-b', a1: 'rpt-a1', a2: 'rpt-a2', b1: 'rpt-b1' };
const NAMES = { A: '东城区办事处', B: '西城区办事处', a1: '机床厂工会', a2: '纺织厂工会', b1: '钢铁厂工会' };
const plan = examplePlan(2026, { id: 'rpt-p2026', name: '2026年度住院医疗互助' });
const lastYear = examplePlan(2025, { id: 'rpt-p2025' });
const midYear = examplePlan(2026, {
  id: 'rpt-p2026h2',
  name: '2026下半年度互助',
  coverageStart: '2026-07-01',
  coverageEnd: '2027-06-30',
  enrolmentClose: '2026-06-30',
});

const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body?.code ?? ''}`.trim();
const nodesOf = (body: any, planId = plan.id) => body.plans.find((p: any) => p.planId === planId).nodes;
const byId = (body: any, id: string, planId = plan.id) => nodesOf(body, planId).find((n: any) => n.orgId === id);
const get = (date: string, claims: Record<string, string>, orgId?: string) =>
  s.call('getReport', { params: { date }, query: orgId ? { orgId } : {}, claims });

beforeAll(async () => {
  s = await isolatedStore('rpt');
  fed = as('federation_admin', s.rootId);
  const org = async (id: string, name: string, kind: string, parentId: string, headcount?: number) => {
    const r = await s.call('createOrg', { body: { id, name, kind, parentId, ...(headcount ? { headcount } : {}) }, claims: fed });
    expect(r.status, r.text).toBe(201);
  };
  await org(ids.A, NAMES.A, 'office', s.rootId);
  await org(ids.B, NAMES.B, 'office', s.rootId);
  await org(ids.a1, NAMES.a1, 'unit', ids.A, 100);
  await org(ids.a2, NAMES.a2, 'unit', ids.A, 50);
  await org(ids.b1, NAMES.b1, 'unit', ids.B, 30);
  // Each node's own target: the federation sets the offices', an office its units'. b1 has none.
  for (const [id, n, by] of [
    [ids.A, 10, fed],
    [ids.B, 4, fed],
    [ids.a1, 6, as('office_staff', ids.A)],
    [ids.a2, 4, as('office_staff', ids.A)],
  ] as const) {
    const r = await s.call('putTarget', { params: { id, year: '2026' }, body: { enrolmentTarget: n }, claims: by });
    expect(r.status, r.text).toBe(200);
  }
  for (const p of [plan, lastYear, midYear]) expect((await s.call('createPlan', { body: p, claims: fed })).status).toBe(201);
  const enrol = async (unitId: string, n: number, shares = 1) => {
    const members = people(n).map((m) => ({ ...m, shares }));
    const r = await s.call('enrolMembers', { params: { unitId }, body: { planId: plan.id, members }, claims: fed });
    expect([r.status, r.body.accepted], r.text).toEqual([200, n]);
  };
  await enrol(ids.a1, 4);
  await enrol(ids.a2, 2, 2);
  await enrol(ids.b1, 3);
  // Claim counters as the claims code moves them: a1 has an open claim submitted 60 days before DATE (overdue), b1 one of 10 days.
  const deps = s.deps();
  const add = (unit: string, path: string[], delta: Record<string, number>) =>
    deps.db.send(
      new TransactWriteCommand({
        TransactItems: [unitPlanCounterAdd(s.config.tableName, { id: unit, path }, plan.id, '2026-06-20', 3, delta)],
      }),
    );
  await add(ids.a1, [s.rootId, ids.A, ids.a1], {
    claimsSubmitted: 3,
    claimsApproved: 2,
    claimsPaid: 1,
    benefitsApprovedFen: 300_000,
    benefitsPaidFen: 100_000,
    paidDaysTotal: 12,
    [openSubmittedOn('2026-05-01')]: 1,
  });
  await add(ids.b1, [s.rootId, ids.B, ids.b1], { claimsSubmitted: 1, [openSubmittedOn('2026-06-20')]: 1 });
  await generateReport(s.deps(fixedClock('2026-06-30T18:00:05Z')), DATE);
}, 60_000);

describe('GET /reports/{date}: the roll-up (SPEC §5)', () => {
  it('sums the subtree per node, with each node its own target, time elapsed for the date, ranks, and the whole-plan fund', async () => {
    const r = await get(DATE, fed);
    expect(r.status, r.text).toBe(200);
    expect(r.body).toMatchObject({
      date: DATE,
      generatedAt: '2026-06-30T18:00:05.000Z',
      asOf: '2026-06-30T18:00:05.000Z',
      orgId: s.rootId,
    });
    expect(r.body.asOfNote).toContain('数据截至');
    // Only plans whose coverage contains the date: not last year's, not the one starting 1 July.
    expect(r.body.plans.map((p: any) => p.planId)).toEqual([plan.id]);
    const elapsed = Math.floor((181 * 1000) / 365); // 30 June = day 181 of 2026
    expect(timeElapsedPermille(DATE)).toBe(elapsed);
    // Parents before children, children by id.
    expect(nodesOf(r.body).map((n: any) => n.orgId)).toEqual([s.rootId, ids.A, ids.a1, ids.a2, ids.B, ids.b1]);
    const pick = (n: any) => [
      n.enrolled,
      n.target,
      n.completionPermille,
      n.onTrack,
      n.headcount,
      n.participationPermille,
      n.contributionsFen,
      n.rank,
    ];
    expect(pick(byId(r.body, ids.a1))).toEqual([4, 6, 666, true, 100, 40, 20_000, 1]);
    expect(pick(byId(r.body, ids.a2))).toEqual([2, 4, 500, true, 50, 40, 20_000, 2]);
    expect(pick(byId(r.body, ids.b1))).toEqual([3, null, null, null, 30, 100, 15_000, undefined]);
    expect(pick(byId(r.body, ids.A))).toEqual([6, 10, 600, true, 150, 40, 40_000, undefined]);
    expect(pick(byId(r.body, ids.B))).toEqual([3, 4, 750, true, 30, 100, 15_000, undefined]);
    expect(pick(byId(r.body, s.rootId))).toEqual([9, null, null, null, 180, 50, 55_000, undefined]);
    for (const n of nodesOf(r.body)) expect(n.timeElapsedPermille).toBe(elapsed);
    // Claims roll up too; without co-funding recorded the worker pays it all; minimum participation reads 0 / false until its issue.
    expect(byId(r.body, s.rootId)).toMatchObject({
      claimsSubmitted: 4,
      claimsApproved: 2,
      claimsPaid: 1,
      claimsRejected: 0,
      benefitsApprovedFen: 300_000,
      benefitsPaidFen: 100_000,
      overdueClaims: 1,
      avgDaysToPay: 12,
      lossRatioPermille: Math.floor((300_000 * 1000) / 55_000),
      contributionsAdministrationFen: 0,
      contributionsUnionFen: 0,
      contributionsWorkerFen: 55_000,
      belowMinParticipation: 0,
    });
    expect(byId(r.body, ids.B)).toMatchObject({ claimsSubmitted: 1, overdueClaims: 0, avgDaysToPay: null, lossRatioPermille: 0 });
    expect(byId(r.body, ids.b1).belowMinParticipation).toBe(false);
    const loss = Math.floor((300_000 * 1000) / 55_000);
    expect(r.body.plans[0]).toMatchObject({
      contributionsFen: 55_000,
      benefitsApprovedFen: 300_000,
      poolFen: -245_000,
      lossRatioPermille: loss,
      projectedLossRatioPermille: Math.floor((loss * 365) / 181),
      alert: true,
    });
  });

  it('says in Chinese what the figures mean and that a projection on 2 claims is thin; English with Accept-Language: en', async () => {
    const ENGLISH = /Figures are|exact counters|too little data/;
    const r = await get(DATE, fed);
    expect(r.body.asOfNote).toContain('北京时间');
    expect(r.body.asOfNote).not.toMatch(ENGLISH);
    // 2 approved claims over 181 days: fewer than 10 claims, so the projection is flagged, with its figures.
    expect(r.body.plans[0].projectionBasis).toEqual({ approvedClaims: 2, elapsedDays: 181, sufficient: false });
    expect(r.body.plans[0].projectionNote).toContain('核准 2 件、保障期已过 181 天');
    expect(r.body.plans[0].projectionNote).toContain('仅供参考');
    const en = await s.call('getReport', { params: { date: DATE }, query: {}, claims: fed, headers: { 'accept-language': 'en' } });
    expect(en.body.asOfNote).toMatch(/^Figures are the exact counters/);
    expect(en.body.plans[0].projectionNote).toMatch(/too little data \(2 approved claim\(s\), 181 day\(s\)/);
    // The stored files: report.json and report.html in Chinese, the hint beside the fund.
    const json = JSON.parse((await download(r.body.links.json)).toString('utf8'));
    expect(json.asOfNote).toBe(r.body.asOfNote);
    const html = (await download(r.body.links.html)).toString('utf8');
    expect(html).not.toMatch(ENGLISH);
    expect(html).toContain('数据截至');
    expect(html).toContain('data-hint="projection"');
    expect(html).toContain('预计全期赔付率的依据还太少');
  });

  it('a report stored before the notes were catalogued (English note, no basis) answers in Chinese, without a hint', async () => {
    const deps = s.deps();
    const index = (await deps.reports.getIndex(DATE))!;
    const stored = await readStoredReport(deps, index.files.json);
    const { projectionBasis: _b, projectionNote: _n, ...oldPlan } = stored.plans[0] as any;
    const old = {
      ...stored,
      asOfNote: 'Figures are the exact counters as recorded up to the end of date (Asia/Shanghai), whenever the report ran.',
      plans: [oldPlan],
    };
    await putObject(s3Of(deps), s.config.bucketName, index.files.json, JSON.stringify(old), 'application/json; charset=utf-8');
    try {
      const r = await get(DATE, fed);
      expect(r.status, r.text).toBe(200);
      expect(r.body.asOfNote).not.toMatch(/Figures are/);
      expect(r.body.asOfNote).toContain('北京时间');
      expect(r.body.plans[0].projectionNote).toBeNull();
      expect(r.body.plans[0].projectionBasis).toBeUndefined();
    } finally {
      await putObject(s3Of(deps), s.config.bucketName, index.files.json, JSON.stringify(stored), 'application/json; charset=utf-8');
    }
  });

  it('a plan that starts mid-year appears from its first day, with its own elapsed days for the projection', async () => {
    await generateReport(s.deps(fixedClock('2026-07-01T18:00:00Z')), '2026-07-01');
    const r = await get('2026-07-01', fed);
    expect(r.body.plans.map((p: any) => p.planId)).toEqual([plan.id, midYear.id]);
    const h2 = r.body.plans[1];
    // No contributions: no projection, so no hint either.
    expect(h2).toMatchObject({
      contributionsFen: 0,
      lossRatioPermille: null,
      projectedLossRatioPermille: null,
      alert: false,
      projectionNote: null,
    });
    expect(nodesOf(r.body, midYear.id).map((n: any) => n.enrolled)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(byId(r.body, ids.a1, midYear.id).timeElapsedPermille).toBe(Math.floor((182 * 1000) / 365));
  });

  it('reads only counters, the org tree, targets and plans: never an enrolment or a claim', async () => {
    const sent: Array<{ name: string; input: any }> = [];
    const deps = s.deps(fixedClock('2026-06-30T18:00:00Z'));
    deps.db.middlewareStack.add(
      (next, ctx) => async (args) => {
        sent.push({ name: ctx.commandName as string, input: args.input });
        return next(args);
      },
      { step: 'initialize', name: 'spy' },
    );
    try {
      await generateReport(deps, DATE);
    } finally {
      // The document client shares its middleware stack with the file's one DynamoDB client.
      deps.db.middlewareStack.remove('spy');
    }
    const queried = sent
      .filter((c) => c.name === 'QueryCommand')
      .map((c) => `${c.input.IndexName} ${c.input.ExpressionAttributeValues[':p']}`);
    // Per plan: its latest snapshot's marker, then that snapshot (the date's own, written by the first run: no bucket to add).
    // Plus the evaluations of the date's year and the year before (rewards paid, shared/domain/rewards.ts): none paid here, so no S3 read.
    expect(queried.sort()).toEqual([
      'gsi1 EVALS#2025',
      'gsi1 EVALS#2026',
      'gsi1 PLANS',
      'gsi1 TARGETS#2026',
      `gsi2 COUNTSNAP#${plan.id}#${DATE}`,
      'gsi2 ORGS',
      `undefined PLAN#${plan.id}`,
    ]);
    // The lock check (GetItem), seven Queries and the index item's Put; no Scan, no per-unit read.
    expect(sent.map((c) => c.name).sort()).toEqual([
      'GetItemCommand',
      'PutItemCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
    ]);
  });
});

describe('GET /reports/{date}: scope and files', () => {
  it('an office gets its subtree only, the fund still whole-plan; its files hold that subtree only', async () => {
    const staffA = as('office_staff', ids.A);
    const r = await get(DATE, staffA);
    expect(r.status, r.text).toBe(200);
    expect(r.body.orgId).toBe(ids.A);
    expect(nodesOf(r.body).map((n: any) => n.orgId)).toEqual([ids.A, ids.a1, ids.a2]);
    expect(r.body.plans[0]).toMatchObject({ contributionsFen: 55_000, poolFen: -245_000 });
    // Ranks stay those among all units of the plan.
    expect(byId(r.body, ids.a1).rank).toBe(1);

    const json = JSON.parse((await download(r.body.links.json)).toString('utf8'));
    const { orgId: _o, links: _l, ...rest } = r.body;
    expect(json).toEqual(rest);

    const csvBytes = await download(r.body.links.csv);
    expect([...csvBytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(csvBytes.toString('utf8'), { bom: true }) as string[][];
    expect(rows[0]).toEqual(REPORT_CSV_HEADERS);
    expect(rows[0]).toContain('完成率(%)');
    const orgCol = rows[0]!.indexOf('组织编号');
    expect(rows.slice(1).map((row) => [row[1], row[orgCol]])).toEqual([
      [plan.id, ids.A],
      [plan.id, ids.a1],
      [plan.id, ids.a2],
    ]);
    expect(rows[1]![rows[0]!.indexOf('组织名称')]).toBe(NAMES.A);

    const html = (await download(r.body.links.html)).toString('utf8');
    for (const n of [NAMES.A, NAMES.a1, NAMES.a2]) expect(html).toContain(n);
    for (const n of [NAMES.B, NAMES.b1]) expect(html).not.toContain(n);
    expect(html).toContain('<svg');
    // Links are presigned for at most 5 minutes and name the file; the keys hold ids only.
    const link = new URL(r.body.links.csv);
    expect(Number(link.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
    expect(link.searchParams.get('response-content-disposition')).toContain(`huzhu-report-${DATE}-${ids.A}.csv`);
    expect(link.pathname).toContain(objectKeys.report(DATE, ids.A, 'csv'));
  });

  it('a unit admin sees its unit only; other units and offices are 403', async () => {
    const clerk = as('unit_admin', ids.a2);
    const r = await get(DATE, clerk);
    expect(nodesOf(r.body).map((n: any) => n.orgId)).toEqual([ids.a2]);
    const rows = parse((await download(r.body.links.csv)).toString('utf8'), { bom: true }) as string[][];
    expect(rows).toHaveLength(2);
    expect(code(await get(DATE, clerk, ids.a1))).toBe('403 FORBIDDEN');
    expect(code(await get(DATE, clerk, ids.A))).toBe('403 FORBIDDEN');
    expect(code(await get(DATE, as('office_staff', ids.A), ids.B))).toBe('403 FORBIDDEN');
    expect(code(await get(DATE, as('office_staff', ids.A), s.rootId))).toBe('403 FORBIDDEN');
    // The federation may ask for any subtree.
    expect(nodesOf((await get(DATE, fed, ids.B)).body).map((n: any) => n.orgId)).toEqual([ids.B, ids.b1]);
  });

  it('unknown date → 404, malformed date or orgId → 400, unknown org → 404, no token → 401', async () => {
    expect(code(await get('2026-06-29', fed))).toBe('404 NOT_FOUND');
    expect(code(await s.call('getReport', { params: { date: '2026-02-30' }, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect(code(await s.call('getReport', { params: { date: '30.6.2026' }, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect(code(await get(DATE, fed, 'no/such'))).toBe('400 VALIDATION_FAILED');
    expect(code(await s.call('getReport', { params: { date: DATE }, query: { orgId: ids.A, extra: 1 }, claims: fed }))).toBe(
      '400 VALIDATION_FAILED',
    );
    expect(code(await get(DATE, fed, 'no-such-org'))).toBe('404 NOT_FOUND');
    expect((await s.call('getReport', { params: { date: DATE } })).status).toBe(401);
  });

  it('a cut is written once and reused, and made again after the date is re-run', async () => {
    const deps = s.deps();
    const staffB = as('office_staff', ids.B);
    const first = await get(DATE, staffB);
    const marker = await deps.reports.getCut(DATE, ids.B);
    expect(marker?.generatedAt).toBe(first.body.generatedAt);
    const again = await get(DATE, staffB);
    expect(again.body).toEqual({ ...first.body, links: again.body.links });
    expect(await deps.reports.getCut(DATE, ids.B)).toEqual(marker);

    await generateReport(s.deps(fixedClock('2026-07-02T01:00:00Z')), DATE);
    const rerun = await get(DATE, staffB);
    expect(rerun.body.generatedAt).toBe('2026-07-02T01:00:00.000Z');
    expect(JSON.parse((await download(rerun.body.links.json)).toString('utf8')).generatedAt).toBe('2026-07-02T01:00:00.000Z');
    expect((await deps.reports.getCut(DATE, ids.B))?.generatedAt).toBe('2026-07-02T01:00:00.000Z');
  });

  it('an org created after the report ran is in scope but not in it: its plans have no nodes', async () => {
    await s.call('createOrg', { body: { id: 'rpt-late', name: '新成立工会', kind: 'unit', parentId: ids.B, headcount: 5 }, claims: fed });
    const r = await get(DATE, as('unit_admin', 'rpt-late'));
    expect(r.status).toBe(200);
    expect(r.body.plans.map((p: any) => [p.planId, p.nodes.length, p.contributionsFen])).toEqual([[plan.id, 0, 55_000]]);
  });
});

describe('GET /reports/{date}: size', () => {
  it('?planId= narrows the answer; an answer too large for Lambda is 422 REPORT_TOO_LARGE, still with the links', async () => {
    const one = await s.call('getReport', { params: { date: '2026-07-01' }, query: { planId: midYear.id }, claims: fed });
    expect(one.body.plans.map((p: any) => p.planId)).toEqual([midYear.id]);
    const all = await s.call('getReport', { params: { date: '2026-07-01' }, claims: fed });
    const before = limits.maxAnswerBytes;
    limits.maxAnswerBytes = all.text.length - 1;
    try {
      const big = await s.call('getReport', { params: { date: '2026-07-01' }, claims: fed });
      expect(code(big)).toBe('422 REPORT_TOO_LARGE');
      expect(big.body.detail).toMatch(/links\.json/);
      expect(big.body.planIds).toEqual([plan.id, midYear.id]);
      const file = JSON.parse((await download(big.body.links.json)).toString('utf8'));
      expect(file.plans).toEqual(all.body.plans);
      // One plan fits.
      expect((await s.call('getReport', { params: { date: '2026-07-01' }, query: { planId: plan.id }, claims: fed })).status).toBe(200);
    } finally {
      limits.maxAnswerBytes = before;
    }
  });
});

describe('GET /reports', () => {
  it('lists dates newest first, to every role for an org in scope', async () => {
    const r = await s.call('listReports', { query: { limit: 2 }, claims: as('unit_admin', ids.a1) });
    expect(r.status, r.text).toBe(200);
    expect(r.body.items.map((i: any) => i.date)).toEqual(['2026-07-01', DATE]);
    expect(Object.keys(r.body.items[0]).sort()).toEqual(['asOf', 'date', 'generatedAt']);
    const next = await s.call('listReports', { query: { limit: 2, cursor: r.body.nextCursor }, claims: as('unit_admin', ids.a1) });
    expect(next.body.items).toEqual([]);
    expect(code(await s.call('listReports', { query: { orgId: ids.B }, claims: as('office_staff', ids.A) }))).toBe('403 FORBIDDEN');
    expect(code(await s.call('listReports', { query: { limit: 0 }, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect(code(await s.call('listReports', { query: { cursor: 'forged' }, claims: fed }))).toBe('400 VALIDATION_FAILED');
  });
});

describe('re-running a date', () => {
  it('replaces it identically apart from generatedAt and asOf (JSON, CSV, HTML)', async () => {
    const date = '2026-05-31';
    const files = async () => {
      const deps = s.deps();
      const index = (await deps.reports.getIndex(date, true))!;
      const raw = async (key: string) => {
        const chunks: Buffer[] = [];
        for await (const c of await getObjectStream(s3Of(deps), s.config.bucketName, key)) chunks.push(Buffer.from(c));
        return Buffer.concat(chunks);
      };
      return {
        index,
        json: await readStoredReport(deps, index.files.json),
        csv: await raw(index.files.csv),
        html: await raw(index.files.html),
      };
    };
    await generateReport(s.deps(fixedClock('2026-05-31T18:00:00Z')), date);
    const one = await files();
    await generateReport(s.deps(fixedClock('2026-06-15T09:30:00Z')), date);
    const two = await files();
    expect(two.json.generatedAt).toBe('2026-06-15T09:30:00.000Z');
    const strip = ({ generatedAt: _g, asOf: _a, ...rest }: { generatedAt: string; asOf: string }) => rest;
    expect(strip(two.json)).toEqual(strip(one.json));
    expect(strip(two.index)).toEqual(strip(one.index));
    expect(two.csv.equals(one.csv)).toBe(true);
    // The page prints both instants in Beijing time; nothing else differs.
    const times = (html: Buffer) => html.toString('utf8').replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）/g, 'T');
    expect(two.html.equals(one.html)).toBe(false);
    expect(times(two.html)).toBe(times(one.html));
  });
});

describe('the nightlyReport job', () => {
  it('reports the Shanghai day before the scheduled time; a repeated delivery replaces the same date', async () => {
    const run = makeHandler(() => s.deps(fixedClock('2026-04-01T18:00:09Z')));
    const scheduledTime = '2026-03-31T18:00:00Z'; // 2026-04-01 02:00 Shanghai
    expect(reportDateFor(scheduledTime)).toBe('2026-03-31');
    const a = await run({ scheduledTime });
    const b = await run({ scheduledTime });
    expect([a.date, b.date]).toEqual(['2026-03-31', '2026-03-31']);
    expect(a.files).toEqual(b.files);
    expect(a.files.json).toBe(objectKeys.report('2026-03-31', s.rootId, 'json'));
    expect((await s.deps().reports.getIndex('2026-03-31', true))?.planIds).toEqual([plan.id]);
    expect((await run({ date: '2026-01-01' })).date).toBe('2026-01-01');
  });

  it('the local stack runs the same code on its timer', async () => {
    await localNightlyReport(() => s.deps(fixedClock('2026-05-01T18:00:00Z')))('2026-04-30');
    expect((await s.deps().reports.getIndex('2026-04-30', true))?.files.json).toBe(objectKeys.report('2026-04-30', s.rootId, 'json'));
  });

  it('refuses an event it cannot run, without echoing it', async () => {
    const run = makeHandler(() => s.deps());
    for (const bad of [{}, { date: '2026-02-30' }, { scheduledTime: 'soon' }, null, 'x', { date: 20260101 }]) {
      await expect(run(bad)).rejects.toThrow(/expected \{ scheduledTime \} or \{ date \}/);
    }
    await expect(run({ date: '110105194912310021' })).rejects.not.toThrow(/110105194912310021/);
  });
});
