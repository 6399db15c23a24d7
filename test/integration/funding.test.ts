import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { LOOKUP_CONCURRENCY } from '../../shared/enrol/pipeline';
import { generateReport } from '../../shared/report/generate';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { examplePlan } from '../support/examplePlan';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { faultyStore, throttled } from '../support/faults';
import { as, invoke } from '../support/invoke';
import { isolatedStore } from '../support/isolated';
import { CSV, createImport, getImport, runJob, upload } from '../support/rosterImports';

/**
 * Who pays (SPEC §4.2, §4.3, §5; issue 15 parts 3–5): co-funding split by payer, the renewal discount, and
 * the participation minimum, against DynamoDB Local + s3rver. Worked figures: a 50 元 share, 40 元 for a
 * renewing member; the unit's administration pays 10 元 and its union 15 元 a share.
 */
const store = buildDeps();
const enrol = (unitId: string, body: unknown, clock = marchClock) =>
  invoke('enrolMembers', { params: { unitId }, body, claims: fed, deps: { clock } });
const enrolCsv = (unitId: string, query: Record<string, string>, csv: string) =>
  invoke('enrolMembers', {
    params: { unitId },
    query,
    raw: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
    claims: fed,
    deps: { clock: marchClock },
  });
const FIELDS = [
  'enrolled',
  'contributionsFen',
  'contributionsAdministrationFen',
  'contributionsUnionFen',
  'contributionsWorkerFen',
  'sharesNew',
  'sharesRenewal',
] as const;
const counts = async (unitId: string, planId: string) => {
  const c = (await readUnitPlanCounters(store.store, unitId, planId)) as Record<string, number | undefined>;
  return Object.fromEntries(FIELDS.map((f) => [f, c[f] ?? 0]));
};
const enrolment = async (id: string) => (await invoke('getEnrolment', { params: { id }, claims: fed })).body;
const FUNDING = { administrationPerShareFen: 1000, unionPerShareFen: 1500 };

let prev: Awaited<ReturnType<typeof createPlan>>;
let next: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  prev = await createPlan({
    coverageStart: '2025-01-01',
    coverageEnd: '2025-12-31',
    enrolmentOpen: '2024-12-01',
    enrolmentClose: '2025-06-30',
  });
  next = await createPlan({ predecessorPlanId: prev.id, renewalContributionPerShareFen: 4000, minUnitParticipationPermille: 600 });
  tree = await createTree(3);
});

describe('plans: renewalContributionPerShareFen and minUnitParticipationPermille (SPEC §4.2)', () => {
  it('are answered as sent; a renewal price above the full price or a minimum above 1000 ‰ is 400', async () => {
    const got = await invoke('getPlan', { params: { id: next.id }, claims: fed });
    expect(got.body).toMatchObject({
      contributionPerShareFen: 5000,
      renewalContributionPerShareFen: 4000,
      minUnitParticipationPermille: 600,
    });
    for (const over of [
      { renewalContributionPerShareFen: 5001 },
      { minUnitParticipationPermille: 1001 },
      { renewalContributionPerShareFen: 0 },
    ]) {
      const r = await invoke('createPlan', {
        body: { ...examplePlan(2026), id: `bad-${Object.keys(over)[0]!.slice(0, 20)}`, ...over },
        claims: fed,
      });
      expect(r.status, r.text).toBe(400);
      expect(JSON.stringify(r.body)).toContain(Object.keys(over)[0]);
    }
  });
});

