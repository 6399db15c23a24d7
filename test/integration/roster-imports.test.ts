import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, startS3 } from '../../infra/local/emulators';
import { TEST_CLOCK_HEADER } from '../../infra/local/s3front';
import { deliverRosterUploads } from '../../infra/local/imports';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { decodePolicy } from '../../shared/objects/presign';
import { makeS3Client } from '../../shared/objects/client';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { keys } from '../../shared/store/keys';
import { FIXTURES } from '../fixtures/make-fixtures';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { as, invoke } from '../support/invoke';
import {
  CSV,
  createAndUpload,
  createImport,
  enrolFile,
  fetchResults,
  getImport,
  jobDeps,
  listAll,
  type ResultRow,
  runJob,
  XLSX,
} from '../support/rosterImports';

const store = buildDeps();
const MiB = 1024 * 1024;
const csvOf = (rows: string[][], header = 'idNumber,name,shares,phone') =>
  new TextEncoder().encode(`${[header, ...rows.map((r) => r.join(','))].join('\n')}\n`);
const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/${name}`, import.meta.url)));

let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  tree = await createTree(2);
});

describe('a roster import, end to end (create → presigned upload → S3 event → job → GET → results CSV)', () => {
  it('enrols 2,100 rows in batches with the same rules as the synchronous API, DUPLICATE_IN_REQUEST across batches', async () => {
    const plan = await createPlan();
    const unit = tree.units[0]!;
    const ps = people(2100);
    const elsewhere = await invoke('enrolMembers', {
      params: { unitId: tree.units[1]! },
      body: { planId: plan.id, members: [ps[10]] },
      claims: fed,
      deps: { clock: marchClock },
    });
    const existingId = elsewhere.body.enrolments[0].enrolmentId;
    const rows = ps.map((p) => [p.idNumber, '王小明', '1', '']);
    rows[6] = ['110105194912310021', '李四', '1', '']; // wrong check character
    rows[999] = [ps[999]!.idNumber, '王小明', '9', '']; // maxShares is 3
    rows[1999] = [ps[4]!.idNumber.toLowerCase(), '王小明', '1', '']; // row 2,000 is row 5's person (another batch)
    const importId = await createAndUpload(unit, plan.id, csvOf(rows), CSV);

    expect((await getImport(importId)).body).toMatchObject({ status: 'awaiting_upload', rows: 0, progressPermille: 0 });
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'done' }]);

    const got = await getImport(importId);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      importId,
      unitId: unit,
      planId: plan.id,
      status: 'done',
      rows: 2100,
      accepted: 2096,
      rejected: 4,
      progressPermille: 1000,
    });
    const { text, rows: results } = await fetchResults(got.body.results);
    expect(results.map((r) => r.row)).toEqual(ps.map((_, i) => i + 1));
    const rejected = results.filter((r) => r.code !== '');
    expect(rejected.map((r) => [r.row, r.code])).toEqual([
      [7, 'INVALID_ID_NUMBER'],
      [11, 'ALREADY_ENROLLED'],
      [1000, 'INVALID_SHARES'],
      [2000, 'DUPLICATE_IN_REQUEST'],
    ]);
    // Named by the file's line (the header is line 1), as the rejection's own line is: row 5 is line 6.
    expect(rejected.find((r) => r.row === 2000)!.message).toBe('the same person is on row 6');
    expect(rejected.find((r) => r.row === 11)!.enrolmentId).toBe(existingId); // the federation reaches that unit
    expect(results[0]).toEqual({
      row: 1,
      masked: `${ps[0]!.idNumber.slice(0, 6)}********${ps[0]!.idNumber.slice(14)}`,
      outcome: '已参加',
      enrolmentId: expect.stringMatching(/^[0-9A-Z]{26}$/),
      code: '',
      message: '',
      messageZh: '',
    });

    // Exactly the accepted rows are stored, and the counters say so.
    const listed = await listAll(unit, plan.id);
    expect(listed).toHaveLength(2096);
    expect(new Set(listed.map((e) => e.enrolmentId))).toEqual(new Set(results.filter((r) => r.code === '').map((r) => r.enrolmentId)));
    const c = await readUnitPlanCounters(store.store, unit, plan.id);
    expect([c.enrolled, c.contributionsFen]).toEqual([2096, 2096 * 5000]);

    // No full ID number in the results or the import record.
    const item = await store.db.send(new GetCommand({ TableName: store.config.tableName, Key: keys.rosterImport(importId) }));
    const recordText = JSON.stringify(item.Item);
    for (const p of ps) {
      expect(text.includes(p.idNumber)).toBe(false);
      expect(recordText.includes(p.idNumber)).toBe(false);
    }
  }, 60_000);
});

/** What a row came to, in the words of test/fixtures/README.md. */
const outcomeOf = (r: { code?: string; message?: string } | undefined) => {
  if (!r?.code) return 'enrolled';
  return r.code === 'INVALID_ID_NUMBER' && r.message?.includes('设置为文本格式') ? 'INVALID_ID_NUMBER (Excel damage)' : r.code;
};

describe.each(Object.keys(FIXTURES))('sample roster %s', (name) => {
  const type = name.endsWith('.xlsx') ? XLSX : CSV;
  const expected = FIXTURES[name]!.map((r) => r.outcome);

  it('enrols as test/fixtures/README.md says through the synchronous API', async () => {
    const plan = await createPlan();
    const r = await enrolFile(tree.units[0]!, plan.id, fixture(name), type);
    expect(r.status).toBe(200);
    const byRow = new Map<number, { code?: string; message?: string }>(r.body.rejected.map((x: { row: number }) => [x.row, x]));
    expect(expected.map((_, i) => outcomeOf(byRow.get(i + 1)))).toEqual(expected);
    expect(r.body.accepted).toBe(expected.filter((o) => o === 'enrolled').length);
  });

  it('enrols the same way through an import', async () => {
    const plan = await createPlan();
    const importId = await createAndUpload(tree.units[0]!, plan.id, fixture(name), type);
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'done' }]);
    const got = await getImport(importId);
    const accepted = expected.filter((o) => o === 'enrolled').length;
    expect(got.body).toMatchObject({ status: 'done', rows: expected.length, accepted, rejected: expected.length - accepted });
    const { rows } = await fetchResults(got.body.results);
    expect(rows.map((r: ResultRow) => outcomeOf(r))).toEqual(expected);
    expect(await listAll(tree.units[0]!, plan.id)).toHaveLength(accepted);
  });
});

describe('the local stand-in for S3 → Lambda (infra/local/imports.ts)', () => {
  it("s3rver's object-created event for the upload runs the import; its own results writes start nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huzhu-imports-'));
    const bucket = 'huzhu-imports';
    const base = buildDeps();
    let s3: ReturnType<typeof makeS3Client> | undefined;
    let server: Awaited<ReturnType<typeof startS3>> | undefined;
    try {
      const port = await freePort();
      const config = { ...base.config, bucketName: bucket, s3Endpoint: `http://127.0.0.1:${port}` };
      s3 = makeS3Client(config);
      const deps = { config, s3, clock: marchClock };
      const events: string[] = [];
      const deliver = deliverRosterUploads(() => buildDeps(deps));
      server = await startS3({
        port,
        directory: dir,
        bucket,
        corsOrigins: [],
        clockHeader: TEST_CLOCK_HEADER,
        onObjectCreated: async (e) => {
          events.push(decodeURIComponent(e.Records[0]!.s3.object.key));
          await deliver(e);
        },
      });
      const plan = await createPlan();
      const importId = await createAndUpload(tree.units[1]!, plan.id, fixture('roster.xlsx'), XLSX, { deps });
      await expect.poll(async () => (await getImport(importId, fed, deps)).body.status, { timeout: 20_000, interval: 200 }).toBe('done');
      const got = await getImport(importId, fed, deps);
      expect(got.body).toMatchObject({ rows: 4, accepted: 3, rejected: 1 });
      expect((await fetchResults(got.body.results)).rows.map((r) => r.row)).toEqual([1, 2, 3, 4]);
      expect(events[0]).toBe(`imports/${importId}/roster`);
      expect(events).toContain(`imports/${importId}/results.csv`); // delivered too, and skipped by the job
    } finally {
      s3?.destroy();
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 40_000);
});

