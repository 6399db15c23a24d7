import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { createPlan, createTree, fed, idNumber, marchClock, people } from '../support/fixtures';
import { as, invoke, uid } from '../support/invoke';

const deps = { clock: marchClock };
const store = buildDeps();
const enrol = (
  unitId: string,
  body: unknown,
  claims: Record<string, string> = fed,
  extra: { headers?: Record<string, string>; clock?: typeof marchClock } = {},
) => invoke('enrolMembers', { params: { unitId }, body, claims, deps: { clock: extra.clock ?? marchClock }, headers: extra.headers });
const enrolCsv = (unitId: string, planId: string | undefined, csv: string, claims: Record<string, string> = fed) =>
  invoke('enrolMembers', {
    params: { unitId },
    query: planId ? { planId } : {},
    raw: csv,
    headers: { 'content-type': 'text/csv; charset=utf-8' },
    claims,
    deps,
  });
const counts = async (unitId: string, planId: string) => {
  const c = await readUnitPlanCounters(store.store, unitId, planId);
  return { enrolled: c.enrolled ?? 0, contributionsFen: c.contributionsFen ?? 0 };
};

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(3);
});

describe('POST /units/{unitId}/enrolments (JSON)', () => {
  it('judges rows one by one and enrols the good ones', async () => {
    const [a, b] = people(2);
    const dup = people(1)[0]!;
    const members = [
      { idNumber: a!.idNumber, name: '张三', shares: 2, phone: '138 0013 8000' },
      { idNumber: '110105194912310021', name: '李四' }, // wrong check character
      { idNumber: b!.idNumber, name: 'Zhang3' }, // digits in the name
      { idNumber: dup.idNumber.toLowerCase(), name: '王五', shares: 4 }, // maxShares is 3
      { idNumber: idNumber('2015-01-01', 11), name: '小孩' }, // 11 at coverage start
      { idNumber: dup.idNumber, name: '王五' },
      { idNumber: dup.idNumber, name: '王五' }, // same person again
      { idNumber: 110105194912310020, name: '赵六' }, // not a string
      { idNumber: people(1)[0]!.idNumber, name: '孙七', phone: 'call me' },
    ];
    const r = await enrol(tree.units[0]!, { planId: plan.id, members });
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(2);
    expect(r.body.enrolments.map((e: { row: number }) => e.row)).toEqual([1, 6]);
    expect(r.body.rejected.map((x: { row: number; code: string }) => [x.row, x.code])).toEqual([
      [2, 'INVALID_ID_NUMBER'],
      [3, 'INVALID_NAME'],
      [4, 'INVALID_SHARES'],
      [5, 'AGE_OUT_OF_RANGE'],
      [7, 'DUPLICATE_IN_REQUEST'],
      [8, 'INVALID_ID_NUMBER'],
      [9, 'INVALID_PHONE'],
    ]);
    // Rejections show masked numbers only.
    expect(r.body.rejected[0].idNumberMasked).toBe('110105********0021');
    expect(JSON.stringify(r.body)).not.toContain(a!.idNumber);
    expect(await counts(tree.units[0]!, plan.id)).toEqual({ enrolled: 2, contributionsFen: 2 * 5000 + 5000 });

    const e = await invoke('getEnrolment', { params: { id: r.body.enrolments[0].enrolmentId }, claims: as('unit_admin', tree.units[0]!) });
    expect(e.status).toBe(200);
    expect(e.body).toEqual({
      enrolmentId: r.body.enrolments[0].enrolmentId,
      planId: plan.id,
      unitId: tree.units[0],
      idNumberMasked: `${a!.idNumber.slice(0, 6)}********${a!.idNumber.slice(14)}`,
      name: '张三',
      gender: Number(a!.idNumber[16]) % 2 === 1 ? 'male' : 'female',
      shares: 2,
      contributionFen: 10000,
      funding: { administrationFen: 0, unionFen: 0, workerFen: 10000 },
      enrolledDate: '2026-03-10',
      renewal: false,
      benefitStartDate: '2026-06-08', // 2026-03-10 + 90 days
      accidentBenefitStartDate: '2026-03-10',
      capFen: 6_000_000,
      usedFen: 0,
      remainingFen: 6_000_000,
      deductibleUsedFen: 0,
      status: 'active',
      transfers: [],
      history: [],
    });
  });

  it('a person is enrolled once per plan, in any unit: ALREADY_ENROLLED', async () => {
    const [p] = people(1);
    expect((await enrol(tree.units[0]!, { planId: plan.id, members: [p] })).body.accepted).toBe(1);
    const first = (
      await invoke('listUnitEnrolments', { params: { unitId: tree.units[0]! }, query: { planId: plan.id, limit: 500 }, claims: fed })
    ).body.items as { enrolmentId: string; idNumberMasked: string }[];
    const existing = first.find((e) => e.idNumberMasked === `${p!.idNumber.slice(0, 6)}********${p!.idNumber.slice(14)}`)!.enrolmentId;
    // The federation reaches the unit where the person is enrolled: the rejection names the existing enrolment.
    const r = await enrol(tree.units[1]!, { planId: plan.id, members: [{ ...p, idNumber: p!.idNumber.toLowerCase() }, ...people(1)] });
    expect(r.body.accepted).toBe(1);
    expect(r.body.rejected).toEqual([
      {
        row: 1,
        name: '王小明', // the name as sent
        idNumberMasked: expect.stringMatching(/^\d{6}\*{8}[\dX]{4}$/),
        code: 'ALREADY_ENROLLED',
        message: expect.any(String),
        enrolmentId: existing,
      },
    ]);
    // Another unit's admin does not reach it: the same rejection, and nothing more.
    const other = await enrol(tree.units[1]!, { planId: plan.id, members: [p] }, as('unit_admin', tree.units[1]!));
    expect(other.body.rejected).toEqual([
      {
        row: 1,
        name: '王小明',
        idNumberMasked: expect.stringMatching(/^\d{6}\*{8}[\dX]{4}$/),
        code: 'ALREADY_ENROLLED',
        message: expect.any(String),
      },
    ]);
  });

  it('holds under concurrent rosters from different units: each person exactly once, counters exact', async () => {
    const crowd = people(120);
    const units = tree.units;
    const results = await Promise.all(
      units.map((u, i) => enrol(u, { planId: plan.id, members: i === 0 ? crowd : [...crowd].reverse() }, fed)),
    );
    for (const r of results) expect(r.status).toBe(200);
    const accepted = results.reduce((n, r) => n + r.body.accepted, 0);
    expect(accepted).toBe(crowd.length);
    const taken = results.flatMap((r) => r.body.rejected.filter((x: { code: string }) => x.code === 'ALREADY_ENROLLED'));
    expect(taken).toHaveLength(crowd.length * (units.length - 1));
    // Exact counters: the sum over units of this request's acceptances.
    const c = await Promise.all(units.map((u) => counts(u, plan.id)));
    const before = { enrolled: 0, contributionsFen: 0 };
    const listed = await Promise.all(units.map((u) => listAll(u, plan.id)));
    listed.forEach((items, i) => {
      expect(c[i]!.enrolled).toBe(items.length);
      expect(c[i]!.contributionsFen).toBe(items.reduce((s, e) => s + e.contributionFen, 0));
      before.enrolled += items.length;
    });
    expect(new Set(listed.flat().map((e) => e.enrolmentId)).size).toBe(before.enrolled);
  });

  it('replays an Idempotency-Key retry without enrolling twice', async () => {
    const members = people(3);
    const key = uid('k');
    const first = await enrol(tree.units[2]!, { planId: plan.id, members }, fed, { headers: { 'idempotency-key': key } });
    const again = await enrol(tree.units[2]!, { planId: plan.id, members }, fed, { headers: { 'idempotency-key': key } });
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(first.body.accepted).toBe(3);
    const other = await enrol(tree.units[2]!, { planId: plan.id, members: people(1) }, fed, { headers: { 'idempotency-key': key } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('whole-request errors: 404 plan/unit, 403 scope, 422 NOT_A_UNIT and ENROLMENT_CLOSED, 400 sizes', async () => {
    const members = people(1);
    expect((await enrol(tree.units[0]!, { planId: 'no-such-plan', members })).status).toBe(404);
    expect((await enrol('no-such-unit', { planId: plan.id, members })).status).toBe(404);
    expect((await enrol(tree.units[1]!, { planId: plan.id, members }, as('unit_admin', tree.units[0]!))).status).toBe(403);
    const office = await enrol(tree.office, { planId: plan.id, members });
    expect(office.status).toBe(422);
    expect(office.body.code).toBe('NOT_A_UNIT');
    const closed = await enrol(tree.units[0]!, { planId: plan.id, members }, fed, { clock: fixedClock('2026-07-01T01:00:00Z') });
    expect(closed.status).toBe(422);
    expect(closed.body.code).toBe('ENROLMENT_CLOSED');
    // 2026-06-30T16:30Z is already 1 July in Shanghai.
    expect((await enrol(tree.units[0]!, { planId: plan.id, members }, fed, { clock: fixedClock('2026-06-30T16:30:00Z') })).body.code).toBe(
      'ENROLMENT_CLOSED',
    );
    expect((await enrol(tree.units[0]!, { planId: plan.id, members: [] })).status).toBe(400);
    const tooMany = Array.from({ length: 5001 }, () => members[0]);
    expect((await enrol(tree.units[0]!, { planId: plan.id, members: tooMany })).status).toBe(400);
    expect((await enrol(tree.units[0]!, { planId: plan.id, members: [{ idNumber: 'x', name: 'y', age: 3 }] })).status).toBe(400);
    expect((await invoke('enrolMembers', { params: { unitId: tree.units[0]! }, body: { planId: plan.id, members } })).status).toBe(401);
  });

  it('never stores the ID number or name in clear', async () => {
    const [p] = people(1);
    const r = await enrol(tree.units[0]!, { planId: plan.id, members: [{ ...p, name: '欧阳娜娜', phone: '13800138000' }] });
    expect(r.body.accepted).toBe(1);
    const scan = await store.db.send(new ScanCommand({ TableName: store.config.tableName }));
    const dump = JSON.stringify(scan.Items);
    expect(dump).not.toContain(p!.idNumber);
    expect(dump).not.toContain('欧阳娜娜');
    expect(dump).not.toContain('13800138000');
  });
});

describe('POST /units/{unitId}/enrolments (CSV)', () => {
  it('reads UTF-8 with BOM, quoted fields, any column order, empty shares', async () => {
    const [a, b, c] = people(3);
    const csv = `\uFEFFname,idNumber,phone,shares\r\n"欧阳,娜娜",${a!.idNumber},,2\r\n"王""小""明",${b!.idNumber},13800138000,\r\n李雷,${c!.idNumber},,x\r\n`;
    const r = await enrolCsv(tree.units[0]!, plan.id, csv);
    expect(r.status).toBe(200);
    expect(r.body.enrolments.map((e: { row: number }) => e.row)).toEqual([]);
    expect(r.body.rejected.map((x: { row: number; code: string }) => [x.row, x.code])).toEqual([
      [1, 'INVALID_NAME'], // a comma is not part of a name
      [2, 'INVALID_NAME'], // nor are quotes
      [3, 'INVALID_SHARES'],
    ]);
    const ok = await enrolCsv(
      tree.units[0]!,
      plan.id,
      `idNumber,name,shares,phone\n${a!.idNumber},"欧阳娜娜",2,\n${b!.idNumber},王小明,,13800138000\n`,
    );
    expect(ok.body.accepted).toBe(2);
    const first = await invoke('getEnrolment', { params: { id: ok.body.enrolments[0].enrolmentId }, claims: fed });
    expect(first.body).toMatchObject({ name: '欧阳娜娜', shares: 2, contributionFen: 10000 });
    const second = await invoke('getEnrolment', { params: { id: ok.body.enrolments[1].enrolmentId }, claims: fed });
    expect(second.body.shares).toBe(1);
  });

  it('400 for a missing planId, a header without the ID column, broken quoting or no rows; never quoting a cell', async () => {
    const [a] = people(1);
    const body = `idNumber,name,shares,phone\n${a!.idNumber},张三,1,\n`;
    const bad = [
      await enrolCsv(tree.units[0]!, undefined, body),
      await enrolCsv(tree.units[0]!, plan.id, `id,name\n${a!.idNumber},张三\n`),
      await enrolCsv(tree.units[0]!, plan.id, `${a!.idNumber},张三,1,13800138000\n`), // no header: the first data row must not come back
      await enrolCsv(tree.units[0]!, plan.id, `idNumber,name,shares,phone\n"${a!.idNumber},张三,1,\n`),
      await enrolCsv(tree.units[0]!, plan.id, `idNumber,name,shares,phone\n`),
      await enrolCsv(tree.units[0]!, plan.id, ``),
    ];
    for (const r of bad) {
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      for (const secret of [a!.idNumber, '张三', '13800138000']) expect(r.text).not.toContain(secret);
    }
  });

  it("a short or long line is that row's ROW_MALFORMED; the other rows are still enrolled", async () => {
    const [a, b, c] = people(3);
    const csv = `idNumber,name,shares,phone\n${a!.idNumber},张三\n${b!.idNumber},李四,1,\n${c!.idNumber},王五,1,,extra\n`;
    const r = await enrolCsv(tree.units[0]!, plan.id, csv);
    expect(r.status).toBe(200);
    expect(r.body.enrolments.map((e: { row: number }) => e.row)).toEqual([2]);
    expect(r.body.rejected).toEqual([
      { row: 1, line: 2, idNumberMasked: '', code: 'ROW_MALFORMED', message: expect.any(String) },
      { row: 3, line: 4, idNumberMasked: '', code: 'ROW_MALFORMED', message: expect.any(String) },
    ]);
    expect(r.text).not.toContain(a!.idNumber);
  });
});

describe('renewal', () => {
  it('is true for members of the predecessor plan: no waiting period', async () => {
    const prev = await createPlan({
      coverageStart: '2025-01-01',
      coverageEnd: '2025-12-31',
      enrolmentOpen: '2024-12-01',
      enrolmentClose: '2025-06-30',
    });
    const next = await createPlan({ predecessorPlanId: prev.id });
    const [old, fresh] = people(2);
    const unit = tree.units[0]!;
    const r0 = await enrol(unit, { planId: prev.id, members: [old] }, fed, { clock: fixedClock('2025-03-01T04:00:00Z') });
    expect(r0.body.accepted).toBe(1);
    const r = await enrol(unit, { planId: next.id, members: [old, fresh] });
    expect(r.body.accepted).toBe(2);
    const [renewed, newcomer] = await Promise.all(
      r.body.enrolments.map((e: { enrolmentId: string }) => invoke('getEnrolment', { params: { id: e.enrolmentId }, claims: fed })),
    );
    // Enrolled on 2026-03-10, after coverageStart: a renewal is covered from coverageStart for accidents as for illness.
    expect(renewed!.body).toMatchObject({ renewal: true, benefitStartDate: '2026-01-01', accidentBenefitStartDate: '2026-01-01' });
    expect(newcomer!.body).toMatchObject({ renewal: false, benefitStartDate: '2026-06-08', accidentBenefitStartDate: '2026-03-10' });
  });
});

async function listAll(unitId: string, planId?: string) {
  const out: Array<{ enrolmentId: string; contributionFen: number; idNumberMasked: string }> = [];
  let cursor: string | undefined;
  for (;;) {
    const r = await invoke('listUnitEnrolments', {
      params: { unitId },
      query: { limit: 100, ...(planId ? { planId } : {}), ...(cursor ? { cursor } : {}) },
      claims: fed,
    });
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    if (!r.body.nextCursor) return out;
    cursor = r.body.nextCursor;
  }
}

describe('GET /units/{unitId}/enrolments and /enrolments/{id}', () => {
  it('lists a unit by plan with masked numbers, and refuses cursors aimed at another unit', async () => {
    const p2 = await createPlan();
    const { units } = await createTree(2);
    await enrol(units[0]!, { planId: p2.id, members: people(5) });
    await enrol(units[1]!, { planId: p2.id, members: people(2) });
    const page = await invoke('listUnitEnrolments', {
      params: { unitId: units[0]! },
      query: { planId: p2.id, limit: 2 },
      claims: as('unit_admin', units[0]!),
    });
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    for (const e of page.body.items) {
      expect(e.idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
      expect(e).not.toHaveProperty('pii');
      expect(e).not.toHaveProperty('personKey');
    }
    expect((await listAll(units[0]!, p2.id)).length).toBe(5);
    const forged = await invoke('listUnitEnrolments', {
      params: { unitId: units[1]! },
      query: { planId: p2.id, cursor: page.body.nextCursor },
      claims: fed,
    });
    expect(forged.status).toBe(400);
    expect((await invoke('listUnitEnrolments', { params: { unitId: units[1]! }, claims: as('unit_admin', units[0]!) })).status).toBe(403);
    expect((await invoke('listUnitEnrolments', { params: { unitId: 'no-such-unit' }, claims: fed })).status).toBe(404);
    const office = await invoke('listUnitEnrolments', { params: { unitId: 'root' }, claims: fed });
    expect(office.status).toBe(422);
    expect(office.body.code).toBe('NOT_A_UNIT');
  });

  it('404 unknown, 400 malformed, 403 out of scope', async () => {
    expect((await invoke('getEnrolment', { params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, claims: fed })).status).toBe(404);
    expect((await invoke('getEnrolment', { params: { id: 'not-an-id' }, claims: fed })).status).toBe(400);
    const r = await enrol(tree.units[0]!, { planId: plan.id, members: people(1) });
    const id = r.body.enrolments[0].enrolmentId;
    expect((await invoke('getEnrolment', { params: { id }, claims: as('unit_admin', tree.units[1]!) })).status).toBe(403);
  });
});

describe('POST /enrolments/{id}/transfer', () => {
  it('moves a member with its counters; history kept, benefits unchanged', async () => {
    const p3 = await createPlan();
    const [from, to] = tree.units;
    const person = { ...people(1)[0]!, shares: 3 };
    const r = await enrol(from!, { planId: p3.id, members: [person] });
    const id = r.body.enrolments[0].enrolmentId;
    const before = await invoke('getEnrolment', { params: { id }, claims: fed });
    const moved = await invoke('transferEnrolment', {
      params: { id },
      body: { toUnitId: to },
      claims: as('office_staff', tree.office, 'staff-9'),
      deps,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.unitId).toBe(to);
    expect(moved.body.transfers).toEqual([{ at: '2026-03-10T04:00:00.000Z', actor: 'staff-9', fromUnitId: from, toUnitId: to }]);
    const { unitId: _u, transfers: _t, ...benefitsBefore } = before.body;
    const { unitId: _u2, transfers: _t2, ...benefitsAfter } = moved.body;
    expect(benefitsAfter).toEqual(benefitsBefore);
    expect(await counts(from!, p3.id)).toEqual({ enrolled: 0, contributionsFen: 0 });
    expect(await counts(to!, p3.id)).toEqual({ enrolled: 1, contributionsFen: 15000 });
    expect((await listAll(to!, p3.id)).map((e) => e.enrolmentId)).toEqual([id]);
    expect(await listAll(from!, p3.id)).toEqual([]);
    // The person is still enrolled in the plan: re-enrolling anywhere is refused, with the moved enrolment named.
    const again = await enrol(from!, { planId: p3.id, members: [person] });
    expect(again.body.rejected).toEqual([expect.objectContaining({ code: 'ALREADY_ENROLLED', enrolmentId: id })]);
  });

  it('a transfer based on a stale read is 409 and changes nothing (the move is conditional on the unit)', async () => {
    const p4 = await createPlan();
    const t = await createTree(3);
    const r = await enrol(t.units[0]!, { planId: p4.id, members: people(1) });
    const id = r.body.enrolments[0].enrolmentId;
    const stale = (await store.enrolments.get(id))!;
    expect((await invoke('transferEnrolment', { params: { id }, body: { toUnitId: t.units[1] }, claims: fed })).status).toBe(200);
    // A second writer that read the enrolment before the first move.
    const racing = await invoke('transferEnrolment', {
      params: { id },
      body: { toUnitId: t.units[2] },
      claims: fed,
      deps: { enrolments: { ...store.enrolments, get: async () => stale } },
    });
    expect(racing.status).toBe(409);
    expect(racing.body.code).toBe('CONFLICT');
    const c = await Promise.all(t.units.map((u) => counts(u, p4.id)));
    expect(c.map((x) => x.enrolled)).toEqual([0, 1, 0]);
    const now = await invoke('getEnrolment', { params: { id }, claims: fed });
    expect(now.body.unitId).toBe(t.units[1]);
    expect(now.body.transfers).toHaveLength(1);
  });

  it('403 when either unit is outside scope, 422 NOT_A_UNIT / SAME_UNIT, 404 unknown', async () => {
    const other = await createTree(1);
    const r = await enrol(tree.units[0]!, { planId: plan.id, members: people(1) });
    const id = r.body.enrolments[0].enrolmentId;
    const staff = as('office_staff', tree.office);
    expect((await invoke('transferEnrolment', { params: { id }, body: { toUnitId: other.units[0] }, claims: staff })).status).toBe(403);
    expect(
      (await invoke('transferEnrolment', { params: { id }, body: { toUnitId: tree.units[1] }, claims: as('unit_admin', tree.units[0]!) }))
        .status,
    ).toBe(403);
    const office = await invoke('transferEnrolment', { params: { id }, body: { toUnitId: tree.office }, claims: staff });
    expect(office.status).toBe(422);
    expect(office.body.code).toBe('NOT_A_UNIT');
    const same = await invoke('transferEnrolment', { params: { id }, body: { toUnitId: tree.units[0] }, claims: staff });
    expect(same.body.code).toBe('SAME_UNIT');
    expect(
      (await invoke('transferEnrolment', { params: { id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, body: { toUnitId: tree.units[1] }, claims: fed }))
        .status,
    ).toBe(404);
    expect((await invoke('transferEnrolment', { params: { id }, body: {}, claims: fed })).status).toBe(400);
  });
});
