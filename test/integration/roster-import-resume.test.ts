import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../infra/cors';
import { buildDeps } from '../../shared/deps';
import { logger } from '../../shared/http/logger';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { keys } from '../../shared/store/keys';
import { throttled, faultyStore } from '../support/faults';
import { createPlan, createTree, people } from '../support/fixtures';
import { CSV, createAndUpload, fetchResults, getImport, jobDeps, laterClock, listAll, runJob } from '../support/rosterImports';

/** Interrupted, repeated and concurrent runs of the import job, against the real emulators. */
const store = buildDeps();
const csvOf = (rows: string[][]) => new TextEncoder().encode(`身份证号,姓名,份数\n${rows.map((r) => r.join(',')).join('\n')}\n`);
const record = (importId: string) => store.rosterImports.get(importId, true);
const counted = async (unitId: string, planId: string) => (await readUnitPlanCounters(store.store, unitId, planId)).enrolled ?? 0;

/** A roster of n distinct people with one bad row and one duplicate a batch apart; returns the bytes, the people and the expected counts. */
const roster = (n: number) => {
  const ps = people(n);
  const rows = ps.map((p, i) => [p.idNumber, '王小明', String(1 + (i % 3))]);
  rows[2] = ['110105194912310021', '李四', '1'];
  rows[n - 1] = [ps[0]!.idNumber, '王小明', '1'];
  return { bytes: csvOf(rows), ps, accepted: n - 2 };
};

/** The whole import is right: done, every row once in the results, every accepted person enrolled once, counters equal to the list. */
const expectComplete = async (importId: string, unit: string, planId: string, r: ReturnType<typeof roster>) => {
  const got = await getImport(importId);
  expect(got.body).toMatchObject({ status: 'done', rows: r.ps.length, accepted: r.accepted, rejected: 2, progressPermille: 1000 });
  const { text, rows } = await fetchResults(got.body.results);
  expect(rows.map((x) => x.row)).toEqual(r.ps.map((_, i) => i + 1));
  expect(rows.filter((x) => x.code !== '').map((x) => [x.row, x.code])).toEqual([
    [3, 'INVALID_ID_NUMBER'],
    [r.ps.length, 'DUPLICATE_IN_REQUEST'],
  ]);
  const listed = await listAll(unit, planId);
  expect(listed).toHaveLength(r.accepted);
  expect(new Set(listed.map((e) => e.enrolmentId)).size).toBe(r.accepted);
  expect(new Set(listed.map((e) => e.enrolmentId))).toEqual(new Set(rows.filter((x) => x.code === '').map((x) => x.enrolmentId)));
  expect(await counted(unit, planId)).toBe(r.accepted);
  for (const p of r.ps) expect(text.includes(p.idNumber)).toBe(false);
};

let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  tree = await createTree(4);
});