describe('uploads that are not what was declared fail the import with a clear error, enrolling no one', () => {
  const failed = async (bytes: Uint8Array, type: string, declaredType = type, sizeBytes?: number) => {
    const plan = await createPlan();
    const importId = await createAndUpload(tree.units[0]!, plan.id, bytes, declaredType, { sizeBytes });
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'failed' }]);
    const got = await getImport(importId);
    expect(got.body.status).toBe('failed');
    expect(got.body.results).toBeUndefined();
    expect(await listAll(tree.units[0]!, plan.id)).toHaveLength(0);
    // A repeated event changes nothing.
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'ignored' }]);
    return got.body.error as { code: string; message: string };
  };
  const someone = people(1)[0]!;

  it('larger than declared (the POST policy refuses it; the job does not rely on that)', async () => {
    const bytes = csvOf(people(50).map((p) => [p.idNumber, '张三', '1', '']));
    expect(await failed(bytes, CSV, CSV, 100)).toEqual({
      code: 'FILE_TOO_LARGE',
      message: `上传的文件有 ${bytes.length} 字节，比申报的 100 字节大：请按实际大小重新发起导入`,
    });
  });

  it('of the wrong kind: a CSV declared as a workbook, a workbook declared as CSV', async () => {
    const csv = csvOf([[someone.idNumber, '张三', '1', '']]);
    expect((await failed(csv, CSV, XLSX)).code).toBe('NOT_A_WORKBOOK');
    expect(await failed(fixture('roster.xlsx'), XLSX, CSV)).toEqual({
      code: 'NOT_A_CSV',
      message: '这是 Excel 工作簿，不是 CSV 文件：请重新发起导入并申报为 Excel 类型',
    });
  });

  it('whole-file faults are found before anyone is enrolled: no ID column, more than 50,000 rows, no data rows', async () => {
    const noId = await failed(csvOf([[someone.idNumber, '张三']], 'number,name'), CSV);
    expect(noId.code).toBe('HEADER_INVALID');
    expect(noId.message).not.toContain(someone.idNumber);
    // 50,001 rows: the reader stops at row 50,001 of the first pass; the first 50,000 would have been fine to enrol.
    const many = csvOf(Array.from({ length: 50_001 }, () => [someone.idNumber, '张三', '1', '']));
    expect((await failed(many, CSV)).code).toBe('TOO_MANY_ROWS');
    expect(await failed(csvOf([]), CSV)).toEqual({ code: 'NO_DATA_ROWS', message: '名单中没有数据行。' });
  }, 30_000);

  it('no upload at all (an event for a missing object) and an unknown import', async () => {
    const plan = await createPlan();
    const r = await createImport(tree.units[0]!, { planId: plan.id, fileName: 'a.csv', contentType: CSV, sizeBytes: 10 });
    expect(await runJob(r.body.importId)).toEqual([{ importId: r.body.importId, outcome: 'failed' }]);
    expect((await getImport(r.body.importId)).body.error.code).toBe('UPLOAD_MISSING');
    expect(await runJob('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toEqual([{ importId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', outcome: 'ignored' }]);
  });
});

