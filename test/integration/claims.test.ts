import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../shared/clock';
import { buildDeps } from '../../shared/deps';
import { getRecord } from '../../shared/store/items';
import { keys } from '../../shared/store/keys';
import { clerkOf, decide, enrolAt, enrolOne, file, julyClock, stay, submitted, upload } from '../support/claims';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { as, invoke, uid } from '../support/invoke';

/** Filing (SPEC §4.4 POST /claims), reading, listing and withdrawing claims, against DynamoDB Local. */
const store = buildDeps();
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
/** A well-formed claim id (a ULID and an enrolment id) that names nothing. */
const UNKNOWN_CLAIM = '01ARZ3NDEKTSV4RRFFQ69G5FAV00000000000000000000000000';

let plan: Awaited<ReturnType<typeof createPlan>>;
let tree: Awaited<ReturnType<typeof createTree>>;
let other: Awaited<ReturnType<typeof createTree>>;
beforeAll(async () => {
  plan = await createPlan();
  tree = await createTree(2);
  other = await createTree(1);
});

const code = (r: { status: number; body: { code?: string } }) => `${r.status} ${r.body.code ?? ''}`.trim();

describe('POST /claims', () => {
  it('files a draft with the estimate and an explanation a member can follow (SPEC §6.2 worked example)', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const clerk = clerkOf(unit);
    const r = await file(stay(enrolmentId), clerk);
    expect(r.status).toBe(201);
    expect(r.headers.location).toBe(`/claims/${r.body.claimId}`);
    // A ULID followed by the enrolment's id: the decision reads claim and enrolment in one request.
    expect(r.body.claimId).toMatch(/^[0-9A-HJKMNP-TV-Z]{52}$/);
    expect(r.body.claimId.slice(26)).toBe(r.body.enrolmentId);
    // SPEC §4.4's fields first, in its order.
    // SPEC §4.4's order: who the claim is for right after who filed it.
    expect(Object.keys(r.body).slice(0, 22)).toEqual([
      'claimId',
      'enrolmentId',
      'planId',
      'unitId',
      'status',
      'createdBy',
      'memberName',
      'idNumberMasked',
      'hospital',
      'admissionDate',
      'dischargeDate',
      'diagnosis',
      'icd10',
      'accident',
      'totalExpenseFen',
      'insuranceReimbursedFen',
      'selfPaidInScopeFen',
      'estimatedBenefitFen',
      'benefitBreakdown',
      'requiredDocuments',
      'documents',
      'history',
    ]);
    expect(r.body).toMatchObject({
      enrolmentId,
      planId: plan.id,
      unitId: unit,
      status: 'draft',
      createdBy: clerk.sub,
      estimatedBenefitFen: 580740,
      documents: [],
    });
    const b = r.body.benefitBreakdown;
    expect(b).toMatchObject({
      kind: 'banded',
      baseFen: 1234567,
      deductibleBasis: 'per_period',
      deductibleAppliedFen: 100000,
      eligibleFen: 1134567,
      bandedFen: 580740,
      shares: 1,
      capFen: 3000000,
      capRemainingBeforeFen: 3000000,
      benefitFen: 580740,
    });
    expect(
      b.bands.map((x: { partFen: number; ratePermille: number; resultPermilleFen: number }) => [
        x.partFen,
        x.ratePermille,
        x.resultPermilleFen,
      ]),
    ).toEqual([
      [1000000, 500, 500000000],
      [134567, 600, 80740200],
      [0, 700, 0],
    ]);
    expect(b.lines).toContain('纳入分段计算的金额 11,345.67 元');
    expect(b.lines.at(-1)).toBe('互助金 5,807.40 元');
    expect(r.body.history).toEqual([{ at: '2026-07-20T04:00:00.000Z', actor: clerk.sub, role: 'unit_admin', from: null, to: 'draft' }]);
    // Filing reserves nothing: the enrolment's cap is untouched.
    expect((await invoke('getEnrolment', { params: { id: enrolmentId }, claims: fed })).body.usedFen).toBe(0);
  });

  it('answers each rule of §4.4 with its 422 code and the field at fault', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id); // enrolled 2026-03-10: benefit start 2026-06-08, accidents 2026-03-10
    const clerk = clerkOf(unit);
    const judged = async (over: Record<string, unknown>, clock = julyClock) => {
      const r = await file(stay(enrolmentId, over), clerk, clock);
      return [code(r), r.body.errors?.[0]?.path];
    };
    expect(await judged({ admissionDate: '2026-07-11' })).toEqual(['422 DATES_INVALID', 'body.admissionDate']);
    expect(await judged({ dischargeDate: '2026-07-21' })).toEqual(['422 DATES_INVALID', 'body.dischargeDate']);
    expect(await judged({ insuranceReimbursedFen: 1_000_000 })).toEqual(['422 AMOUNTS_INCONSISTENT', 'body.selfPaidInScopeFen']);
    // Before coverage AND before the benefit start AND past the deadline: OUTSIDE_COVERAGE wins.
    expect(await judged({ admissionDate: '2025-12-28', dischargeDate: '2026-01-05' })).toEqual([
      '422 OUTSIDE_COVERAGE',
      'body.admissionDate',
    ]);
    expect(await judged({ admissionDate: '2026-05-01', dischargeDate: '2026-05-10' }, fixedClock('2026-05-20T04:00:00Z'))).toEqual([
      '422 WAITING_PERIOD',
      'body.admissionDate',
    ]);
    // Accidents skip the waiting period: the same stay is accepted as an accident…
    expect(
      await judged({ admissionDate: '2026-05-01', dischargeDate: '2026-05-10', accident: true }, fixedClock('2026-05-20T04:00:00Z')),
    ).toEqual(['201', undefined]);
    // …but not before the member enrolled at all.
    expect(
      await judged({ admissionDate: '2026-03-05', dischargeDate: '2026-03-06', accident: true }, fixedClock('2026-03-20T04:00:00Z')),
    ).toEqual(['422 WAITING_PERIOD', 'body.admissionDate']);
    // claimDeadlineDays 90: day 90 after discharge is in time, day 91 is not.
    expect(await judged({ admissionDate: '2026-06-20', dischargeDate: '2026-06-25' }, fixedClock('2026-09-24T04:00:00Z'))).toEqual([
      '422 CLAIM_DEADLINE_PASSED',
      'body.dischargeDate',
    ]);
    expect(await judged({ admissionDate: '2026-06-20', dischargeDate: '2026-06-25' }, fixedClock('2026-09-23T04:00:00Z'))).toEqual([
      '201',
      undefined,
    ]);
  });

  it('DUPLICATE_STAY: same admission day or a shared night; a same-day transfer is two stays; a withdrawn claim frees its dates', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const clerk = clerkOf(unit);
    const first = await file(stay(enrolmentId), clerk); // 07-01 .. 07-10
    expect(first.status).toBe(201);
    for (const [admissionDate, dischargeDate] of [
      ['2026-07-01', '2026-07-02'], // same admission date
      ['2026-07-09', '2026-07-12'], // shares the night of the 9th
      ['2026-06-25', '2026-07-02'],
    ]) {
      const dup = await file(stay(enrolmentId, { admissionDate, dischargeDate }), clerk);
      expect(code(dup)).toBe('422 DUPLICATE_STAY');
      expect(dup.body.duplicateOf).toBe(first.body.claimId);
      expect(dup.body.detail).toContain(first.body.claimId);
    }
    // Discharged from one hospital and admitted to another on the 10th: a transfer, not a duplicate.
    const transfer = await file(
      stay(enrolmentId, { hospital: '北京大学第一医院', admissionDate: '2026-07-10', dischargeDate: '2026-07-15' }),
      clerk,
    );
    expect(transfer.status).toBe(201);
    expect(code(await file(stay(enrolmentId, { admissionDate: '2026-07-12', dischargeDate: '2026-07-14' }), clerk))).toBe(
      '422 DUPLICATE_STAY',
    );
    const w = await invoke('withdrawClaim', { params: { id: transfer.body.claimId }, claims: clerk, deps: { clock: julyClock } });
    expect(w.status).toBe(200);
    expect((await file(stay(enrolmentId, { admissionDate: '2026-07-12', dischargeDate: '2026-07-14' }), clerk)).status).toBe(201);
    // Another member's stays never collide with this one's.
    expect((await file(stay(await enrolOne(unit, plan.id)), clerk)).status).toBe(201);
  });

  it('DUPLICATE_STAY holds under 20 concurrent filings of overlapping stays for one member: exactly one is filed', async () => {
    const unit = tree.units[1]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const clerk = clerkOf(unit);
    // An earlier, separate stay: the facts item exists, so the race is on its versioned update (not only on its creation).
    const earlier = await file(stay(enrolmentId, { admissionDate: '2026-06-10', dischargeDate: '2026-06-12' }), clerk);
    expect(earlier.status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        file(stay(enrolmentId, { admissionDate: `2026-07-${String(1 + (i % 5)).padStart(2, '0')}`, dischargeDate: '2026-07-12' }), clerk),
      ),
    );
    const codes = answers.map(code);
    expect(codes.filter((c) => c === '201')).toHaveLength(1);
    expect(codes.filter((c) => c === '422 DUPLICATE_STAY')).toHaveLength(19);
    const winner = answers.find((a) => a.status === 201)!.body.claimId;
    for (const a of answers.filter((x) => x.status === 422)) expect(a.body.duplicateOf).toBe(winner);
    const { personKey } = (await store.enrolments.get(enrolmentId, true))!;
    const facts = await getRecord<{ facts: Record<string, unknown> }>(store.store, keys.personStays(personKey), undefined, true);
    expect(Object.keys(facts!.facts).sort()).toEqual([earlier.body.claimId, winner].sort());
  });

  describe('DUPLICATE_STAY is per person: a plan and its overlapping successor pay one stay once', () => {
    /** The same person enrolled in a 2026 plan (in March) and in its successor covering from 1 July (in June). */
    const twoPlans = async () => {
      const first = await createPlan();
      const successor = await createPlan({
        predecessorPlanId: first.id,
        coverageStart: '2026-07-01',
        coverageEnd: '2027-06-30',
        enrolmentOpen: '2026-06-01',
        enrolmentClose: '2026-12-31',
      });
      const unit = tree.units[0]!;
      const [p] = people(1);
      const member = [{ idNumber: p!.idNumber, name: '张三' }];
      const [a] = await enrolAt(unit, first.id, member, marchClock);
      const [b] = await enrolAt(unit, successor.id, member, fixedClock('2026-06-15T04:00:00Z'));
      expect(a).not.toBe(b);
      return { unit, clerk: clerkOf(unit), a: a!, b: b! };
    };

    it('the same stay under the other plan is 422 DUPLICATE_STAY; a transfer is two stays; a withdrawn or rejected claim frees the dates', async () => {
      const { unit, clerk, a, b } = await twoPlans();
      const first = await file(stay(a), clerk); // 07-01 .. 07-10, in both coverages
      expect(code(first)).toBe('201');
      const dup = await file(stay(b, { admissionDate: '2026-07-09', dischargeDate: '2026-07-12' }), clerk);
      expect(code(dup)).toBe('422 DUPLICATE_STAY');
      expect(dup.body.duplicateOf).toBe(first.body.claimId);
      expect(code(await file(stay(b), clerk))).toBe('422 DUPLICATE_STAY');
      // Discharged on the 10th and admitted elsewhere the same day: two stays, under either plan.
      const transfer = await file(
        stay(b, { hospital: '北京大学第一医院', admissionDate: '2026-07-10', dischargeDate: '2026-07-15' }),
        clerk,
      );
      expect(code(transfer)).toBe('201');
      // A day case inside the first stay overlaps it.
      expect(code(await file(stay(b, { admissionDate: '2026-07-05', dischargeDate: '2026-07-05' }), clerk))).toBe('422 DUPLICATE_STAY');

      // Withdrawn under the first plan: its dates are free under the successor.
      expect(
        (await invoke('withdrawClaim', { params: { id: first.body.claimId }, claims: clerk, deps: { clock: julyClock } })).status,
      ).toBe(200);
      expect(code(await file(stay(b, { admissionDate: '2026-07-01', dischargeDate: '2026-07-05' }), clerk))).toBe('201');
      expect(code(await file(stay(a, { admissionDate: '2026-07-04', dischargeDate: '2026-07-06' }), clerk))).toBe('422 DUPLICATE_STAY');

      // Rejected under the successor: its dates are free under the first plan.
      const rejected = await submitted(unit, b, { admissionDate: '2026-07-16', dischargeDate: '2026-07-18' });
      expect(code(await file(stay(a, { admissionDate: '2026-07-17', dischargeDate: '2026-07-19' }), clerk))).toBe('422 DUPLICATE_STAY');
      expect((await decide(rejected, { decision: 'reject', reason: '非住院费用' }, as('office_staff', tree.office))).status).toBe(200);
      expect(code(await file(stay(a, { admissionDate: '2026-07-17', dischargeDate: '2026-07-19' }), clerk))).toBe('201');
    });

    it('concurrent filings of one stay under the two plans: exactly one is filed, round after round', async () => {
      const { clerk, a, b } = await twoPlans();
      for (let round = 0; round < 12; round++) {
        // One-night stays on consecutive days: each round's stay touches the last one's but does not overlap it.
        const night = {
          admissionDate: `2026-07-${String(1 + round).padStart(2, '0')}`,
          dischargeDate: `2026-07-${String(2 + round).padStart(2, '0')}`,
        };
        const answers = await Promise.all([a, b, a, b].map((enrolmentId) => file(stay(enrolmentId, night), clerk)));
        const codes = answers.map(code);
        expect(
          codes.filter((c) => c === '201'),
          `round ${round}: ${codes}`,
        ).toHaveLength(1);
        expect(codes.filter((c) => c === '422 DUPLICATE_STAY')).toHaveLength(3);
      }
    });
  });

  it('a renewal enrolled after coverageStart is covered for accidents from coverageStart, before its enrolment date (SPEC §4.3)', async () => {
    const prev = await createPlan({
      coverageStart: '2025-01-01',
      coverageEnd: '2025-12-31',
      enrolmentOpen: '2024-12-01',
      enrolmentClose: '2025-06-30',
    });
    const next = await createPlan({ predecessorPlanId: prev.id });
    const unit = tree.units[0]!;
    const [old, fresh] = people(2);
    await enrolAt(unit, prev.id, [{ idNumber: old!.idNumber, name: '张三' }], fixedClock('2025-03-01T04:00:00Z'));
    // Enrolled late in the period (backdating is not built: the clock says 1 March).
    const [renewal, newcomer] = await enrolAt(
      unit,
      next.id,
      [
        { idNumber: old!.idNumber, name: '张三' },
        { idNumber: fresh!.idNumber, name: '李四' },
      ],
      fixedClock('2026-03-01T04:00:00Z'),
    );
    const clerk = clerkOf(unit);
    const march = fixedClock('2026-03-20T04:00:00Z');
    const accident = { admissionDate: '2026-02-01', dischargeDate: '2026-02-05', accident: true };
    const filed = await file(stay(renewal!, accident), clerk, march);
    expect(code(filed)).toBe('201');
    expect(filed.body).toMatchObject({ accident: true, admissionDate: '2026-02-01' });
    // A newcomer enrolled the same day is covered for accidents only from its enrolment.
    expect(code(await file(stay(newcomer!, accident), clerk, march))).toBe('422 WAITING_PERIOD');
    expect(code(await file(stay(newcomer!, { ...accident, admissionDate: '2026-03-01', dischargeDate: '2026-03-05' }), clerk, march))).toBe(
      '201',
    );
  });

  it('is for callers whose scope reaches the member: 404 unknown enrolment, 403 elsewhere, 401 without a token, 400 bad body', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    expect(code(await file(stay(enrolmentId), clerkOf(tree.units[1]!)))).toBe('403 FORBIDDEN');
    expect(code(await file(stay(enrolmentId), as('office_staff', other.office)))).toBe('403 FORBIDDEN');
    expect(code(await file(stay(UNKNOWN), fed))).toBe('404 NOT_FOUND');
    expect((await invoke('createClaim', { body: stay(enrolmentId) })).status).toBe(401);
    const bad = await file({ ...stay(enrolmentId), totalExpenseFen: 12.5, admissionDate: '2026-02-30', hospital: '', extra: 1 }, fed);
    expect(code(bad)).toBe('400 VALIDATION_FAILED');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body',
      'body.admissionDate',
      'body.hospital',
      'body.totalExpenseFen',
    ]);
    expect(code(await file({ enrolmentId }, fed))).toBe('400 VALIDATION_FAILED');
    expect(
      code(await invoke('createClaim', { raw: '{"enrolmentId":', headers: { 'content-type': 'application/json' }, claims: fed })),
    ).toBe('400 VALIDATION_FAILED');
    // The office above the unit and the federation may file.
    expect((await file(stay(enrolmentId), as('office_staff', tree.office))).status).toBe(201);
  });

  it('replays an Idempotency-Key retry without filing twice', async () => {
    const unit = tree.units[0]!;
    const enrolmentId = await enrolOne(unit, plan.id);
    const clerk = clerkOf(unit);
    const key = uid('k');
    const send = (body: unknown) =>
      invoke('createClaim', { body, claims: clerk, headers: { 'idempotency-key': key }, deps: { clock: julyClock } });
    const a = await send(stay(enrolmentId));
    const b = await send(stay(enrolmentId));
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body).toEqual(a.body);
    expect(code(await send(stay(enrolmentId, { hospital: 'x' })))).toBe('422 IDEMPOTENCY_KEY_REUSED');
    // Without the key, the same stay is a duplicate of the one filed.
    expect(code(await file(stay(enrolmentId), clerk))).toBe('422 DUPLICATE_STAY');
  });
});