describe('co-funding and the renewal discount (SPEC §4.3)', () => {
  it('a JSON roster with funding: each enrolment records its split, renewals pay the discount, counters move with them', async () => {
    const unit = tree.units[0]!;
    const [old, fresh] = people(2);
    const r0 = await enrol(unit, { planId: prev.id, members: [old] }, fixedClock('2025-03-01T04:00:00Z'));
    expect(r0.body.accepted).toBe(1);
    const r = await enrol(unit, {
      planId: next.id,
      members: [
        { ...old, shares: 2 },
        { ...fresh, shares: 3 },
      ],
      funding: FUNDING,
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.accepted).toBe(2);
    const [renewed, newcomer] = await Promise.all(r.body.enrolments.map((e: { enrolmentId: string }) => enrolment(e.enrolmentId)));
    // Renewal: 2 × 40 元 = 80 元; administration 2 × 10 = 20 元, union 2 × 15 = 30 元, the worker the rest, 30 元.
    expect(renewed).toMatchObject({
      renewal: true,
      shares: 2,
      contributionFen: 8000,
      funding: { administrationFen: 2000, unionFen: 3000, workerFen: 3000 },
    });
    // Newcomer: 3 × 50 元 = 150 元; 30 + 45 from the unit, 75 元 from the worker.
    expect(newcomer).toMatchObject({
      renewal: false,
      shares: 3,
      contributionFen: 15000,
      funding: { administrationFen: 3000, unionFen: 4500, workerFen: 7500 },
    });
    expect(await counts(unit, next.id)).toEqual({
      enrolled: 2,
      contributionsFen: 23000,
      contributionsAdministrationFen: 5000,
      contributionsUnionFen: 7500,
      contributionsWorkerFen: 10500,
      sharesNew: 3,
      sharesRenewal: 2,
    });
    // The predecessor's enrolment counted as a newcomer's shares there.
    expect(await counts(unit, prev.id)).toMatchObject({ sharesNew: 1, sharesRenewal: 0, contributionsWorkerFen: 5000 });
  });

  it('SUBSIDY_TOO_HIGH when the subsidies exceed the lowest per-share price (the renewal price): 422, nobody enrolled', async () => {
    const unit = tree.units[1]!;
    const members = people(2);
    // 20 + 20.01 元 is below the full price of 50 元 but above a renewing member's 40 元.
    const r = await enrol(unit, { planId: next.id, members, funding: { administrationPerShareFen: 2000, unionPerShareFen: 2001 } });
    expect(r.status, r.text).toBe(422);
    expect(r.body.code).toBe('SUBSIDY_TOO_HIGH');
    expect(await counts(unit, next.id)).toMatchObject({ enrolled: 0, contributionsFen: 0 });
    // Nothing was enrolled: the same people join with subsidies exactly at the limit (the worker pays 10 元 a share).
    const ok = await enrol(unit, { planId: next.id, members, funding: { administrationPerShareFen: 2000, unionPerShareFen: 2000 } });
    expect([ok.status, ok.body.accepted]).toEqual([200, 2]);
    expect((await enrolment(ok.body.enrolments[0].enrolmentId)).funding).toEqual({
      administrationFen: 2000,
      unionFen: 2000,
      workerFen: 1000,
    });
    const csv = await enrolCsv(unit, { planId: next.id, unionPerShareFen: '4001' }, `idNumber,name\n${people(1)[0]!.idNumber},李四\n`);
    expect([csv.status, csv.body.code]).toEqual([422, 'SUBSIDY_TOO_HIGH']);
  });

  it('400 for a malformed subsidy (negative, fractional, unknown field) or query co-funding on a JSON roster', async () => {
    const unit = tree.units[1]!;
    for (const funding of [{ administrationPerShareFen: -1 }, { unionPerShareFen: 1.5 }, { workerPerShareFen: 100 }]) {
      const r = await enrol(unit, { planId: next.id, members: people(1), funding });
      expect(r.status, JSON.stringify(funding)).toBe(400);
    }
    const q = await invoke('enrolMembers', {
      params: { unitId: unit },
      query: { unionPerShareFen: '100' },
      body: { planId: next.id, members: people(1) },
      claims: fed,
      deps: { clock: marchClock },
    });
    expect(q.status).toBe(400);
    const bad = await enrolCsv(
      unit,
      { planId: next.id, administrationPerShareFen: '-5' },
      `idNumber,name\n${people(1)[0]!.idNumber},李四\n`,
    );
    expect(bad.status).toBe(400);
  });

  it('a CSV roster takes the co-funding as query parameters', async () => {
    const unit = tree.units[2]!;
    const [a] = people(1);
    const r = await enrolCsv(unit, { planId: next.id, administrationPerShareFen: '1000' }, `身份证号,姓名,份数\n${a!.idNumber},张三,2\n`);
    expect([r.status, r.body.accepted], r.text).toEqual([200, 1]);
    expect((await enrolment(r.body.enrolments[0].enrolmentId)).funding).toEqual({ administrationFen: 2000, unionFen: 0, workerFen: 8000 });
  });

  it('a transfer moves the split and the shares with the enrolment', async () => {
    const p = await createPlan({ renewalContributionPerShareFen: 4500 });
    const { units, office } = await createTree(2);
    const r = await enrol(units[0]!, { planId: p.id, members: [{ ...people(1)[0]!, shares: 2 }], funding: FUNDING });
    const id = r.body.enrolments[0].enrolmentId;
    const split = { contributionsAdministrationFen: 2000, contributionsUnionFen: 3000, contributionsWorkerFen: 5000 };
    expect(await counts(units[0]!, p.id)).toEqual({ enrolled: 1, contributionsFen: 10000, ...split, sharesNew: 2, sharesRenewal: 0 });
    const moved = await invoke('transferEnrolment', {
      params: { id },
      body: { toUnitId: units[1] },
      claims: as('office_staff', office),
      deps: { clock: marchClock },
    });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.funding).toEqual({ administrationFen: 2000, unionFen: 3000, workerFen: 5000 });
    expect(await counts(units[0]!, p.id)).toEqual(Object.fromEntries(FIELDS.map((f) => [f, 0])));
    expect(await counts(units[1]!, p.id)).toEqual({ enrolled: 1, contributionsFen: 10000, ...split, sharesNew: 2, sharesRenewal: 0 });
  });
});

