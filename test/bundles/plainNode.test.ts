import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions } from '../../infra/bundling';
import { repoRoot } from '../../infra/cors';
import { buildHttpEvent } from '../../infra/local/event';
import { idTokenClaims } from '../../infra/local/jwt';
import { systemClock } from '../../shared/clock';
import { shanghaiToday } from '../../shared/domain/dates';
import { routes } from '../../shared/http/routes';
import { planOpenOn } from '../support/examplePlan';
import { fed, idNumber } from '../support/fixtures';
import { invoke, uid } from '../support/invoke';
import { createImport, getImport, s3Event, upload } from '../support/rosterImports';

/**
 * The bundles that read files (rosters: CSV, GBK CSV, XLSX, multipart) run
 * here in a plain `node` child process — not in vitest's module runner,
 * which supplies a `require` of its own and so hides the very break the
 * bundle's `require` banner (infra/bundling.ts) exists for: CommonJS
 * dependencies calling `require("fs")` inside an ES module. Each input format
 * goes through the code that parses it. The last test builds the same bundles
 * without the banner and expects this harness to see them fail, so the test
 * is shown able to fail on every run.
 */
const exec = promisify(execFile);
const FUNCTIONS = ['enrolMembers', 'rosterImport'] as const;
let withBanner: string;
let withoutBanner: string;