describe('GET /claims/{id} and POST /claims/{id}/withdraw', () => {
  it('reads a claim in scope; 404 unknown, 403 out of scope, 400 malformed id, 401 without a token', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const filed = await file(stay(await enrolOne(unit, plan.id)), clerk);
    const id = filed.body.claimId;
    const got = await invoke('getClaim', { params: { id }, claims: as('office_staff', tree.office) });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...filed.body, memberName: expect.any(String), idNumberMasked: expect.any(String) });
    expect(code(await invoke('getClaim', { params: { id }, claims: clerkOf(tree.units[1]!) }))).toBe('403 FORBIDDEN');
    expect(code(await invoke('getClaim', { params: { id }, claims: as('office_staff', other.office) }))).toBe('403 FORBIDDEN');
    expect(code(await invoke('getClaim', { params: { id: UNKNOWN_CLAIM }, claims: fed }))).toBe('404 NOT_FOUND');
    expect(code(await invoke('getClaim', { params: { id: 'not-an-id' }, claims: fed }))).toBe('400 VALIDATION_FAILED');
    expect((await invoke('getClaim', { params: { id } })).status).toBe(401);
  });

  it('withdraws a draft (final, recorded); 409 INVALID_STATE after; 404/403/401 as everywhere', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const id = (await file(stay(await enrolOne(unit, plan.id)), clerk)).body.claimId;
    expect(code(await invoke('withdrawClaim', { params: { id }, claims: clerkOf(tree.units[1]!) }))).toBe('403 FORBIDDEN');
    expect(code(await invoke('withdrawClaim', { params: { id: UNKNOWN_CLAIM }, claims: fed }))).toBe('404 NOT_FOUND');
    expect((await invoke('withdrawClaim', { params: { id } })).status).toBe(401);
    expect(code(await invoke('withdrawClaim', { params: { id: `${id}x` }, claims: clerk }))).toBe('400 VALIDATION_FAILED');
    const w = await invoke('withdrawClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } });
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    expect(w.body.history.map((e: { from: string | null; to: string }) => [e.from, e.to])).toEqual([
      [null, 'draft'],
      ['draft', 'withdrawn'],
    ]);
    const again = await invoke('withdrawClaim', { params: { id }, claims: clerk });
    expect(code(again)).toBe('409 INVALID_STATE');
    expect(again.body).toMatchObject({ status: 409, claimStatus: 'withdrawn' });
  });
});

