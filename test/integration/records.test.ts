import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { buildXlsx } from '../fixtures/writers';
import { file, stay } from '../support/claims';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { as, invoke } from '../support/invoke';
import { CSV, createImport, fetchResults, getImport, runJob, upload } from '../support/rosterImports';

/**
 * Issue 17 items 2 and 3 (SPEC §4.3): rosters as a clerk reads them (line and name on rejections, totals rows,
 * multipart uploads, the .xls hint, mobile phones) and records that can be corrected (backdating, PATCH,
 * cancel, history, lookup), against DynamoDB Local + s3rver.
 */
const store = buildDeps();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

const enrolJson = (unitId: string, body: unknown, claims: Record<string, string> = fed, clock = marchClock) =>
  invoke('enrolMembers', { params: { unitId }, body, claims, deps: { clock } });
const enrolRaw = (
  unitId: string,
  query: Record<string, string>,
  raw: string | Buffer,
  contentType: string,
  claims: Record<string, string> = fed,
) =>
  invoke('enrolMembers', { params: { unitId }, query, raw, headers: { 'content-type': contentType }, claims, deps: { clock: marchClock } });

/** A multipart/form-data body as a browser or `curl -F` builds it. */
const form = async (parts: { name: string; bytes?: Uint8Array | string; filename?: string; type?: string }[]) => {
  const fd = new FormData();
  for (const p of parts) {
    if (p.filename !== undefined) fd.append(p.name, new Blob([p.bytes ?? ''], { type: p.type ?? '' }), p.filename);
    else fd.append(p.name, String(p.bytes ?? ''));
  }
  const req = new Request('http://localhost/', { method: 'POST', body: fd });
  return { body: Buffer.from(await req.arrayBuffer()), contentType: req.headers.get('content-type')! };
};

const counts = async (unitId: string, planId: string) => {
  const c = await readUnitPlanCounters(store.store, unitId, planId);
  return { enrolled: c.enrolled ?? 0, contributionsFen: c.contributionsFen ?? 0, sharesNew: c.sharesNew ?? 0 };
};

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(3);
});