describe('an import killed midway resumes without enrolling anyone twice', () => {
  it('SIGKILL after the first checkpoint, with enrolments past it already written; the next delivery finishes exactly', async () => {
    const plan = await createPlan();
    const unit = tree.units[0]!;
    const r = roster(3000);
    const importId = await createAndUpload(unit, plan.id, r.bytes, CSV);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'support', 'import-child.ts'), importId, '2026-03-10T04:00:00Z'],
      {
        cwd: repoRoot,
        env: process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    try {
      // Kill once a checkpoint is recorded AND more people are enrolled than it accounts for (a batch in flight).
      await vi.waitFor(
        async () => {
          const rec = await record(importId);
          expect(rec?.lastRow ?? 0).toBeGreaterThan(0);
          expect(await counted(unit, plan.id)).toBeGreaterThan(rec!.accepted);
        },
        { timeout: 30_000, interval: 10 },
      );
    } catch (e) {
      throw new Error(`the child never reached a checkpoint: ${stderr.slice(-1500)}`, { cause: e });
    } finally {
      child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    const killed = (await record(importId))!;
    expect(killed.status).toBe('processing');
    expect(killed.lastRow).toBeLessThan(3000);
    expect(await counted(unit, plan.id)).toBeGreaterThan(killed.accepted);

    // The dead run's lease still holds under the same clock: a delivery now leaves it; once it lapses, the next resumes.
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'busy' }]);
    expect(await runJob(importId, jobDeps({ clock: laterClock }))).toEqual([{ importId, outcome: 'done' }]);
    expect((await record(importId))!.runs).toBe(2);
    await expectComplete(importId, unit, plan.id, r);
  }, 90_000);

  it('DynamoDB unavailable mid-import: the run stops at its checkpoint and lets go; a retry resumes at once and finishes exactly', async () => {
    const plan = await createPlan();
    const unit = tree.units[1]!;
    const r = roster(2500);
    const importId = await createAndUpload(unit, plan.id, r.bytes, CSV);
    // The 15th transaction and every one after it fail: well into the second batch.
    const down = faultyStore((cmd, n) => (cmd === 'TransactWriteItemsCommand' && n >= 15 ? throttled() : undefined));
    await expect(runJob(importId, jobDeps(down.deps))).rejects.toThrow();
    const stopped = (await record(importId))!;
    expect(stopped).toMatchObject({ status: 'processing', lastRow: 990, rows: 2500 });
    expect(stopped.leaseId).toBeUndefined();
    expect((await getImport(importId)).body).toMatchObject({ status: 'processing', progressPermille: 396, accepted: 989, rejected: 1 });

    expect(await runJob(importId)).toEqual([{ importId, outcome: 'done' }]);
    await expectComplete(importId, unit, plan.id, r);
  }, 90_000);
});

describe('repeated and concurrent deliveries', () => {
  it('two deliveries at once: one runs, the other waits and finds it done; a later repeat changes nothing', async () => {
    const plan = await createPlan();
    const unit = tree.units[2]!;
    const r = roster(1200);
    const importId = await createAndUpload(unit, plan.id, r.bytes, CSV);
    const deps = jobDeps();
    const outcomes = await Promise.all([
      runJob(importId, deps, { waitMs: 30_000, pollMs: 50 }),
      runJob(importId, deps, { waitMs: 30_000, pollMs: 50 }),
    ]);
    expect(outcomes.map(([o]) => o!.outcome).sort()).toEqual(['done', 'ignored']);
    const done = (await record(importId))!;
    expect(done.runs).toBe(1);
    await expectComplete(importId, unit, plan.id, r);

    expect(await runJob(importId, jobDeps({ clock: laterClock }))).toEqual([{ importId, outcome: 'ignored' }]);
    expect((await record(importId))!.version).toBe(done.version);
    expect(await counted(unit, plan.id)).toBe(r.accepted);
  }, 60_000);
});

describe('personal data', () => {
  afterEach(() => {
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();
  });

  it('no ID number, name or phone in the logs of a run, nor in the import record', async () => {
    const plan = await createPlan();
    const unit = tree.units[3]!;
    const [a, b] = people(2);
    const bytes = new TextEncoder().encode(`身份证号,姓名,手机号\n${a!.idNumber},欧阳娜娜,13912345678\n${b!.idNumber},司马光,oops\n`);
    const importId = await createAndUpload(unit, plan.id, bytes, CSV);
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
    logger.setLogLevel('DEBUG');
    expect(await runJob(importId)).toEqual([{ importId, outcome: 'done' }]);
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();

    const logged = lines.join('');
    expect(logged).toContain(importId);
    expect(logged).toContain('roster import done');
    const item = await store.db.send(new GetCommand({ TableName: store.config.tableName, Key: keys.rosterImport(importId) }));
    for (const secret of [a!.idNumber, b!.idNumber, '欧阳娜娜', '司马光', '13912345678', a!.idNumber.slice(6, 14)]) {
      expect(logged).not.toContain(secret);
      expect(JSON.stringify(item.Item)).not.toContain(secret);
    }
  });
});
