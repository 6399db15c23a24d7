import { beforeAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters } from '../../shared/store/counters';
import { cancelled, faultyStore, throttled } from '../support/faults';
import { createPlan, createTree, fed, listAll, marchClock, people } from '../support/fixtures';
import { as, invoke, uid } from '../support/invoke';

/** Error paths of enrolment and transfer with DynamoDB misbehaving (faults injected at the SDK middleware stack). */
const store = buildDeps();
const counts = async (unitId: string, planId: string) => {
  const c = await readUnitPlanCounters(store.store, unitId, planId);
  return { enrolled: c.enrolled ?? 0, contributionsFen: c.contributionsFen ?? 0 };
};
const listIds = async (unitId: string, planId: string) => (await listAll(unitId, planId)).map((e) => e.enrolmentId);

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(4);
});

describe('enrolment when DynamoDB fails', () => {
  it('a throttled transaction is retried; one that stays throttled is 503 with Retry-After, nothing written', async () => {
    const members = people(3);
    const once = faultyStore((cmd, n) =>
      cmd === 'TransactWriteItemsCommand' && n === 1 ? cancelled(['ThrottlingError', 'None', 'None', 'None']) : undefined,
    );
    const ok = await invoke('enrolMembers', {
      params: { unitId: tree.units[0]! },
      body: { planId: plan.id, members },
      claims: fed,
      deps: { ...once.deps, clock: marchClock },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.accepted).toBe(3);
    expect(once.calls.TransactWriteItemsCommand).toBe(2);

    const always = faultyStore((cmd) => (cmd === 'TransactWriteItemsCommand' ? throttled() : undefined));
    const r = await invoke('enrolMembers', {
      params: { unitId: tree.units[1]! },
      body: { planId: plan.id, members: people(2) },
      claims: fed,
      deps: { ...always.deps, clock: marchClock },
    });
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('1');
    expect(r.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(r.body.enrolments).toEqual([]);
    expect(await counts(tree.units[1]!, plan.id)).toEqual({ enrolled: 0, contributionsFen: 0 });
  }, 30_000);

  it('a chunk failing mid-roster stops the rest, answers 503 naming the committed rows, and a retry finishes exactly once', async () => {
    const unit = tree.units[2]!;
    const members = people(99 * 6); // six transactions
    // The 3rd transaction fails for good; transactions already in flight finish, no new one starts.
    const faulty = faultyStore((cmd, n) => (cmd === 'TransactWriteItemsCommand' && n >= 3 ? throttled() : undefined));
    const first = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: plan.id, members },
      claims: fed,
      deps: { ...faulty.deps, clock: marchClock },
    });
    expect(first.status).toBe(503);
    expect(first.body.code).toBe('SERVICE_UNAVAILABLE');
    const committed: { row: number; enrolmentId: string }[] = first.body.enrolments;
    expect(committed.length % 99).toBe(0);
    expect(committed.length).toBeGreaterThan(0);
    expect(committed.length).toBeLessThan(members.length);
    // What the 503 names is exactly what is stored, and nothing lands after the answer.
    await new Promise((r) => setTimeout(r, 300));
    expect((await listIds(unit, plan.id)).sort()).toEqual(committed.map((c) => c.enrolmentId).sort());
    expect((await counts(unit, plan.id)).enrolled).toBe(committed.length);

    // The retry (same key): committed rows come back ALREADY_ENROLLED with their enrolmentId, the rest are enrolled.
    const retry = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: plan.id, members },
      claims: fed,
      deps: { clock: marchClock },
    });
    expect(retry.status).toBe(200);
    expect(retry.body.accepted).toBe(members.length - committed.length);
    const again = retry.body.rejected.filter((x: { code: string }) => x.code === 'ALREADY_ENROLLED');
    expect(again.map((x: { row: number; enrolmentId: string }) => [x.row, x.enrolmentId])).toEqual(
      committed.map((c) => [c.row, c.enrolmentId]),
    );
    expect((await listIds(unit, plan.id)).length).toBe(members.length);
    expect(await counts(unit, plan.id)).toEqual({ enrolled: members.length, contributionsFen: members.length * 5000 });
  }, 60_000);
});