describe('roster imports with funding (SPEC §4.3 "Large rosters")', () => {
  it('enrol with the funding given when the import was requested', async () => {
    const p = await createPlan();
    const { units } = await createTree(1);
    const [a, b] = people(2);
    const bytes = new TextEncoder().encode(`idNumber,name,shares\n${a!.idNumber},张三,1\n${b!.idNumber},李四,3\n`);
    const c = await createImport(units[0]!, {
      planId: p.id,
      fileName: 'r.csv',
      contentType: CSV,
      sizeBytes: bytes.length,
      funding: FUNDING,
    });
    expect(c.status, c.text).toBe(201);
    await upload(c.body.upload, bytes, CSV);
    await runJob(c.body.importId);
    expect((await getImport(c.body.importId)).body).toMatchObject({ status: 'done', accepted: 2 });
    expect(await counts(units[0]!, p.id)).toEqual({
      enrolled: 2,
      contributionsFen: 20000,
      contributionsAdministrationFen: 4000,
      contributionsUnionFen: 6000,
      contributionsWorkerFen: 10000,
      sharesNew: 4,
      sharesRenewal: 0,
    });
  });

  it('SUBSIDY_TOO_HIGH is refused when the import is requested (422), malformed funding is 400', async () => {
    const p = await createPlan();
    const { units } = await createTree(1);
    const body = { planId: p.id, fileName: 'r.csv', contentType: CSV, sizeBytes: 100 };
    const high = await createImport(units[0]!, { ...body, funding: { administrationPerShareFen: 5001 } });
    expect([high.status, high.body.code]).toEqual([422, 'SUBSIDY_TOO_HIGH']);
    expect((await createImport(units[0]!, { ...body, funding: { unionPerShareFen: -1 } })).status).toBe(400);
  });
});

