import { idTokenClaims } from './jwt';
/**
 * `npm run seed` (infra/local/seed.ts) does this: fills the local stack with
 * the demo of seedData.ts, through the very handlers the routes run (called
 * in process, as report.ts and reconcile.ts run their code), each step with
 * its own injected clock so the history is realistic: last year's plan
 * enrolled in January of last year, this year's plans in January, stays from
 * February to June, decisions after them, a payment on 25 June, the nightly
 * reports of 30 June and of the last three days, and the half-year
 * evaluation computed from the 30 June report, approved and paid out in July.
 *
 * Idempotent: org and plan ids are fixed, enrolment ids are keyed hashes
 * (a person already enrolled comes back as ALREADY_ENROLLED with its id),
 * every claim is found again by its enrolment and driven on from the state it
 * is in, the payment only takes claims still waiting for it, reports and the
 * evaluation are looked up before they are made. A second run adds nothing;
 * a first run that failed part-way is completed by the next one.
 *
 * Receipts are declared as a browser's are and uploaded through the presigned POST
 * form each declaration returns, judged at the moment the form was made (the
 * seed's own S3 front over the same s3rver: ./seedUploads.ts), since a form made
 * on a past step's date has expired by the wall clock.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pLimit from 'p-limit';
import type { Clock } from '../../shared/clock';
import { buildDeps, type Deps } from '../../shared/deps';
import { addDays, compareDates, shanghaiToday } from '../../shared/domain/dates';
import type { Role } from '../../shared/domain/scope';
import type { HttpHandler } from '../../shared/http/handler';
import { routes, type RouteName } from '../../shared/http/routes';
import { piiOf } from '../../shared/pii/fromConfig';
import { generateReport } from '../../shared/report/generate';
import { repoRoot } from '../cors';
import { buildHttpEvent, lambdaContext } from './event';
import { asInvocation } from './invocation';
import { openReplayUploads } from './seedUploads';
import {
  criticalMembers,
  criticalPlan,
  evaluationRules,
  inpatientPlan,
  OFFICES,
  officeTarget,
  type Person,
  planIds,
  previousMembers,
  RECEIPT_JPEG,
  RECEIPT_PDF,
  ROOT_NAME,
  SEED_CLAIMS,
  type SeedClaim,
  type SeedClaimState,
  UNITS,
  unitMembers,
  unitTarget,
  womenMembers,
  womenPlan,
} from './seedData';
import { join } from 'node:path';

export interface SeedOptions {
  /** "Now" for choosing the demo's year and the recent reports (default: the real clock). */
  now?: Date;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SeedSummary {
  year: number;
  rootOrgId: string;
  orgsCreated: number;
  plansCreated: number;
  /** Per plan id: members enrolled by this run / enrolled in all. */
  enrolled: Record<string, { added: number; total: number }>;
  /** Claims per state after the run, and how many steps this run took on claims. */
  claims: Record<SeedClaimState, number>;
  claimSteps: number;
  paymentId: string | null;
  paymentCreated: boolean;
  reportsCreated: string[];
  reportDates: string[];
  evaluationId: string | null;
  evaluationSteps: number;
  ms: number;
  signIn: { role: Role; org: string; what: string }[];
}

/** The demo's year: this year once its half-year evaluation can have been paid (15 July), else last year. */
export const seedYear = (today: string): number => {
  const y = Number(today.slice(0, 4));
  return compareDates(today, `${y}-07-15`) >= 0 ? y : y - 1;
};

/** Every route the seed calls (its handlers are imported together when it starts). */
const SEED_ROUTES: RouteName[] = [
  'patchOrg',
  'createOrg',
  'putTarget',
  'createPlan',
  'enrolMembers',
  'createClaim',
  'declareClaimDocument',
  'submitClaim',
  'withdrawClaim',
  'decideClaim',
  'createPayment',
  'putEvaluationRules',
  'listEvaluations',
  'createEvaluation',
  'approveEvaluation',
  'payoutEvaluation',
];