describe('transfer when transactions conflict', () => {
  it('a lost race (TransactionConflict) is retried instead of answered 409', async () => {
    const [from, to] = [tree.units[0]!, tree.units[3]!];
    const r = await invoke('enrolMembers', {
      params: { unitId: from },
      body: { planId: plan.id, members: people(1) },
      claims: fed,
      deps: { clock: marchClock },
    });
    const id = r.body.enrolments[0].enrolmentId;
    const racing = faultyStore((cmd, n) =>
      cmd === 'TransactWriteItemsCommand' && n <= 2 ? cancelled(['TransactionConflict', 'None', 'None']) : undefined,
    );
    const moved = await invoke('transferEnrolment', { params: { id }, body: { toUnitId: to }, claims: fed, deps: racing.deps });
    expect(moved.status).toBe(200);
    expect(racing.calls.TransactWriteItemsCommand).toBe(3);
    expect(moved.body.unitId).toBe(to);
    const always = faultyStore((cmd) => (cmd === 'TransactWriteItemsCommand' ? throttled() : undefined));
    const down = await invoke('transferEnrolment', { params: { id }, body: { toUnitId: from }, claims: fed, deps: always.deps });
    expect(down.status).toBe(503);
    expect(down.headers['retry-after']).toBe('1');
    expect((await invoke('getEnrolment', { params: { id }, claims: fed })).body.unitId).toBe(to);
  }, 30_000);
});

describe('concurrency', () => {
  it('one-row requests for the same person from many units at once: enrolled exactly once, counters exact', async () => {
    const p2 = await createPlan();
    const t = await createTree(8);
    const [person] = people(1);
    const results = await Promise.all(
      [...t.units, ...t.units].map((u) =>
        invoke('enrolMembers', {
          params: { unitId: u },
          body: { planId: p2.id, members: [person] },
          claims: as('unit_admin', u),
          deps: { clock: marchClock },
        }),
      ),
    );
    expect(results.map((r) => r.status).every((s) => s === 200)).toBe(true);
    expect(results.filter((r) => r.body.accepted === 1)).toHaveLength(1);
    expect(results.filter((r) => r.body.rejected[0]?.code === 'ALREADY_ENROLLED')).toHaveLength(15);
    const c = await Promise.all(t.units.map((u) => counts(u, p2.id)));
    expect(c.reduce((s, x) => s + x.enrolled, 0)).toBe(1);
    expect(c.reduce((s, x) => s + x.contributionsFen, 0)).toBe(5000);
  });

  it('a transfer racing a roster into the same unit: every counter still equals what is listed', async () => {
    const p3 = await createPlan();
    const t = await createTree(2);
    const [a, b] = t.units as [string, string];
    const early = await invoke('enrolMembers', {
      params: { unitId: a },
      body: { planId: p3.id, members: people(5) },
      claims: fed,
      deps: { clock: marchClock },
    });
    const moving: string[] = early.body.enrolments.map((e: { enrolmentId: string }) => e.enrolmentId);
    const [roster, ...moves] = await Promise.all([
      invoke('enrolMembers', {
        params: { unitId: a },
        body: { planId: p3.id, members: people(400) },
        claims: fed,
        deps: { clock: marchClock },
      }),
      ...moving.map((id) => invoke('transferEnrolment', { params: { id }, body: { toUnitId: b }, claims: fed })),
      ...moving.map((id) => invoke('transferEnrolment', { params: { id }, body: { toUnitId: b }, claims: fed })),
    ]);
    expect(roster!.status).toBe(200);
    expect(roster!.body.accepted).toBe(400);
    // Each member moves once; the duplicate request sees the new unit (SAME_UNIT) or lost the race (409), never a double move.
    expect(moves.filter((m) => m.status === 200)).toHaveLength(5);
    for (const m of moves.filter((x) => x.status !== 200)) expect([409, 422]).toContain(m.status);
    for (const u of [a, b]) {
      const ids = await listIds(u, p3.id);
      expect(await counts(u, p3.id)).toEqual({ enrolled: ids.length, contributionsFen: ids.length * 5000 });
    }
    expect((await listIds(b, p3.id)).sort()).toEqual([...moving].sort());
    expect((await listIds(a, p3.id)).length).toBe(400);
  }, 30_000);
});

describe('Idempotency-Key and the query string', () => {
  it("the same key and CSV with another ?planId= is IDEMPOTENCY_KEY_REUSED, not the first plan's answer", async () => {
    const other = await createPlan();
    const [p] = people(1);
    const csv = `idNumber,name\n${p!.idNumber},张三\n`;
    const key = uid('key');
    const send = (planId: string) =>
      invoke('enrolMembers', {
        params: { unitId: tree.units[0]! },
        query: { planId },
        raw: csv,
        headers: { 'content-type': 'text/csv', 'idempotency-key': key },
        claims: fed,
        deps: { clock: marchClock },
      });
    const first = await send(plan.id);
    expect(first.status).toBe(200);
    expect((await send(plan.id)).text).toBe(first.text);
    const reused = await send(other.id);
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await listIds(tree.units[0]!, other.id)).length).toBe(0);
  });
});