describe('the nightly report: the split by payer and participation standing (SPEC §5)', () => {
  it('sums the split per node, flags units below the minimum and counts them per office, in JSON, CSV and HTML', async () => {
    const s = await isolatedStore('fund');
    const fedIso = as('federation_admin', s.rootId);
    const org = async (id: string, kind: string, parentId: string, headcount?: number) => {
      const r = await s.call('createOrg', {
        body: { id, name: `组织${id}`, kind, parentId, ...(headcount ? { headcount } : {}) },
        claims: fedIso,
      });
      expect(r.status, r.text).toBe(201);
    };
    await org('f-off', 'office', s.rootId);
    await org('f-u1', 'unit', 'f-off', 4); // 3 of 4 join: 750 ‰, at or above 600 ‰
    await org('f-u2', 'unit', 'f-off', 10); // 2 of 10: 200 ‰, below
    await org('f-u3', 'unit', 'f-off', 5); // nobody: 0 ‰, below
    const plan = examplePlan(2026, { id: 'fund-p', minUnitParticipationPermille: 600, renewalContributionPerShareFen: 4000 });
    expect((await s.call('createPlan', { body: plan, claims: fedIso })).status).toBe(201);
    const e1 = await s.call('enrolMembers', {
      params: { unitId: 'f-u1' },
      body: { planId: plan.id, members: people(3), funding: FUNDING },
      claims: fedIso,
    });
    const e2 = await s.call('enrolMembers', { params: { unitId: 'f-u2' }, body: { planId: plan.id, members: people(2) }, claims: fedIso });
    expect([e1.body.accepted, e2.body.accepted]).toEqual([3, 2]);
    await generateReport(s.deps(fixedClock('2026-06-30T18:00:05Z')), '2026-06-30');
    const r = await s.call('getReport', { params: { date: '2026-06-30' }, claims: fedIso });
    expect(r.status, r.text).toBe(200);
    const node = (id: string) => r.body.plans[0].nodes.find((n: { orgId: string }) => n.orgId === id);
    const pick = (n: Record<string, unknown>) => [
      n.participationPermille,
      n.belowMinParticipation,
      n.contributionsFen,
      n.contributionsAdministrationFen,
      n.contributionsUnionFen,
      n.contributionsWorkerFen,
    ];
    expect(pick(node('f-u1'))).toEqual([750, false, 15000, 3000, 4500, 7500]);
    expect(pick(node('f-u2'))).toEqual([200, true, 10000, 0, 0, 10000]);
    expect(pick(node('f-u3'))).toEqual([0, true, 0, 0, 0, 0]);
    expect(pick(node('f-off'))).toEqual([263, 2, 25000, 3000, 4500, 17500]); // 5 × 1000 / 19
    expect(pick(node(s.rootId))).toEqual([263, 2, 25000, 3000, 4500, 17500]);
    // The simulation's counters stay out of the report.
    expect(node('f-u1')).not.toHaveProperty('sharesNew');
    const html = await (await fetch(r.body.links.html)).text();
    expect(html).toContain('低于最低参与率');
    expect(html).toContain('行政(元)');
    expect(html).toContain('30.00'); // f-u1's administration: 3 × 10 元
    const csv = await (await fetch(r.body.links.csv)).text();
    expect(csv).toContain('行政缴费');
  });
});

/**
 * A roster longer than one look-up slice (99 candidates, shared/enrol/pipeline.ts): its predecessor look-ups are
 * sent slice by slice while later rows are keyed and sealed. The answer must be the one a single pass gives.
 */