describe('POST /units/{unitId}/roster-imports and GET /roster-imports/{importId}', () => {
  const body = (planId: string, over: Record<string, unknown> = {}) => ({
    planId,
    fileName: '2026年职工名册.xlsx',
    contentType: XLSX,
    sizeBytes: 4096,
    ...over,
  });

  it('201 with Location and a presigned POST pinning key, type and the declared size; Idempotency-Key replays it', async () => {
    const plan = await createPlan();
    const headers = { 'idempotency-key': `k-${plan.id}` };
    const r = await createImport(tree.units[0]!, body(plan.id), { headers });
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/roster-imports/${r.body.importId}`);
    const policy = decodePolicy(r.body.upload.fields);
    expect(policy.conditions).toContainEqual({ key: `imports/${r.body.importId}/roster` });
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', XLSX]);
    expect(policy.conditions).toContainEqual(['content-length-range', 1, 4096]);
    expect(JSON.stringify(r.body)).not.toContain('职工名册');
    const again = await createImport(tree.units[0]!, body(plan.id), { headers });
    expect([again.status, again.body.importId]).toEqual([201, r.body.importId]);

    const clerk = as('unit_admin', tree.units[0]!);
    const got = await getImport(r.body.importId, clerk);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      importId: r.body.importId,
      unitId: tree.units[0],
      planId: plan.id,
      fileName: '2026年职工名册.xlsx',
      contentType: XLSX,
      sizeBytes: 4096,
      status: 'awaiting_upload',
      rows: 0,
      accepted: 0,
      rejected: 0,
      skippedRows: 0,
      progressPermille: 0,
      createdAt: '2026-03-10T04:00:00.000Z',
    });
  });

  it('400 for a content type, size or field outside the contract (a malformed funding included); 401 without a token', async () => {
    const plan = await createPlan();
    const bad = [
      body(plan.id, { contentType: 'application/pdf' }),
      body(plan.id, { contentType: 'text/csv; charset=utf-8' }),
      body(plan.id, { sizeBytes: 0 }),
      body(plan.id, { sizeBytes: 20 * MiB + 1 }),
      body(plan.id, { sizeBytes: 1.5 }),
      body(plan.id, { fileName: '' }),
      body(plan.id, { funding: { unionPerShareFen: 1.5 } }),
      body(plan.id, { funding: { workerPerShareFen: 100 } }),
      { planId: plan.id },
    ];
    for (const b of bad) {
      const r = await createImport(tree.units[0]!, b);
      expect(`${r.status} ${r.body.code}`, JSON.stringify(b)).toBe('400 VALIDATION_FAILED');
    }
    expect((await createImport(tree.units[0]!, body(plan.id, { sizeBytes: 20 * MiB }))).status).toBe(201);
    expect((await invoke('createRosterImport', { params: { unitId: tree.units[0]! }, body: body(plan.id) })).status).toBe(401);
    expect((await invoke('getRosterImport', { params: { importId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' } })).status).toBe(401);
    expect((await getImport('not-an-id')).status).toBe(400);
  });

  it('404 unknown plan, unit or import; 403 outside scope; 422 NOT_A_UNIT and ENROLMENT_CLOSED', async () => {
    const plan = await createPlan();
    const other = as('unit_admin', tree.units[1]!);
    const codes = async (unitId: string, b: Record<string, unknown>, claims = fed, clock = marchClock) => {
      const r = await createImport(unitId, b, { claims, deps: { clock } });
      return `${r.status} ${r.body.code}`;
    };
    expect(await codes(tree.units[0]!, body('no-such-plan'))).toBe('404 NOT_FOUND');
    expect(await codes('no-such-unit', body(plan.id))).toBe('404 NOT_FOUND');
    expect(await codes(tree.units[0]!, body(plan.id), other)).toBe('403 FORBIDDEN');
    // Access before work (SPEC §3): another unit's import is 403 even when its plan does not exist.
    expect(await codes(tree.units[0]!, body('no-such-plan'), other)).toBe('403 FORBIDDEN');
    expect(await codes(tree.office, body(plan.id))).toBe('422 NOT_A_UNIT');
    expect(await codes(tree.units[0]!, body(plan.id), fed, fixedClock('2026-07-01T04:00:00Z'))).toBe('422 ENROLMENT_CLOSED');

    const r = await createImport(tree.units[0]!, body(plan.id));
    expect((await getImport(r.body.importId, other)).status).toBe(403);
    expect((await getImport(r.body.importId, as('office_staff', tree.office))).status).toBe(200);
    expect((await getImport('01ARZ3NDEKTSV4RRFFQ69G5FAV')).body.code).toBe('NOT_FOUND');
  });

  it('enrols as the principal who created it: an office clerk sees ALREADY_ENROLLED ids only in its subtree', async () => {
    const plan = await createPlan();
    const outside = await createTree(1);
    const [p] = people(1);
    await invoke('enrolMembers', {
      params: { unitId: outside.units[0]! },
      body: { planId: plan.id, members: [p] },
      claims: fed,
      deps: { clock: marchClock },
    });
    const staff = as('office_staff', tree.office);
    const importId = await createAndUpload(tree.units[0]!, plan.id, csvOf([[p!.idNumber, '张三', '1', '']]), CSV, { claims: staff });
    await runJob(importId, jobDeps());
    const got = await getImport(importId, staff);
    const [row] = (await fetchResults(got.body.results)).rows;
    expect([row!.code, row!.enrolmentId]).toEqual(['ALREADY_ENROLLED', '']);
  });
});
