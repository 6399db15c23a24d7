import { beforeAll, describe, expect, it } from 'vitest';
import { clerkOf, enrolOne, file, julyClock, PDF, stay, upload } from '../support/claims';
import { createPlan, createTree, fed, idNumber, marchClock } from '../support/fixtures';
import { as, invoke } from '../support/invoke';

/**
 * SPEC §3: every `detail`, `errors[].message` and roster row `message` is
 * Chinese by default and English when Accept-Language prefers `en`; codes
 * never change. Item 4 of issue 17: a claim names its member (masked ID) and
 * the documents submit will require.
 */
const EN = { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.3' };
const CJK = /[\u4e00-\u9fff]/;
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(2);
});

const both = async (name: Parameters<typeof invoke>[0], call: Parameters<typeof invoke>[1]) => {
  const zh = await invoke(name, call);
  const en = await invoke(name, { ...call, headers: { ...(call?.headers ?? {}), ...EN } });
  return { zh, en };
};

describe('problems answer in Chinese by default, in English with Accept-Language: en (codes unchanged)', () => {
  it('400 VALIDATION_FAILED: the detail and each field message, with no regex shown', async () => {
    const body = { id: 'bad id!', name: '', kind: 'unit', parentId: 'root' };
    const { zh, en } = await both('createOrg', { body, claims: fed });
    expect([zh.status, zh.body.code, en.status, en.body.code]).toEqual([400, 'VALIDATION_FAILED', 400, 'VALIDATION_FAILED']);
    expect(zh.body.detail).toMatch(CJK);
    expect(en.body.detail).toBe('The request is not valid.');
    const idZh = zh.body.errors.find((e: { path: string }) => e.path === 'body.id');
    const idEn = en.body.errors.find((e: { path: string }) => e.path === 'body.id');
    expect(idZh.message).toBe('只能用英文字母、数字和连字符（-），2–40 个字符，不能以连字符开头');
    expect(idEn.message).toMatch(/letters A–Z, digits and hyphens/);
    for (const e of [...zh.body.errors, ...en.body.errors]) expect(e.message).not.toMatch(/\^|\[A-Za-z/);
    expect(zh.body.errors.map((e: { path: string }) => e.path)).toEqual(en.body.errors.map((e: { path: string }) => e.path));
    // A missing field says so, in words.
    const missing = await invoke('createOrg', { body: { id: 'x1', kind: 'unit', parentId: 'root' }, claims: fed });
    expect(missing.body.errors).toContainEqual({ path: 'body.name', message: '必须填写' });
  });

  it('422 business rule: ENROLMENT_CLOSED', async () => {
    const july = { clock: julyClock };
    const body = { planId: plan.id, members: [{ idNumber: idNumber(), name: '张三' }] };
    const { zh, en } = await both('enrolMembers', { params: { unitId: tree.units[0]! }, body, claims: fed, deps: july });
    expect([zh.status, zh.body.code, en.body.code]).toEqual([422, 'ENROLMENT_CLOSED', 'ENROLMENT_CLOSED']);
    expect(zh.body.detail).toBe(`互助方案 ${plan.id} 的参加时间是 ${plan.enrolmentOpen} 至 ${plan.enrolmentClose}，今天不在此期间。`);
    expect(en.body.detail).toBe(`Enrolment in ${plan.id} is open from ${plan.enrolmentOpen} to ${plan.enrolmentClose}.`);
  });

  it('roster row messages: a wrong check character, an age outside the plan, a duplicate — never the person’s values', async () => {
    const good = idNumber('1980-05-17', 201);
    const badCheck = `${good.slice(0, 17)}${good[17] === '0' ? '1' : '0'}`;
    const tooOld = idNumber('1930-01-01', 202);
    const members = [
      { idNumber: badCheck, name: '李四' },
      { idNumber: tooOld, name: '王五' },
      { idNumber: good, name: '赵六' },
      { idNumber: good, name: '赵六' },
    ];
    const call = { params: { unitId: tree.units[1]! }, body: { planId: plan.id, members }, claims: fed, deps: { clock: marchClock } };
    const zh = await invoke('enrolMembers', call);
    expect(zh.status, zh.text).toBe(200);
    const rows = zh.body.rejected as { row: number; code: string; message: string }[];
    expect(rows.map((r) => [r.row, r.code])).toEqual([
      [1, 'INVALID_ID_NUMBER'],
      [2, 'AGE_OUT_OF_RANGE'],
      [4, 'DUPLICATE_IN_REQUEST'],
    ]);
    expect(rows[0]!.message).toBe('身份证号校验位不对，可能是录入错误，请核对');
    expect(rows[1]!.message).toBe(
      `这个方案只接受保障开始当天年满 ${plan.minAge} 周岁、不超过 ${plan.maxAge} 周岁的会员，此人不在这个年龄范围内`,
    );
    expect(rows[2]!.message).toBe('同一个人已在第 3 行');
    for (const r of rows) expect(r.message).not.toMatch(/1930|1980|李四|王五|赵六|\b9[0-9]\b/);
    // The same roster again in English: the good row is ALREADY_ENROLLED now, every message English.
    const en = await invoke('enrolMembers', { ...call, headers: EN });
    const enRows = en.body.rejected as { code: string; message: string }[];
    expect(enRows.map((r) => r.code)).toEqual(['INVALID_ID_NUMBER', 'AGE_OUT_OF_RANGE', 'ALREADY_ENROLLED', 'DUPLICATE_IN_REQUEST']);
    expect(enRows[0]!.message).toMatch(/check character does not match/);
    expect(enRows[2]!.message).toBe('this person is already enrolled in this plan');
    for (const r of enRows) expect(r.message).not.toMatch(CJK);
  });

  it('404 NOT_FOUND and 403 FORBIDDEN', async () => {
    const nf = await both('getPlan', { params: { id: 'no-such-plan' }, claims: fed });
    expect([nf.zh.status, nf.zh.body.code, nf.en.body.code]).toEqual([404, 'NOT_FOUND', 'NOT_FOUND']);
    expect(nf.zh.body.detail).toBe('找不到互助方案 no-such-plan。');
    expect(nf.en.body.detail).toBe('Plan no-such-plan was not found.');
    const stranger = as('unit_admin', tree.units[1]!);
    const fb = await both('getOrg', { params: { id: tree.units[0]! }, claims: stranger });
    expect([fb.zh.status, fb.zh.body.code, fb.en.body.code]).toEqual([403, 'FORBIDDEN', 'FORBIDDEN']);
    expect(fb.zh.body.detail).toBe(`组织 ${tree.units[0]} 不在您的管理范围内。`);
    expect(fb.en.body.detail).toBe(`Org ${tree.units[0]} is outside your scope.`);
    const claim = await both('getClaim', { params: { id: `${UNKNOWN}${UNKNOWN}` }, claims: fed });
    expect([claim.zh.status, claim.zh.body.detail]).toEqual([404, `找不到申请 ${UNKNOWN}${UNKNOWN}。`]);
  });

  it('q-values decide: English only when it is preferred', async () => {
    const zhPreferred = await invoke('getPlan', {
      params: { id: 'no-such-plan' },
      claims: fed,
      headers: { 'accept-language': 'en;q=0.4, zh-CN;q=0.8' },
    });
    expect(zhPreferred.body.detail).toMatch(CJK);
  });
});

describe('claims a reviewer can read (issue 17 item 4)', () => {
  it('GET /claims/{id} names the member (ID number masked); requiredDocuments says a settlement statement is needed once insurance paid', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const enrolmentId = await enrolOne(unit, plan.id, { name: '欧阳娜娜' });
    const filed = await file(stay(enrolmentId, { insuranceReimbursedFen: 300_000 }), clerk);
    expect(filed.status, filed.text).toBe(201);
    expect(filed.body.requiredDocuments).toEqual([
      { kind: 'invoice', uploaded: false },
      { kind: 'discharge_summary', uploaded: false },
      { kind: 'settlement_statement', uploaded: false },
    ]);
    const id = filed.body.claimId as string;
    await upload(id, clerk, 'invoice');
    const got = await invoke('getClaim', { params: { id }, claims: clerk });
    expect(got.status).toBe(200);
    expect(got.body.memberName).toBe('欧阳娜娜');
    expect(got.body.idNumberMasked).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(got.body.requiredDocuments).toEqual([
      { kind: 'invoice', uploaded: true },
      { kind: 'discharge_summary', uploaded: false },
      { kind: 'settlement_statement', uploaded: false },
    ]);
    // Without insurance money the statement is not required.
    const plain = await file(stay(await enrolOne(unit, plan.id), { insuranceReimbursedFen: 0 }), clerk);
    expect(plain.body.requiredDocuments.map((d: { kind: string }) => d.kind)).toEqual(['invoice', 'discharge_summary']);
  });

  it('submit names the missing documents in the detail, in the reader’s language', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const filed = await file(stay(await enrolOne(unit, plan.id), { insuranceReimbursedFen: 300_000 }), clerk);
    const id = filed.body.claimId as string;
    await upload(id, clerk, 'invoice', PDF);
    const zh = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
    expect([zh.status, zh.body.code]).toEqual([422, 'DOCUMENTS_MISSING']);
    expect(zh.body.detail).toBe('提交前还需上传：出院小结、医保结算单。');
    expect(zh.body.missing).toEqual(['discharge_summary', 'settlement_statement']);
    const en = await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock }, headers: EN });
    expect(en.body.detail).toBe('Upload before submitting: discharge summary, insurance settlement statement.');
    expect(en.body.errors).toEqual([
      { path: 'documents', message: 'an uploaded discharge summary is required' },
      { path: 'documents', message: 'an uploaded insurance settlement statement is required' },
    ]);
  });
});