describe('renewals and duplicates across look-up slices', () => {
  let units: string[];
  beforeAll(async () => {
    units = (await createTree(3)).units;
  });

  it('each row renews exactly when its person was in the predecessor, duplicates name their first row, results in row order', async () => {
    const unit = units[0]!;
    const roster = people(300).map((p, i) => ({ ...p, shares: 1 + (i % 3) }));
    // Renewing rows at both edges of the first slices (rows 1, 99, 100, 198, 199) and far on (row 290).
    const renewingRows = [1, 99, 100, 198, 199, 290];
    const r0 = await enrol(
      unit,
      { planId: prev.id, members: renewingRows.map((row) => roster[row - 1]!) },
      fixedClock('2025-03-01T04:00:00Z'),
    );
    expect(r0.body.accepted).toBe(renewingRows.length);
    // Row 301 repeats row 5 (two slices on), row 302 repeats row 100 (a renewing person).
    const members = [...roster, roster[4]!, roster[99]!];
    const r = await enrol(unit, { planId: next.id, members, funding: FUNDING });
    expect(r.status, r.text).toBe(200);
    expect(r.body.accepted).toBe(300);
    expect(r.body.enrolments.map((e: { row: number }) => e.row)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(r.body.rejected).toEqual([
      expect.objectContaining({ row: 301, code: 'DUPLICATE_IN_REQUEST', message: '同一个人已在第 5 行' }),
      expect.objectContaining({ row: 302, code: 'DUPLICATE_IN_REQUEST', message: '同一个人已在第 100 行' }),
    ]);
    const renewalOf = async (row: number) =>
      (await enrolment(r.body.enrolments.find((e: { row: number }) => e.row === row).enrolmentId)).renewal;
    for (const row of [1, 98, 99, 100, 101, 198, 199, 200, 290, 291]) {
      expect(await renewalOf(row), `row ${row}`).toBe(renewingRows.includes(row));
    }
    // Shares 1 + (i % 3) for row i + 1: renewing rows 1, 99, 100, 198, 199, 290 hold 1 + 3 + 1 + 3 + 1 + 2 = 11 shares.
    const shares = roster.reduce((s, m) => s + m.shares, 0);
    expect(shares).toBe(600); // 100 rows each of 1, 2 and 3 shares
    const c = await counts(unit, next.id);
    expect(c).toMatchObject({ enrolled: 300, sharesRenewal: 11, sharesNew: 589 });
    // 589 shares at 50 元 and 11 at 40 元.
    expect(c.contributionsFen).toBe(589 * 5000 + 11 * 4000);
  }, 60_000);

  it('look-ups: at most LOOKUP_CONCURRENCY in flight, every one answered before the first transaction is sent', async () => {
    const unit = units[2]!;
    const watched = faultyStore(() => undefined);
    const events: string[] = [];
    let inFlight = 0;
    let most = 0;
    watched.deps.ddb!.middlewareStack.add(
      (next, context) => async (args) => {
        const name = context.commandName ?? 'unknown';
        if (name !== 'BatchGetItemCommand') {
          events.push(`start ${name}`);
          return next(args);
        }
        inFlight++;
        most = Math.max(most, inFlight);
        events.push('start lookup');
        try {
          return await next(args);
        } finally {
          inFlight--;
          events.push('end lookup');
        }
      },
      { step: 'initialize', name: 'lookupWatch', priority: 'high' },
    );
    // 700 rows: eight look-ups of up to 99 keys, eight transactions.
    const r = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: next.id, members: people(700), funding: FUNDING },
      claims: fed,
      deps: { ...watched.deps, clock: marchClock },
    });
    expect(r.status, r.text.slice(0, 300)).toBe(200);
    expect(r.body.accepted).toBe(700);
    expect(events.filter((e) => e === 'start lookup')).toHaveLength(8);
    expect(most).toBeGreaterThan(1); // they do overlap
    expect(most).toBeLessThanOrEqual(LOOKUP_CONCURRENCY);
    const firstWrite = events.indexOf('start TransactWriteItemsCommand');
    expect(firstWrite).toBeGreaterThan(events.lastIndexOf('end lookup'));
    // The transactions came out of the same request: eight of them.
    expect(events.filter((e) => e === 'start TransactWriteItemsCommand')).toHaveLength(8);
  }, 60_000);

  it('a renewal look-up that fails for good is 503 before any write: nothing enrolled, no transaction sent', async () => {
    const unit = units[1]!;
    // 300 rows: four look-ups (99 keys each, the last 3); the third and later fail after every retry.
    const faulty = faultyStore((cmd, n) => (cmd === 'BatchGetItemCommand' && n >= 3 ? throttled() : undefined));
    const r = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: next.id, members: people(300), funding: FUNDING },
      claims: fed,
      deps: { ...faulty.deps, clock: marchClock },
    });
    expect(r.status, r.text.slice(0, 300)).toBe(503);
    expect(r.headers['retry-after']).toBeDefined();
    expect(r.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(faulty.calls.TransactWriteItemsCommand).toBeUndefined();
    expect(await counts(unit, next.id)).toMatchObject({ enrolled: 0, contributionsFen: 0 });
  }, 60_000);
});