describe('every claim answer names its member (SPEC §4.4)', () => {
  it('file, remove a document, submit, decide, withdraw and read: memberName unsealed, idNumberMasked masked', async () => {
    const unit = tree.units[0]!;
    const clerk = clerkOf(unit);
    const masked = /^\d{6}\*{8}\d{3}[\dX]$/;
    const named = (r: { status: number; text: string; body: any }, what: string) => {
      expect(r.status, `${what}: ${r.text}`).toBeLessThan(300);
      expect(r.body.memberName, what).toBe('王秀英');
      expect(r.body.idNumberMasked, what).toMatch(masked);
    };
    const enrolmentId = await enrolOne(unit, plan.id, { name: '王秀英' });
    const filed = await file(stay(enrolmentId), clerk);
    named(filed, 'createClaim');
    const id: string = filed.body.claimId;
    const extra = await upload(id, clerk, 'other');
    named(
      await invoke('removeClaimDocument', { params: { id, documentId: extra }, claims: clerk, deps: { clock: julyClock } }),
      'removeClaimDocument',
    );
    await upload(id, clerk, 'invoice');
    await upload(id, clerk, 'discharge_summary');
    named(await invoke('submitClaim', { params: { id }, claims: clerk, deps: { clock: julyClock } }), 'submitClaim');
    named(await decide(id, { decision: 'return', reason: '请补充费用清单' }, as('office_staff', tree.office)), 'decideClaim');
    named(await invoke('withdrawClaim', { params: { id }, claims: clerk }), 'withdrawClaim');
    named(await invoke('getClaim', { params: { id }, claims: clerk }), 'getClaim');
  });
});