/** Imports a bundle and calls its handler once, as the Lambda runtime would; prints the answer on one line. */
const DRIVER = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, eventFile] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundle).href);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const deadline = Date.now() + 15 * 60000; // Lambda's longest timeout: the import job keeps a minute's margin
const context = { functionName: 'plain-node', awsRequestId: 'plain-node', getRemainingTimeInMillis: () => deadline - Date.now() };
const answer = await handler(event, context);
process.stdout.write('ANSWER ' + JSON.stringify(answer) + '\\n');
`;

const bundleInto = async (dir: string, banner: boolean) => {
  const entries = Object.fromEntries(FUNCTIONS.map((n) => [n, join(repoRoot, 'functions', n, 'handler.ts')]));
  const options = esbuildOptions(entries, dir);
  const result = await build({ ...options, ...(banner ? {} : { banner: {} }), absWorkingDir: repoRoot });
  expect(result.errors).toEqual([]);
  writeFileSync(join(dir, 'driver.mjs'), DRIVER);
};

/** Runs `node driver.mjs <bundle> <event>` with the test stack's configuration and nothing of vitest's. */
const runInNode = async (dir: string, fn: (typeof FUNCTIONS)[number], event: unknown) => {
  const eventFile = join(dir, `event-${uid('e')}.json`);
  writeFileSync(eventFile, JSON.stringify(event));
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(NODE_OPTIONS|VITEST|TSX)/.test(k)));
  try {
    const { stdout } = await exec(process.execPath, [join(dir, 'driver.mjs'), join(dir, `${fn}.mjs`), eventFile], {
      env,
      cwd: dir,
      timeout: 60_000,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('ANSWER '));
    return { ok: true as const, answer: JSON.parse(line!.slice(7)), stderr: '' };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    // The bundle's own source line can be the whole file: keep the end, where the error is.
    return { ok: false as const, answer: undefined, stderr: (err.stderr ?? err.message).slice(-1500) };
  }
};

const today = shanghaiToday(new Date());
const planId = uid('pnplan');
const unitId = uid('pnunit');
const clerk = idTokenClaims({ sub: 'clerk@plain-node', role: 'unit_admin', org: unitId });

/** The enrolment request API Gateway would hand the function, body as sent. */
const enrolEvent = (body: Buffer | string, contentType: string, query = '') =>
  buildHttpEvent({
    method: 'POST',
    routePath: routes.enrolMembers.path,
    rawPath: `/units/${unitId}/enrolments`,
    rawQueryString: query,
    headers: { 'content-type': contentType },
    pathParameters: { unitId },
    body,
    claims: clerk,
  });

const person = (seq: number) => idNumber('1981-02-03', seq, 31);
/** A name per number, without digits (a name with digits is a rejected row). */
const nameOf = (seq: number) => `${'赵钱孙李周吴郑王'[seq % 8]}${'一二三四五六七八九十'[Math.floor(seq / 8) % 10]}`;
const csv = (seqs: number[]) => `idNumber,name,shares\n${seqs.map((s) => `${person(s)},${nameOf(s)},1`).join('\n')}\n`;

beforeAll(async () => {
  withBanner = mkdtempSync(join(tmpdir(), 'huzhu-plain-'));
  withoutBanner = mkdtempSync(join(tmpdir(), 'huzhu-plain-nobanner-'));
  await Promise.all([bundleInto(withBanner, true), bundleInto(withoutBanner, false)]);
  const org = await invoke('createOrg', {
    body: { id: unitId, name: '普通节点单位', kind: 'unit', parentId: 'root', headcount: 50 },
    claims: fed,
  });
  expect(org.status, org.text).toBe(201);
  const plan = await invoke('createPlan', { body: planOpenOn(today, planId), claims: fed });
  expect(plan.status, plan.text).toBe(201);
}, 120_000);

afterAll(() => {
  rmSync(withBanner, { recursive: true, force: true });
  rmSync(withoutBanner, { recursive: true, force: true });
});

describe('bundles in a plain node process, one input format at a time', () => {
  it('enrolMembers: JSON', async () => {
    const body = JSON.stringify({ planId, members: [{ idNumber: person(101), name: '赵一' }] });
    const r = await runInNode(withBanner, 'enrolMembers', enrolEvent(body, 'application/json'));
    expect(r.stderr).toBe('');
    expect(r.answer.statusCode, r.answer.body).toBe(200);
    expect(JSON.parse(r.answer.body)).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('enrolMembers: a CSV roster', async () => {
    const r = await runInNode(withBanner, 'enrolMembers', enrolEvent(csv([102, 103]), 'text/csv', `planId=${planId}`));
    expect(r.stderr).toBe('');
    expect(r.answer.statusCode, r.answer.body).toBe(200);
    expect(JSON.parse(r.answer.body)).toMatchObject({ accepted: 2, rejected: [] });
  });

  it('enrolMembers: an Excel workbook', async () => {
    const { buildXlsx } = await import('../fixtures/writers');
    const xlsx = buildXlsx([
      {
        name: '名册',
        rows: [
          ['身份证号', '姓名', '份数'],
          [person(104), '钱二', 1],
        ],
      },
    ]);
    const type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const r = await runInNode(withBanner, 'enrolMembers', enrolEvent(Buffer.from(xlsx), type, `planId=${planId}`));
    expect(r.stderr).toBe('');
    expect(r.answer.statusCode, r.answer.body).toBe(200);
    expect(JSON.parse(r.answer.body)).toMatchObject({ accepted: 1, rejected: [] });
  });

  it('enrolMembers: multipart/form-data with a GBK CSV file part', async () => {
    const gbk = readFileSync(join(repoRoot, 'test/fixtures/roster-gbk.csv'));
    const fd = new FormData();
    fd.append('file', new Blob([gbk], { type: 'text/csv' }), '职工名册.csv');
    const req = new Request('http://localhost/', { method: 'POST', body: fd });
    const body = Buffer.from(await req.arrayBuffer());
    const r = await runInNode(withBanner, 'enrolMembers', enrolEvent(body, req.headers.get('content-type')!, `planId=${planId}`));
    expect(r.stderr).toBe('');
    expect(r.answer.statusCode, r.answer.body).toBe(200);
    // The GBK fixture's rows are decoded and enrolled (names read as Chinese, not rejected as mojibake).
    const result = JSON.parse(r.answer.body);
    expect(result.accepted).toBeGreaterThan(0);
    expect(result.rejected.filter((x: { code: string }) => x.code === 'INVALID_NAME')).toEqual([]);
  });

  for (const format of ['csv', 'xlsx'] as const) {
    it(`rosterImport: a ${format.toUpperCase()} file uploaded through the presigned POST, run by the S3 event`, async () => {
      const { buildXlsx } = await import('../fixtures/writers');
      const seqs = format === 'csv' ? [201, 202, 203] : [301, 302];
      const bytes =
        format === 'csv'
          ? new TextEncoder().encode(csv(seqs))
          : buildXlsx([{ name: 'Sheet1', rows: [['idNumber', 'name', 'shares'], ...seqs.map((s) => [person(s), nameOf(s), 1])] }]);
      const contentType = format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
      const created = await createImport(
        unitId,
        { planId, fileName: `名册.${format}`, contentType, sizeBytes: bytes.length },
        { claims: clerk, deps: { clock: systemClock } },
      );
      expect(created.status, created.text).toBe(201);
      await upload(created.body.upload, bytes, contentType);
      const r = await runInNode(withBanner, 'rosterImport', s3Event(created.body.importId));
      expect(r.stderr).toBe('');
      expect(r.ok).toBe(true);
      const got = await getImport(created.body.importId, clerk, { clock: systemClock });
      expect(got.body).toMatchObject({ status: 'done', accepted: seqs.length, rejected: 0 });
    });
  }

  it('without the require banner the same bundles fail in plain node (the harness can see the break)', async () => {
    const r = await runInNode(withoutBanner, 'enrolMembers', enrolEvent(csv([401]), 'text/csv', `planId=${planId}`));
    expect(r.ok).toBe(false);
    expect(r.stderr).toMatch(/Dynamic require of "\w+" is not supported/);
    const job = await runInNode(withoutBanner, 'rosterImport', s3Event('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
    expect(job.ok).toBe(false);
    expect(job.stderr).toMatch(/Dynamic require of "\w+" is not supported/);
  });
});