describe('rosters as a clerk reads them (SPEC §4.3)', () => {
  it('a rejected row names its line in the CSV (title block and header counted) and its name as sent; a totals row is skipped and counted', async () => {
    const [a, b] = people(2);
    const csv = [
      '2026年度职工医疗互助参加名册,,,,',
      '填报单位：某某厂,,,,',
      '',
      '序号,身份证号,姓名,份数,手机号',
      `1,${a!.idNumber},张三,1,138 0013 8000`,
      '2,110105194912310021,李四,1,', // wrong check character: line 6
      `3,${b!.idNumber},王五,1,0755123456`, // a 10-digit number is not a mobile: line 7
      '合计,,,3,',
    ].join('\r\n');
    const r = await enrolRaw(tree.units[0]!, { planId: plan.id }, csv, 'text/csv');
    expect(r.status).toBe(200);
    expect(r.body.accepted).toBe(1);
    expect(r.body.skippedRows).toBe(1);
    expect(r.body.rejected).toEqual([
      { row: 2, line: 6, name: '李四', idNumberMasked: '110105********0021', code: 'INVALID_ID_NUMBER', message: expect.any(String) },
      { row: 3, line: 7, name: '王五', idNumberMasked: masked(b!.idNumber), code: 'INVALID_PHONE', message: expect.any(String) },
    ]);
    // The phone is kept as its 11 digits.
    const id = await invoke('getIdentity', {
      params: { id: r.body.enrolments[0].enrolmentId },
      query: { purpose: 'correction' },
      claims: fed,
    });
    expect(id.body.phone).toBe('13800138000');
  });

  it('a JSON totals row (no ID number, 合计 as its name) is skipped too; a name holding an ID number is not echoed', async () => {
    const [a] = people(1);
    const r = await enrolJson(tree.units[0]!, {
      planId: plan.id,
      members: [
        { idNumber: '110105194912310021', name: a!.idNumber }, // columns swapped
        { name: '合  计', shares: 2 },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.skippedRows).toBe(1);
    expect(r.body.rejected).toHaveLength(1);
    expect(r.body.rejected[0].row).toBe(1);
    expect(r.body.rejected[0].line).toBeUndefined();
    expect(r.text).not.toContain(a!.idNumber);
  });

  it('a workbook names the sheet row of a rejected row', async () => {
    const [a] = people(1);
    const bytes = buildXlsx([
      {
        name: '名册',
        rows: [['2026年度名册'], [], ['身份证号', '姓名', '手机号'], [a!.idNumber, '赵六', '1380013800'], ['小计', null, null]],
      },
    ]);
    const r = await enrolRaw(tree.units[0]!, { planId: plan.id }, Buffer.from(bytes), XLSX);
    expect(r.status).toBe(200);
    expect(r.body.skippedRows).toBe(1);
    expect(r.body.rejected).toEqual([
      { row: 1, line: 4, name: '赵六', idNumberMasked: masked(a!.idNumber), code: 'INVALID_PHONE', message: expect.any(String) },
    ]);
  });

  it('multipart/form-data with one file part (CSV or workbook) is read like the raw body', async () => {
    const [a, b] = people(2);
    const csv = await form([
      { name: 'file', bytes: `身份证号,姓名\n${a!.idNumber},张三\n`, filename: '名册.csv', type: 'application/vnd.ms-excel' },
    ]);
    const r1 = await enrolRaw(tree.units[1]!, { planId: plan.id }, csv.body, csv.contentType);
    expect(r1.status).toBe(200);
    expect(r1.body.accepted).toBe(1);
    const xlsx = await form([
      {
        name: 'file',
        bytes: buildXlsx([
          {
            name: 'a',
            rows: [
              ['身份证号', '姓名'],
              [b!.idNumber, '李四'],
            ],
          },
        ]),
        filename: 'r.xlsx',
        type: XLSX,
      },
    ]);
    const r2 = await enrolRaw(tree.units[1]!, { planId: plan.id }, xlsx.body, xlsx.contentType);
    expect(r2.status).toBe(200);
    expect(r2.body.accepted).toBe(1);
  });

  it('a form with no file, two files or another field is 400; a broken envelope is 400', async () => {
    const [a] = people(1);
    const roster = `身份证号,姓名\n${a!.idNumber},张三\n`;
    for (const parts of [
      [{ name: 'planId', bytes: plan.id }],
      [
        { name: 'file', bytes: roster, filename: 'a.csv' },
        { name: 'file2', bytes: roster, filename: 'b.csv' },
      ],
      [
        { name: 'file', bytes: roster, filename: 'a.csv' },
        { name: 'unionPerShareFen', bytes: '1000' },
      ],
    ]) {
      const f = await form(parts);
      const r = await enrolRaw(tree.units[1]!, { planId: plan.id }, f.body, f.contentType);
      expect(r.status).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
    }
    const broken = await enrolRaw(tree.units[1]!, { planId: plan.id }, 'no boundary here', 'multipart/form-data; boundary=xyz');
    expect(broken.status).toBe(400);
    expect(broken.text).not.toContain(a!.idNumber);
  });

  it('an old .xls (by media type, by its bytes, or as a form file) gets 415 XLS_NOT_SUPPORTED with the save-as hint', async () => {
    const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const byType = await enrolRaw(tree.units[1]!, { planId: plan.id }, ole, 'application/vnd.ms-excel');
    const byBytes = await enrolRaw(tree.units[1]!, { planId: plan.id }, ole, XLSX);
    const f = await form([{ name: 'file', bytes: ole, filename: '名册.xls', type: 'application/vnd.ms-excel' }]);
    const byForm = await enrolRaw(tree.units[1]!, { planId: plan.id }, f.body, f.contentType);
    for (const r of [byType, byBytes, byForm]) {
      expect(r.status).toBe(415);
      expect(r.body.code).toBe('XLS_NOT_SUPPORTED');
      expect(r.body.detail).toContain('Excel 工作簿 (*.xlsx)');
    }
    // An import declared as .xls says the same in its 400.
    const imp = await invoke('createRosterImport', {
      params: { unitId: tree.units[1]! },
      body: { planId: plan.id, fileName: 'a.xls', contentType: 'application/vnd.ms-excel', sizeBytes: 100 },
      claims: fed,
      deps: { clock: marchClock },
    });
    expect(imp.status).toBe(400);
    expect(JSON.stringify(imp.body.errors)).toContain('Excel 工作簿 (*.xlsx)');
  });

  it('a roster import counts skipped totals rows and names each rejected row’s line and name in its results', async () => {
    const [a] = people(1);
    const text = `身份证号,姓名\n${a!.idNumber},张三\n110105194912310021,李四\n总计,\n`;
    const bytes = new TextEncoder().encode(text);
    const created = await createImport(tree.units[2]!, { planId: plan.id, fileName: 'r.csv', contentType: CSV, sizeBytes: bytes.length });
    await upload(created.body.upload, bytes, CSV);
    expect(await runJob(created.body.importId)).toEqual([{ importId: created.body.importId, outcome: 'done' }]);
    const got = await getImport(created.body.importId);
    expect(got.body).toMatchObject({ rows: 3, accepted: 1, rejected: 1, skippedRows: 1 });
    const { rows } = await fetchResults(got.body.results);
    expect(rows.find((r) => r.code === 'INVALID_ID_NUMBER')).toMatchObject({ row: 2, line: 3, name: '李四' });
  });
});

describe('backdated enrolment (SPEC §4.3 enrolledDate)', () => {
  it('office staff record a paper enrolment of January: its dates follow; counters count it on the day it is recorded', async () => {
    const [a, b] = people(2);
    const office = as('office_staff', tree.office);
    const before = await counts(tree.units[2]!, plan.id);
    const r = await enrolJson(tree.units[2]!, { planId: plan.id, enrolledDate: '2026-01-05', members: [a] }, office);
    expect(r.status).toBe(200);
    const e = await invoke('getEnrolment', { params: { id: r.body.enrolments[0].enrolmentId }, claims: fed });
    expect(e.body).toMatchObject({ enrolledDate: '2026-01-05', benefitStartDate: '2026-04-05', accidentBenefitStartDate: '2026-01-05' });
    expect((await counts(tree.units[2]!, plan.id)).enrolled).toBe(before.enrolled + 1);
    // The bucket is today's (2026-03-10), not January's: a report of a past day keeps its figures.
    const buckets = await store.store.db.send(
      new (await import('@aws-sdk/lib-dynamodb')).QueryCommand({
        TableName: store.store.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': `ORG#${tree.units[2]}`, ':sk': `COUNT#PLAN#${plan.id}#2026-01-05` },
      }),
    );
    expect(buckets.Items ?? []).toHaveLength(0);
    // A file takes it in the query.
    const csv = await enrolRaw(
      tree.units[2]!,
      { planId: plan.id, enrolledDate: '2026-02-01' },
      `身份证号,姓名\n${b!.idNumber},李四\n`,
      'text/csv',
      office,
    );
    expect(csv.status).toBe(200);
    const e2 = await invoke('getEnrolment', { params: { id: csv.body.enrolments[0].enrolmentId }, claims: fed });
    expect(e2.body.enrolledDate).toBe('2026-02-01');
  });

  it('a unit admin may not backdate (403); a date before enrolment opened or after today is 422; a bad date 400', async () => {
    const [a] = people(1);
    const clerk = as('unit_admin', tree.units[2]!);
    const r403 = await enrolJson(tree.units[2]!, { planId: plan.id, enrolledDate: '2026-01-05', members: [a] }, clerk);
    expect(r403.status).toBe(403);
    for (const d of ['2025-11-30', '2026-03-11']) {
      const r = await enrolJson(tree.units[2]!, { planId: plan.id, enrolledDate: d, members: [a] });
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('ENROLLED_DATE_OUT_OF_RANGE');
    }
    expect((await enrolJson(tree.units[2]!, { planId: plan.id, enrolledDate: '2026-02-30', members: [a] })).status).toBe(400);
    // An import: the same rules when it is requested.
    const imp = (claims: Record<string, string>, enrolledDate: string) =>
      invoke('createRosterImport', {
        params: { unitId: tree.units[2]! },
        query: { enrolledDate },
        body: { planId: plan.id, fileName: 'a.csv', contentType: CSV, sizeBytes: 100 },
        claims,
        deps: { clock: marchClock },
      });
    expect((await imp(clerk, '2026-01-05')).status).toBe(403);
    expect((await imp(fed, '2026-04-01')).status).toBe(422);
    const ok = await imp(fed, '2026-01-05');
    expect(ok.status).toBe(201);
    expect((await getImport(ok.body.importId)).body.enrolledDate).toBe('2026-01-05');
  });
});

describe('PATCH /enrolments/{id} (SPEC §4.3)', () => {
  it('corrects a mistyped name or phone; history says who and which fields, never the values', async () => {
    const [a] = people(1);
    const r = await enrolJson(tree.units[0]!, { planId: plan.id, members: [{ ...a, name: '张山', phone: '13800138000' }] });
    const id = r.body.enrolments[0].enrolmentId as string;
    const clerk = as('unit_admin', tree.units[0]!);
    const p = await invoke('patchEnrolment', {
      params: { id },
      body: { name: '张三', phone: '139-0013-9000' },
      claims: clerk,
      deps: { clock: marchClock },
    });
    expect(p.status).toBe(200);
    expect(p.body.name).toBe('张三');
    expect(p.body.history).toEqual([
      { at: '2026-03-10T04:00:00.000Z', actor: clerk.sub, role: 'unit_admin', action: 'corrected', note: 'name, phone' },
    ]);
    expect(JSON.stringify(p.body.history)).not.toContain('13900139000');
    const identity = await invoke('getIdentity', { params: { id }, query: { purpose: 'correction' }, claims: fed });
    expect(identity.body).toEqual({ idNumber: a!.idNumber, name: '张三', phone: '13900139000' });
    // Nothing in clear on the stored item.
    const item = await store.enrolments.get(id, true);
    expect(JSON.stringify(item)).not.toContain('张三');
    expect(JSON.stringify(item)).not.toContain('13900139000');
  });

  it('400 for an empty body, a bad name or a 10-digit phone; 401; 403 out of scope; 404 unknown', async () => {
    const [a] = people(1);
    const id = (await enrolJson(tree.units[0]!, { planId: plan.id, members: [a] })).body.enrolments[0].enrolmentId as string;
    for (const body of [{}, { name: 'Zhang3' }, { phone: '1380013800' }, { idNumber: a!.idNumber }]) {
      const r = await invoke('patchEnrolment', { params: { id }, body, claims: fed });
      expect(r.status).toBe(400);
      expect(r.text).not.toContain(a!.idNumber);
    }
    expect((await invoke('patchEnrolment', { params: { id }, body: { name: '李四' } })).status).toBe(401);
    expect(
      (await invoke('patchEnrolment', { params: { id }, body: { name: '李四' }, claims: as('unit_admin', tree.units[1]!) })).status,
    ).toBe(403);
    expect((await invoke('patchEnrolment', { params: { id: '0'.repeat(26) }, body: { name: '李四' }, claims: fed })).status).toBe(404);
  });
});

describe('POST /enrolments/{id}/cancel (SPEC §4.3)', () => {
  it('cancels an enrolment made in error: counters reversed in the same transaction, history kept, the person may enrol again', async () => {
    const [a] = people(1);
    const unit = tree.units[1]!;
    const before = await counts(unit, plan.id);
    const id = (await enrolJson(unit, { planId: plan.id, members: [{ ...a, shares: 2 }] })).body.enrolments[0].enrolmentId as string;
    expect(await counts(unit, plan.id)).toEqual({
      enrolled: before.enrolled + 1,
      contributionsFen: before.contributionsFen + 10_000,
      sharesNew: before.sharesNew + 2,
    });
    const office = as('office_staff', tree.office);
    const c = await invoke('cancelEnrolment', {
      params: { id },
      body: { reason: '录入错误：不是本单位职工' },
      claims: office,
      deps: { clock: marchClock },
    });
    expect(c.status).toBe(200);
    expect(c.body.status).toBe('cancelled');
    expect(c.body.history).toEqual([
      { at: '2026-03-10T04:00:00.000Z', actor: office.sub, role: 'office_staff', action: 'cancelled', note: '录入错误：不是本单位职工' },
    ]);
    expect(await counts(unit, plan.id)).toEqual(before);
    // Twice: 409; a claim, a correction or a transfer on it: 409.
    const again = await invoke('cancelEnrolment', { params: { id }, body: { reason: 'x' }, claims: fed, deps: { clock: marchClock } });
    expect([again.status, again.body.code]).toEqual([409, 'ENROLMENT_CANCELLED']);
    const claim = await file(stay(id, { accident: true, admissionDate: '2026-03-11', dischargeDate: '2026-03-12' }), fed, marchClock);
    expect([claim.status, claim.body.code]).toEqual([409, 'ENROLMENT_CANCELLED']);
    expect((await invoke('patchEnrolment', { params: { id }, body: { name: '李四' }, claims: fed })).status).toBe(409);
    expect((await invoke('transferEnrolment', { params: { id }, body: { toUnitId: tree.units[2]! }, claims: fed })).status).toBe(409);

    // The correct enrolment, in another unit: the key was freed.
    const re = await enrolJson(tree.units[2]!, { planId: plan.id, members: [a] });
    expect(re.body.accepted).toBe(1);
    expect(re.body.enrolments[0].enrolmentId).toBe(id);
    const now = await invoke('getEnrolment', { params: { id }, claims: fed });
    expect(now.body).toMatchObject({ status: 'active', unitId: tree.units[2], shares: 1, history: [] });
    expect(await counts(unit, plan.id)).toEqual(before);
  });

  it('409 ENROLMENT_IN_FORCE once benefits started or a claim was filed; 400 without a reason; 401; 403; 404', async () => {
    const [a, b] = people(2);
    const [idA, idB] = (await enrolJson(tree.units[0]!, { planId: plan.id, members: [a, b] })).body.enrolments.map(
      (e: { enrolmentId: string }) => e.enrolmentId,
    );
    const cancel = (id: string, claims: Record<string, string> | undefined, clock = marchClock, body: unknown = { reason: '重复录入' }) =>
      invoke('cancelEnrolment', { params: { id }, body, ...(claims ? { claims } : {}), deps: { clock } });
    // Benefits start 2026-06-08 (90 days' wait).
    const june = await cancel(idA, fed, fixedClock('2026-06-08T04:00:00Z'));
    expect([june.status, june.body.code]).toEqual([409, 'ENROLMENT_IN_FORCE']);
    // An accident is covered from the enrolment day: a claim filed before the benefit start still blocks it.
    const accident = await file(
      stay(idB, { accident: true, admissionDate: '2026-03-11', dischargeDate: '2026-03-12' }),
      fed,
      fixedClock('2026-03-20T04:00:00Z'),
    );
    expect(accident.status).toBe(201);
    const withClaim = await cancel(idB, fed, fixedClock('2026-03-21T04:00:00Z'));
    expect([withClaim.status, withClaim.body.code]).toEqual([409, 'ENROLMENT_IN_FORCE']);
    expect((await cancel(idA, fed, marchClock, {})).status).toBe(400);
    expect((await cancel(idA, fed, marchClock, { reason: '  ' })).status).toBe(400);
    expect((await cancel(idA, undefined)).status).toBe(401);
    expect((await cancel(idA, as('unit_admin', tree.units[1]!))).status).toBe(403);
    expect((await cancel('0'.repeat(26), fed)).status).toBe(404);
    // Nothing changed.
    expect((await invoke('getEnrolment', { params: { id: idA }, claims: fed })).body.status).toBe('active');
  });
});

describe('POST /enrolments/lookup (SPEC §4.3)', () => {
  it('finds the person’s enrolments in scope by ID number in the body; masked; 404 unknown, 403 outside scope, 400 bad number', async () => {
    const [a, nobody] = people(2);
    const id = (await enrolJson(tree.units[0]!, { planId: plan.id, members: [a] })).body.enrolments[0].enrolmentId as string;
    const look = (body: unknown, claims: Record<string, string> | null = fed) =>
      invoke('lookupEnrolments', { body, ...(claims ? { claims } : {}), deps: { clock: marchClock } });
    const r = await look({ idNumber: a!.idNumber.toLowerCase() }, as('unit_admin', tree.units[0]!));
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([
      expect.objectContaining({
        enrolmentId: id,
        planId: plan.id,
        unitId: tree.units[0],
        unitName: 'Unit 0',
        idNumberMasked: masked(a!.idNumber),
        status: 'active',
        capFen: 3_000_000,
        usedFen: 0,
        remainingFen: 3_000_000,
      }),
    ]);
    expect(r.text).not.toContain(a!.idNumber);
    expect((await look({ idNumber: a!.idNumber, planId: plan.id })).body.items).toHaveLength(1);
    expect((await look({ idNumber: nobody!.idNumber })).status).toBe(404);
    expect((await look({ idNumber: a!.idNumber, planId: 'no-such-plan' })).status).toBe(404);
    expect((await look({ idNumber: a!.idNumber }, as('unit_admin', tree.units[1]!))).status).toBe(403);
    const bad = await look({ idNumber: '110105194912310021' });
    expect(bad.status).toBe(400);
    expect(bad.text).not.toContain('110105194912310021');
    expect((await look({ idNumber: a!.idNumber }, null)).status).toBe(401);
  });
});
