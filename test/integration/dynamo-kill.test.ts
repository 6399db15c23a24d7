import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapStore } from '../../infra/local/bootstrap';
import { freePort, type RunningDynamo, startDynamo } from '../../infra/local/emulators';
import { type AppConfig, loadConfig } from '../../shared/config';
import { buildDeps, type Deps } from '../../shared/deps';
import { runReconcile } from '../../shared/report/reconcileRun';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { makeDocClient, makeDynamoClient } from '../../shared/store/client';
import { fed, marchClock, people, planBody } from '../support/fixtures';
import { invoke, uid } from '../support/invoke';

/**
 * DynamoDB Local of its own, on disk, killed (SIGKILL) in the middle of a
 * 5,000-row roster and restarted on the same files (issue 19): the request
 * answers 503, the counters still equal the enrolments that landed
 * (reconcile clean), and the client's retry with the same Idempotency-Key
 * completes the roster exactly once.
 */
const ROWS = 5_000;
let dir: string;
let port: number;
let dynamo: RunningDynamo;
let config: AppConfig;
const depsFor = (): Partial<Deps> => {
  const ddb = makeDynamoClient(config);
  return { config, ddb, db: makeDocClient(ddb), clock: marchClock };
};

beforeAll(async () => {
  process.env.DYNAMO_START_SECONDS ??= '120';
  dir = mkdtempSync(join(tmpdir(), 'huzhu-kill-'));
  port = await freePort();
  dynamo = await startDynamo({ port, dbPath: dir });
  config = { ...loadConfig(), dynamoEndpoint: dynamo.endpoint, tableName: 'huzhu-kill', rootOrgId: 'kill-root' };
  await bootstrapStore(makeDynamoClient(config), config.tableName, config.rootOrgId, new Date());
}, 180_000);

afterAll(async () => {
  await dynamo?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('DynamoDB Local killed in the middle of a roster', () => {
  it('answers 503, leaves counters equal to the enrolments (reconcile clean), and a retry completes the roster exactly once', async () => {
    const root = { ...fed, org: config.rootOrgId };
    const unit = uid('kill-unit');
    const plan = planBody();
    expect((await invoke('createPlan', { body: plan, claims: root, deps: depsFor() })).status).toBe(201);
    expect(
      (
        await invoke('createOrg', {
          body: { id: unit, name: '机床厂', kind: 'unit', parentId: config.rootOrgId, headcount: 10_000 },
          claims: root,
          deps: depsFor(),
        })
      ).status,
    ).toBe(201);
    const body = { planId: plan.id, members: people(ROWS) };
    const headers = { 'idempotency-key': uid('roster') };

    // Kill DynamoDB Local after the 10th transaction of the roster was sent.
    const dying = depsFor();
    let sent = 0;
    let killed: Promise<void> | undefined;
    dying.ddb!.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'TransactWriteItemsCommand' && ++sent === 10) killed = dynamo.kill();
        return next(args);
      },
      { step: 'initialize', name: 'killAt10', priority: 'high' },
    );
    const first = await invoke('enrolMembers', { params: { unitId: unit }, body, headers, claims: root, deps: dying });
    expect(killed).toBeDefined();
    await killed;
    expect(first.status, first.text.slice(0, 300)).toBe(503);
    expect(Number(first.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    dynamo = await startDynamo({ port, dbPath: dir });
    const deps = buildDeps(depsFor());
    const landed = (await readUnitPlanCounters(deps.store, unit, plan.id)).enrolled ?? 0;
    expect(landed).toBeGreaterThan(0);
    expect(landed).toBeLessThan(ROWS);
    const afterKill = await runReconcile(deps, { planIds: [plan.id], by: 'test' });
    expect(afterKill.drifts).toBe(0);
    expect(afterKill.plans[0]!.enrolments).toBe(landed);

    const retry = await invoke('enrolMembers', { params: { unitId: unit }, body, headers, claims: root, deps: depsFor() });
    expect(retry.status, retry.text.slice(0, 300)).toBe(200);
    expect(retry.body.accepted).toBe(ROWS);
    expect(new Set(retry.body.enrolments.map((e: { enrolmentId: string }) => e.enrolmentId)).size).toBe(ROWS);
    expect((await readUnitPlanCounters(deps.store, unit, plan.id)).enrolled).toBe(ROWS);
    const clean = await runReconcile(deps, { planIds: [plan.id], by: 'test' });
    expect(clean.drifts).toBe(0);
    expect(clean.plans[0]!.enrolments).toBe(ROWS);
    // A third send is the first answer again, not a second roster.
    const again = await invoke('enrolMembers', { params: { unitId: unit }, body, headers, claims: root, deps: depsFor() });
    expect(again.text).toBe(retry.text);
    expect((await readUnitPlanCounters(deps.store, unit, plan.id)).enrolled).toBe(ROWS);
  }, 600_000);
});