/** 10:00 in Shanghai on a day, as an instant. */
const at = (day: string, hour = 10) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`);

class SeedStepFailed extends Error {
  override name = 'SeedStepFailed';
}

export const runSeed = async (opts: SeedOptions = {}): Promise<SeedSummary> => {
  const started = Date.now();
  const say = opts.log ?? (() => undefined);
  const log = (line: string) => say(`${line}（${((Date.now() - started) / 1000).toFixed(1)} 秒）`);
  const now = opts.now ?? new Date();
  const today = shanghaiToday(now);
  const year = seedYear(today);
  const ids = planIds(year);
  // Coverage of this period: the calendar year, stretched by a year when today is already past it.
  const coverageEnd = compareDates(today, `${year}-12-31`) <= 0 ? `${year}-12-31` : `${year + 1}-12-31`;

  // Each step's "now": an async-local instant, so parallel steps keep their own dates.
  const when = new AsyncLocalStorage<Date>();
  const clock: Clock = { now: () => when.getStore() ?? now };
  const deps: Deps = buildDeps({ clock });
  const root = deps.config.rootOrgId;

  const handlers = new Map<RouteName, Promise<HttpHandler>>();
  const handlerOf = (name: RouteName) => {
    let h = handlers.get(name);
    if (!h) {
      h = import(join(repoRoot, 'functions', name, 'handler.ts')).then((m: { handler: HttpHandler }) =>
        m.handler.withDeps({ clock, ddb: deps.ddb, db: deps.db }),
      );
      handlers.set(name, h);
    }
    return h;
  };

  interface Req {
    as: { role: Role; org: string; sub: string };
    on: Date;
    params?: Record<string, string>;
    query?: Record<string, string | number>;
    body?: unknown;
    key?: string;
  }
  // biome-ignore lint/suspicious/noExplicitAny: answers are read field by field, as the route table documents them
  const call = async (name: RouteName, r: Req): Promise<{ status: number; body: any }> => {
    const route = routes[name];
    const params = r.params ?? {};
    const rawPath = route.path.replace(/\{(\w+)\}/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
    const qs = new URLSearchParams(Object.entries(r.query ?? {}).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const headers: Record<string, string> = {};
    if (r.body !== undefined) headers['content-type'] = 'application/json';
    if (r.key) headers['idempotency-key'] = r.key;
    const handler = await handlerOf(name);
    const res = await when.run(r.on, () =>
      asInvocation(() =>
        handler(
          buildHttpEvent({
            method: route.method,
            routePath: route.path,
            rawPath,
            rawQueryString: qs,
            headers,
            pathParameters: params,
            ...(r.body !== undefined ? { body: JSON.stringify(r.body) } : {}),
            claims: idTokenClaims(r.as),
          }),
          lambdaContext(name),
        ),
      ),
    );
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  /** A call whose answer must be one of `ok` (a seeded thing already there answers 409, say). */
  const expect = async (name: RouteName, r: Req, ok: number[]) => {
    const res = await call(name, r);
    if (!ok.includes(res.status)) {
      const b = res.body ?? {};
      throw new SeedStepFailed(`${name} answered ${res.status} ${b.code ?? ''}: ${b.detail ?? ''} ${JSON.stringify(b.errors ?? '')}`);
    }
    return res;
  };

  const fed = (sub = 'admin') => ({ role: 'federation_admin' as const, org: root, sub: `${sub}@${root}` });
  const staffOf = (org: string, sub = 'staff') => ({ role: 'office_staff' as const, org, sub: `${sub}@${org}` });
  const clerkOf = (org: string) => ({ role: 'unit_admin' as const, org, sub: `clerk@${org}` });
  const parentOf = (id: string) => {
    const p = [...OFFICES, ...UNITS].find((o) => o.id === id)!.parentId;
    return p === 'ROOT' ? root : p;
  };
  const setupDay = at(`${year - 2}-11-20`);

  // Every handler the seed calls, imported (and compiled) side by side up front rather than one by one on first use.
  for (const name of SEED_ROUTES) handlerOf(name).catch(() => undefined); // a failed import fails its first call

  // 1. Orgs: the root's Chinese name, offices and the agency, 20 units; the year's targets.
  log('组织机构 …');
  // The root was created when the store was (bootstrap, at the real time): renamed no earlier than that, and only
  // when its name is not the demo's yet, so updatedAt never falls before createdAt and a re-run changes nothing.
  const rootOrg = await deps.orgs.get(root);
  if (!rootOrg) throw new SeedStepFailed(`the root org ${root} does not exist (npm start creates it)`);
  if (rootOrg.name !== ROOT_NAME) {
    const renamedOn = new Date(Math.max(now.getTime(), Date.parse(rootOrg.createdAt)));
    await expect('patchOrg', { as: fed(), on: renamedOn, params: { id: root }, body: { name: ROOT_NAME } }, [200]);
  }
  let orgsCreated = 0;
  // Bounded concurrency: enough requests in flight to keep DynamoDB Local's two cores busy, few enough not to queue.
  const limit = pLimit(8);
  await Promise.all(
    OFFICES.map((o) =>
      limit(async () => {
        const r = await expect(
          'createOrg',
          { as: fed(), on: setupDay, body: { id: o.id, name: o.name, kind: o.kind, parentId: root } },
          [201, 409],
        );
        if (r.status === 201) orgsCreated++;
      }),
    ),
  );
  await Promise.all(
    UNITS.map((u) =>
      limit(async () => {
        const r = await expect(
          'createOrg',
          {
            as: staffOf(parentOf(u.id)),
            on: setupDay,
            body: { id: u.id, name: u.name, kind: 'unit', parentId: parentOf(u.id), headcount: u.headcount },
          },
          [201, 409],
        );
        if (r.status === 201) orgsCreated++;
      }),
    ),
  );
  const targetDay = at(`${year - 1}-12-15`);
  // The root's own target (SPEC §4.1 "federation_admin sets the root's own target") is refused today (403: set by an org above it); not seeded.
  await Promise.all([
    ...OFFICES.map((o) =>
      limit(() =>
        expect(
          'putTarget',
          { as: fed(), on: targetDay, params: { id: o.id, year: String(year) }, body: { enrolmentTarget: officeTarget(o.id) } },
          [200],
        ),
      ),
    ),
    ...UNITS.map((u) =>
      limit(() =>
        expect(
          'putTarget',
          {
            as: staffOf(parentOf(u.id)),
            on: targetDay,
            params: { id: u.id, year: String(year) },
            body: { enrolmentTarget: unitTarget(u) },
          },
          [200],
        ),
      ),
    ),
  ]);

  // 2. Plans: last year's inpatient plan, this year's (renewals at the discount), critical illness, women's.
  log('互助方案 …');
  let plansCreated = 0;
  /** Plans this run created: nobody can be enrolled in them yet, so their rosters need no look-up of who is. */
  const freshPlans = new Set<string>();
  const planBodies = [
    { ...inpatientPlan(ids.inpatientPrevious, year - 1, `${year - 1}-12-31`), on: at(`${year - 2}-11-25`) },
    { ...inpatientPlan(ids.inpatient, year, coverageEnd, ids.inpatientPrevious), on: at(`${year - 1}-11-25`) },
    { ...criticalPlan(ids.critical, year, coverageEnd), on: at(`${year - 1}-11-25`) },
    { ...womenPlan(ids.women, year, coverageEnd), on: at(`${year - 1}-11-25`) },
  ];
  const createPlan = async ({ on, ...plan }: (typeof planBodies)[number]) => {
    const r = await expect('createPlan', { as: fed(), on, body: plan }, [201, 409]);
    if (r.status === 201) {
      plansCreated++;
      freshPlans.add(plan.id);
    }
  };
  // Last year's first (this year's inpatient plan names it as its predecessor), then the other three side by side.
  await createPlan(planBodies[0]!);
  await Promise.all(planBodies.slice(1).map(createPlan));

  // 3. Enrolment: one roster per unit and plan, dated early in each period (a co-funded roster where the union pays half).
  const enrolmentIds = new Map<string, string>(); // `${plan}#${unit}#${member}` → enrolmentId
  const enrolled: SeedSummary['enrolled'] = {};
  const enrolRoster = async (planId: string, unitIndex: number, people: Person[], indexes: number[], on: Date, funding?: object) => {
    const u = UNITS[unitIndex]!;
    // Enrolment ids are keyed hashes of (person, plan): who is already enrolled is one BatchGet, not a roster re-run
    // (and no read at all in a plan this run created, as every plan is on a fresh store).
    const keyed = await Promise.all(people.map((p) => piiOf(deps).enrolmentId(p.idNumber, planId)));
    const there = freshPlans.has(planId) ? new Map<string, string>() : await deps.enrolments.unitsOf(keyed);
    const tally = (enrolled[planId] ??= { added: 0, total: 0 });
    keyed.forEach((id, i) => {
      if (there.has(id)) enrolmentIds.set(`${planId}#${unitIndex}#${indexes[i]}`, id);
    });
    tally.total += there.size;
    const missing = people.flatMap((p, i) => (there.has(keyed[i]!) ? [] : [{ p, k: indexes[i]!, id: keyed[i]! }]));
    if (missing.length === 0) return;
    people = missing.map((m) => m.p);
    indexes = missing.map((m) => m.k);
    const keyedMissing = missing.map((m) => m.id);
    const r = await expect(
      'enrolMembers',
      {
        as: clerkOf(u.id),
        on,
        params: { unitId: u.id },
        body: {
          planId,
          members: people.map((p) => ({ idNumber: p.idNumber, name: p.name, shares: p.shares, ...(p.phone ? { phone: p.phone } : {}) })),
          ...(funding ? { funding } : {}),
        },
      },
      [200],
    );
    tally.added += r.body.accepted;
    tally.total += r.body.accepted;
    for (const e of r.body.enrolments as { row: number; enrolmentId: string }[])
      enrolmentIds.set(`${planId}#${unitIndex}#${indexes[e.row - 1]}`, e.enrolmentId);
    for (const x of r.body.rejected as { row: number; code: string }[]) {
      // Enrolled meanwhile (perhaps at another unit, whose id the clerk is not told): the id is the keyed hash anyway.
      if (x.code !== 'ALREADY_ENROLLED') throw new SeedStepFailed(`enrolment in ${planId} at ${u.id}: row ${x.row} ${x.code}`);
      tally.total++;
      enrolmentIds.set(`${planId}#${unitIndex}#${indexes[x.row - 1]}`, keyedMissing[x.row - 1]!);
    }
  };
  const indexed = (all: Person[], chosen: Person[]) => chosen.map((p) => all.indexOf(p));
  /** One unit's four rosters: last year's first (this year's roster then finds the renewals), this year's three side by side. */
  const enrolUnit = async (ui: number) => {
    const u = UNITS[ui]!;
    const members = unitMembers(ui, u, year);
    const previous = previousMembers(members);
    const funding = u.unionPays ? { unionPerShareFen: 4500 } : undefined;
    await enrolRoster(
      ids.inpatientPrevious,
      ui,
      previous,
      indexed(members, previous),
      at(`${year - 1}-01-${String(5 + (ui % 20)).padStart(2, '0')}`),
      funding,
    );
    const day = at(`${year}-01-${String(5 + (ui % 20)).padStart(2, '0')}`);
    const critical = criticalMembers(members);
    const women = womenMembers(members);
    await Promise.all([
      enrolRoster(ids.inpatient, ui, members, indexed(members, members), day, funding),
      enrolRoster(ids.critical, ui, critical, indexed(members, critical), day),
      enrolRoster(ids.women, ui, women, indexed(members, women), day),
    ]);
  };

  // 4. Claims, each driven from the state it is in to the state it ends in (what is there already is listed first).
  const planOf = { inpatient: ids.inpatient, critical: ids.critical, women: ids.women } as const;
  const existing = new Map<string, { claimId: string; status: string; documents: { kind: string }[] }>();
  await Promise.all(
    Object.values(planOf).map(async (planId) => {
      let cursor: string | undefined;
      do {
        const page = await deps.claims.list({ path: [root], planId, limit: 500, ...(cursor ? { cursor } : {}) });
        for (const c of page.items) existing.set(c.enrolmentId, { claimId: c.claimId, status: c.status, documents: c.documents });
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }),
  );
  const reviewerOf = (unitId: string) => staffOf(parentOf(unitId), 'reviewer');
  const paymentDay = `${year}-06-25`;
  let claimSteps = 0;
  const upload = async (claimId: string, who: Req['as'], on: Date, kind: string) => {
    const jpeg = kind === 'discharge_summary' || kind === 'diagnosis_certificate';
    const bytes = jpeg ? RECEIPT_JPEG : RECEIPT_PDF;
    const contentType = jpeg ? 'image/jpeg' : 'application/pdf';
    const d = await expect(
      'declareClaimDocument',
      {
        as: who,
        on,
        params: { id: claimId },
        body: { kind, fileName: `${kind}.${jpeg ? 'jpg' : 'pdf'}`, contentType, sizeBytes: bytes.length },
      },
      [201],
    );
    // Through the form, as a browser posts it, at the moment the form was made (the step's past date).
    const up = d.body.upload as { url: string; fields: Record<string, string> };
    const posted = await uploads.post(up, { bytes: new Uint8Array(bytes), type: contentType, name: `${kind}.${jpeg ? 'jpg' : 'pdf'}` });
    if (posted.status !== 204)
      throw new SeedStepFailed(`the ${kind} upload through its form answered ${posted.status}: ${await posted.text()}`);
  };
  const drive = async (c: SeedClaim) => {
    const u = UNITS[c.unit]!;
    const planId = planOf[c.plan];
    const enrolmentId = enrolmentIds.get(`${planId}#${c.unit}#${c.member}`);
    if (!enrolmentId) throw new SeedStepFailed(`no enrolment for a demo claim (${planId}, ${u.id}, member ${c.member})`);
    const start = `${year}-${c.start}`;
    const end = addDays(start, c.days);
    const filed = at(addDays(end, 5));
    const submittedOn = at(addDays(end, 6));
    const decidedOn = at(addDays(end, 16));
    const clerk = clerkOf(u.id);
    let cur = existing.get(enrolmentId);
    if (!cur) {
      const body =
        c.plan === 'inpatient'
          ? {
              enrolmentId,
              hospital: c.hospital,
              admissionDate: start,
              dischargeDate: end,
              diagnosis: c.diagnosis,
              icd10: c.icd10,
              accident: c.icd10?.startsWith('S') ?? false,
              totalExpenseFen: Math.round(((c.selfPaidYuan ?? 0) * 1.25 + (c.insuranceYuan ?? 0)) * 100),
              insuranceReimbursedFen: (c.insuranceYuan ?? 0) * 100,
              selfPaidInScopeFen: (c.selfPaidYuan ?? 0) * 100,
            }
          : { enrolmentId, hospital: c.hospital, diagnosisDate: start, conditionCode: c.conditionCode, accident: false };
      const r = await expect('createClaim', { as: clerk, on: filed, body, key: `seed-claim-${enrolmentId}` }, [201]);
      claimSteps++;
      cur = { claimId: r.body.claimId, status: r.body.status, documents: [] };
    }
    const id = cur.claimId;
    if (c.state === 'draft') return;
    if (cur.status === 'draft' && c.state === 'withdrawn') {
      await expect('withdrawClaim', { as: clerk, on: filed, params: { id } }, [200]);
      claimSteps++;
      return;
    }
    if (cur.status === 'draft') {
      const needed =
        c.plan === 'inpatient'
          ? ['invoice', 'discharge_summary', ...((c.insuranceYuan ?? 0) > 0 ? ['settlement_statement'] : [])]
          : ['diagnosis_certificate'];
      // The receipts side by side, as a browser uploads several files (each declaration re-reads the claim if another landed first).
      await Promise.all(
        needed.filter((k) => !cur!.documents.some((d) => d.kind === k)).map((kind) => upload(id, clerk, submittedOn, kind)),
      );
      await expect('submitClaim', { as: clerk, on: submittedOn, params: { id } }, [200]);
      claimSteps++;
      cur = { ...cur, status: 'submitted' };
    }
    if (cur.status !== 'submitted' || c.state === 'submitted') return;
    const decision =
      c.state === 'rejected'
        ? { decision: 'reject', reason: '不属于互助范围（非疾病住院）' }
        : c.state === 'returned'
          ? { decision: 'return', reason: '请补充完整的费用明细清单' }
          : { decision: 'approve' };
    await expect('decideClaim', { as: reviewerOf(u.id), on: decidedOn, params: { id }, body: decision }, [200]);
    claimSteps++;
  };
  // Enrolment and claims overlap: a unit's claims start as soon as its own rosters are in, while other units still
  // enrol. Units go a few at a time (each sends up to three rosters at once); claims of one member are never in flight
  // together (each claim has its own member), so a unit's claims run side by side.
  log('参加互助（批量名单）与互助金申请 …');
  const units = pLimit(4);
  const uploads = await openReplayUploads(deps.config.bucketName);
  try {
    await Promise.all(
      UNITS.map((_u, ui) =>
        units(async () => {
          await enrolUnit(ui);
          await Promise.all(SEED_CLAIMS.filter((c) => c.unit === ui).map((c) => limit(() => drive(c))));
        }),
      ),
    );
  } finally {
    await uploads.close();
  }

  // 5. The payment of 25 June: every claim meant to be paid that is still only approved.
  log('支付与公示 …');
  const claimIdsNow = async () => {
    const out = new Map<string, { claimId: string; status: string; paymentId?: string }>();
    await Promise.all(
      Object.values(planOf).map(async (planId) => {
        let cursor: string | undefined;
        do {
          const page = await deps.claims.list({ path: [root], planId, limit: 500, ...(cursor ? { cursor } : {}) });
          for (const c of page.items)
            out.set(c.enrolmentId, { claimId: c.claimId, status: c.status, ...(c.paymentId ? { paymentId: c.paymentId } : {}) });
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      }),
    );
    return out;
  };
  let claimsNow = await claimIdsNow();
  const toPay = SEED_CLAIMS.filter((c) => c.state === 'paid')
    .map((c) => claimsNow.get(enrolmentIds.get(`${planOf[c.plan]}#${c.unit}#${c.member}`)!)!)
    .filter((c) => c.status === 'approved');
  let paymentId: string | null = null;
  let paymentCreated = false;
  if (toPay.length > 0) {
    const r = await expect(
      'createPayment',
      {
        as: fed('finance'),
        on: at(paymentDay, 15),
        body: { claimIds: toPay.map((c) => c.claimId).sort(), paidDate: paymentDay, reference: `滨江总工会互助金${year}第1批` },
        key: `seed-payment-${year}-${toPay.length}`,
      },
      [201],
    );
    paymentId = r.body.paymentId;
    paymentCreated = true;
    claimSteps++;
    claimsNow = await claimIdsNow();
  } else {
    paymentId = [...claimsNow.values()].find((c) => c.status === 'paid')?.paymentId ?? null;
  }
  const claims = Object.fromEntries(
    (['draft', 'submitted', 'returned', 'approved', 'paid', 'rejected', 'withdrawn'] as const).map((s) => [
      s,
      [...claimsNow.values()].filter((c) => c.status === s).length,
    ]),
  ) as Record<SeedClaimState, number>;

  // 6. Nightly reports: 30 June (what the half-year evaluation reads) and the last three closed days.
  log('统计报表 …');
  const reportDates = [`${year}-06-30`, addDays(today, -3), addDays(today, -2), addDays(today, -1)].filter(
    (d, i, all) => all.indexOf(d) === i && compareDates(d, `${year}-06-30`) >= 0,
  );
  const reportsCreated: string[] = [];
  for (const date of reportDates) {
    if (await deps.reports.getIndex(date, true)) continue;
    await generateReport(buildDeps({ ddb: deps.ddb, db: deps.db }), date);
    reportsCreated.push(date);
  }

  // 7. The half-year evaluation: rules, computed from the 30 June report, approved by a second person, paid out.
  log('半年初评与奖励兑现 …');
  let evaluationSteps = 0;
  const rulesDay = at(`${year}-06-20`);
  const rules = await expect(
    'putEvaluationRules',
    { as: fed('planner'), on: rulesDay, params: { year: String(year) }, body: evaluationRules(year) },
    [200, 409],
  );
  if (rules.status === 200) evaluationSteps++;
  const list = await expect('listEvaluations', { as: fed('planner'), on: now, query: { year, limit: 50 } }, [200]);
  let evaluation = (list.body.items as { evaluationId: string; checkpointId: string; status: string }[]).find(
    (e) => e.checkpointId === 'half-year' && e.status !== 'draft',
  );
  if (!evaluation) {
    const r = await expect(
      'createEvaluation',
      { as: fed('planner'), on: at(`${year}-07-05`), body: { year, checkpointId: 'half-year' } },
      [201],
    );
    evaluation = r.body;
    evaluationSteps++;
  }
  if (evaluation!.status === 'draft') {
    const r = await expect(
      'approveEvaluation',
      { as: fed('director'), on: at(`${year}-07-06`), params: { id: evaluation!.evaluationId } },
      [200],
    );
    evaluation = r.body;
    evaluationSteps++;
  }
  if (evaluation!.status === 'approved') {
    await expect(
      'payoutEvaluation',
      {
        as: fed('finance'),
        on: at(`${year}-07-10`),
        params: { id: evaluation!.evaluationId },
        body: { paidDate: `${year}-07-10`, reference: `${year}年半年初评奖励兑现` },
      },
      [200],
    );
    evaluationSteps++;
  }

  return {
    year,
    rootOrgId: root,
    orgsCreated,
    plansCreated,
    enrolled,
    claims,
    claimSteps,
    paymentId,
    paymentCreated,
    reportsCreated,
    reportDates,
    evaluationId: evaluation!.evaluationId,
    evaluationSteps,
    ms: Date.now() - started,
    signIn: [
      { role: 'federation_admin', org: root, what: `${ROOT_NAME}（全市）` },
      { role: 'office_staff', org: OFFICES[0]!.id, what: OFFICES[0]!.name },
      { role: 'unit_admin', org: UNITS[0]!.id, what: UNITS[0]!.name },
    ],
  };
};