describe('GET /claims', () => {
  it('lists within scope, by status and plan, in pages with cursors that cannot be forged', async () => {
    const t = await createTree(2);
    const [u0, u1] = t.units as [string, string];
    const plan2 = await createPlan();
    const ids = { u0: [] as string[], u1: [] as string[] };
    for (const [unit, key, n] of [
      [u0, 'u0', 3],
      [u1, 'u1', 2],
    ] as const) {
      for (let i = 0; i < n; i++) ids[key].push((await file(stay(await enrolOne(unit, plan.id)), clerkOf(unit))).body.claimId);
    }
    const inPlan2 = (await file(stay(await enrolOne(u1, plan2.id)), clerkOf(u1))).body.claimId;
    await invoke('withdrawClaim', { params: { id: ids.u0[0]! }, claims: clerkOf(u0) });

    const list = async (claims: Record<string, string>, query: Record<string, string | number> = {}) => {
      const out: string[] = [];
      let cursor: string | undefined;
      do {
        const r = await invoke('listClaims', { query: { limit: 2, ...query, ...(cursor ? { cursor } : {}) }, claims });
        expect(r.status, r.text).toBe(200);
        expect(r.body.items.length).toBeLessThanOrEqual(2);
        out.push(...r.body.items.map((c: { claimId: string }) => c.claimId));
        cursor = r.body.nextCursor ?? undefined;
      } while (cursor);
      return out.sort();
    };
    const staff = as('office_staff', t.office);
    expect(await list(clerkOf(u0))).toEqual([...ids.u0].sort());
    expect(await list(staff)).toEqual([...ids.u0, ...ids.u1, inPlan2].sort());
    expect(await list(staff, { orgId: u1 })).toEqual([...ids.u1, inPlan2].sort());
    expect(await list(staff, { status: 'draft' })).toEqual([...ids.u0.slice(1), ...ids.u1, inPlan2].sort());
    expect(await list(staff, { status: 'withdrawn' })).toEqual([ids.u0[0]]);
    expect(await list(staff, { planId: plan2.id })).toEqual([inPlan2]);
    expect(await list(staff, { status: 'draft', planId: plan.id, orgId: u1 })).toEqual([...ids.u1].sort());
    expect(await list(as('office_staff', other.office))).toEqual([]);

    // Lists carry claims without asking S3 (no `uploaded`), in the claim shape.
    const page = await invoke('listClaims', { query: { orgId: u0, limit: 1 }, claims: staff });
    expect(Object.keys(page.body.items[0]).slice(0, 3)).toEqual(['claimId', 'enrolmentId', 'planId']);
    // Each names its member as every claim answer does (SPEC §4.4): the name unsealed, the ID number masked.
    const named = await invoke('listClaims', { query: { orgId: u1 }, claims: staff });
    const liId: string = (await file(stay(await enrolOne(u1, plan.id, { name: '李小红' })), clerkOf(u1))).body.claimId;
    const listed = (await invoke('listClaims', { query: { orgId: u1, limit: 100 }, claims: staff })).body.items as Record<string, string>[];
    expect(listed).toHaveLength(named.body.items.length + 1);
    for (const c of listed) {
      expect(c.memberName, c.claimId).toBe(c.claimId === liId ? '李小红' : '张三');
      expect(c.idNumberMasked).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    }
    const cursor: string = page.body.nextCursor;
    expect(cursor).toBeTruthy();
    // A cursor is good for its own list only: another org's list or an edited one is 400.
    expect(code(await invoke('listClaims', { query: { orgId: u1, limit: 1, cursor }, claims: staff }))).toBe('400 VALIDATION_FAILED');
    expect(code(await invoke('listClaims', { query: { orgId: u0, limit: 1, cursor: `${cursor.slice(0, -3)}AAA` }, claims: staff }))).toBe(
      '400 VALIDATION_FAILED',
    );
    expect(code(await invoke('listClaims', { query: { orgId: u0, status: 'nonsense' }, claims: staff }))).toBe('400 VALIDATION_FAILED');
    expect(code(await invoke('listClaims', { query: { orgId: u1 }, claims: clerkOf(u0) }))).toBe('403 FORBIDDEN');
    expect(code(await invoke('listClaims', { query: { orgId: 'no-such-org' }, claims: fed }))).toBe('404 NOT_FOUND');
    expect((await invoke('listClaims', { query: {} })).status).toBe(401);
  });
});
