import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { readUnitPlanCounters, toUnitPlanCounters } from '../../shared/store/counters';
import { getRecord } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { clerkOf, enrolOne, julyClock, stay } from '../support/claims';
import { dyingAfterCommand } from '../support/faults';
import { createPlan, createTree, fed, listAll, marchClock, people } from '../support/fixtures';
import { type Answer, as, invoke, uid } from '../support/invoke';

/**
 * Idempotency-Key (SPEC §3) when things go wrong: the record of a key is
 * committed with what it creates, so a function that dies between its write
 * and its answer is answered on retry as it would have answered, and nothing
 * is created twice; a key is the caller's as sub, role and org together;
 * concurrent requests with one key create once; a record expires after 24 h.
 */
const store = buildDeps();
const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body?.code ?? ''}`.trim();
const counters = async (unit: string, planId: string) => toUnitPlanCounters(await readUnitPlanCounters(store.store, unit, planId));
/** The claims whose stays lock the enrolment's person (SPEC §4.4: one item per person, across plans). */
const claimsOf = async (enrolmentId: string) => {
  const e = await getRecord(store.store, keys.enrolment(enrolmentId), (i) => i, true);
  return Object.keys(
    (await getRecord(store.store, keys.personStays(String(e!.personKey)), (i) => i.facts as Record<string, unknown>, true)) ?? {},
  );
};
/** Dies right after the first transaction committed. */
const dyingAfterWrite = () => dyingAfterCommand('TransactWriteItemsCommand', 1);
const keyed = (key: string) => ({ 'idempotency-key': key });

let plan: Awaited<ReturnType<typeof createPlan>>;
beforeAll(async () => {
  plan = await createPlan();
});

describe('a function that dies between its write and its answer', () => {
  it('createClaim: the retry answers 201 with the claim that was filed, and files nothing new', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const key = uid('k');
    const send = (deps = {}) =>
      invoke('createClaim', { body: stay(enrolmentId), claims: clerkOf(unit), headers: keyed(key), deps: { clock: julyClock, ...deps } });
    const dying = dyingAfterWrite();
    const lost = await send(dying.deps);
    expect(dying.isDead()).toBe(true);
    expect(lost.status).toBe(500); // what the client saw, if anything
    const [filed] = await claimsOf(enrolmentId);
    expect(filed).toBeDefined();
    const retry = await send();
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body.claimId).toBe(filed);
    expect(retry.headers.location).toBe(`/claims/${filed}`);
    const again = await send();
    expect([again.status, again.text]).toEqual([201, retry.text]);
    expect(await claimsOf(enrolmentId)).toEqual([filed]);
    // The same key with another body is refused, the record stays.
    expect(
      code(
        await invoke('createClaim', {
          body: stay(enrolmentId, { hospital: '别的医院' }),
          claims: clerkOf(unit),
          headers: keyed(key),
          deps: { clock: julyClock },
        }),
      ),
    ).toBe('422 IDEMPOTENCY_KEY_REUSED');
  });

  it('createOrg: the retry answers 201 with the org, not 409 ALREADY_EXISTS', async () => {
    const key = uid('k');
    const body = { id: uid('off'), name: 'Office', kind: 'office', parentId: 'root' };
    const dying = dyingAfterWrite();
    expect((await invoke('createOrg', { body, claims: fed, headers: keyed(key), deps: dying.deps })).status).toBe(500);
    const retry = await invoke('createOrg', { body, claims: fed, headers: keyed(key) });
    expect(retry.status, retry.text).toBe(201);
    expect(retry.body).toMatchObject({ id: body.id, path: ['root', body.id] });
    const got = await invoke('getOrg', { params: { id: body.id }, claims: fed });
    expect(retry.body).toEqual(got.body);
  });

  it('declareClaimDocument: the retry answers the declared document; the claim holds it once', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const clerk = clerkOf(unit);
    const filed = await invoke('createClaim', { body: stay(await enrolOne(unit, plan.id)), claims: clerk, deps: { clock: julyClock } });
    const id = filed.body.claimId as string;
    const key = uid('k');
    const body = { kind: 'invoice', fileName: 'invoice.pdf', contentType: 'application/pdf', sizeBytes: 1000 };
    const send = (deps = {}) =>
      invoke('declareClaimDocument', { params: { id }, body, claims: clerk, headers: keyed(key), deps: { clock: julyClock, ...deps } });
    expect((await send(dyingAfterWrite().deps)).status).toBe(500);
    const retry = await send();
    expect(retry.status, retry.text).toBe(201);
    const claim = await invoke('getClaim', { params: { id }, claims: clerk });
    expect(claim.body.documents.map((d: { documentId: string }) => d.documentId)).toEqual([retry.body.documentId]);
    expect((await send()).text).toBe(retry.text);
  });

  it('a roster dies between chunks: the retry answers every row accepted with its enrolmentId; each person enrolled once, counters exact', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const members = people(400).map((p) => ({ ...p, shares: 1 })); // 5 chunks: the first commits, then the function dies
    const key = uid('k');
    const send = (deps = {}) =>
      invoke('enrolMembers', {
        params: { unitId: unit },
        body: { planId: plan.id, members },
        claims: fed,
        headers: keyed(key),
        deps: { clock: marchClock, ...deps },
      });
    const died = await send(dyingAfterWrite().deps);
    expect(died.status).not.toBe(200);
    const landed = (await counters(unit, plan.id)).enrolled;
    expect(landed).toBe(99);
    const retry = await send();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.body.accepted).toBe(400);
    expect(retry.body.rejected).toEqual([]);
    expect(retry.body.enrolments.map((e: { row: number }) => e.row)).toEqual(members.map((_, i) => i + 1));
    const listed = await listAll(unit, plan.id);
    expect(listed).toHaveLength(400);
    expect(new Set(retry.body.enrolments.map((e: { enrolmentId: string }) => e.enrolmentId))).toEqual(
      new Set(listed.map((e) => e.enrolmentId)),
    );
    const c = await counters(unit, plan.id);
    expect([c.enrolled, c.contributionsFen]).toEqual([400, 400 * plan.contributionPerShareFen]);
    expect((await send()).text).toBe(retry.text);
    // Without the key the same roster is judged anew: everyone is already enrolled.
    const plain = await invoke('enrolMembers', {
      params: { unitId: unit },
      body: { planId: plan.id, members: members.slice(0, 2) },
      claims: fed,
      deps: { clock: marchClock },
    });
    expect(plain.body.rejected.map((r: { code: string }) => r.code)).toEqual(['ALREADY_ENROLLED', 'ALREADY_ENROLLED']);
  });
});

describe('whose key it is', () => {
  it('the same key and body from the same sub in another role or org is not a replay', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const key = uid('k');
    const sub = `person-${key}`;
    const send = (claims: Record<string, string>) =>
      invoke('createClaim', { body: stay(enrolmentId), claims, headers: keyed(key), deps: { clock: julyClock } });
    const first = await send(as('unit_admin', unit, sub));
    expect(first.status).toBe(201);
    // Promoted to the office above: the same person's same key is judged as a new request (the stay is now a duplicate).
    expect(code(await send(as('office_staff', t.office, sub)))).toBe('422 DUPLICATE_STAY');
    expect(code(await send(as('unit_admin', t.office, sub)))).not.toBe('201');
    expect((await send(as('unit_admin', unit, sub))).text).toBe(first.text);
    expect(await claimsOf(enrolmentId)).toEqual([first.body.claimId]);
  });
});

describe('concurrent requests with one key', () => {
  it('create once; every one answers the same 201', async () => {
    const t = await createTree(1);
    const unit = t.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const key = uid('k');
    const answers: Answer[] = await Promise.all(
      Array.from({ length: 6 }, () =>
        invoke('createClaim', { body: stay(enrolmentId), claims: clerkOf(unit), headers: keyed(key), deps: { clock: julyClock } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(await claimsOf(enrolmentId)).toEqual([answers[0]!.body.claimId]);

    const orgKey = uid('k');
    const body = { id: uid('off'), name: 'Office', kind: 'office', parentId: 'root' };
    const orgs = await Promise.all(Array.from({ length: 6 }, () => invoke('createOrg', { body, claims: fed, headers: keyed(orgKey) })));
    expect(orgs.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(orgs.map((a) => a.text)).size).toBe(1);
  });
});

describe('expiry', () => {
  it('a record answers for 24 hours; after that the same key runs anew', async () => {
    const key = uid('k');
    const body = { id: uid('off'), name: 'Office', kind: 'office', parentId: 'root' };
    const at = (iso: string) => invoke('createOrg', { body, claims: fed, headers: keyed(key), deps: { clock: fixedClock(iso) } });
    const first = await at('2026-03-10T04:00:00Z');
    expect(first.status).toBe(201);
    expect((await at('2026-03-11T03:59:59Z')).text).toBe(first.text);
    expect(code(await at('2026-03-11T04:00:01Z'))).toBe('409 ALREADY_EXISTS');
  });
});
