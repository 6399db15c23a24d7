/**
 * Reconciliation (SPEC §5): recounts a plan from its records and checks the
 * money invariants. It reads every enrolment, claim, approval fact and
 * disclosure of the plan, so it is an operator tool (`npm run reconcile`) and
 * a step of the nightly job, never part of the report itself.
 *
 * Invariants checked (each drift is named: entity, id, field, expected, actual — never personal data):
 *   counter     per unit: the counters against the records (below);
 *   enrolment   usedFen = Σ approvedBenefitFen, deductibleUsedFen = Σ benefitBreakdown.deductibleConsumedFen
 *               over its approved and paid claims; approvalSeq = its number of approval facts;
 *   approvalFact  (PLANFACTS#) Σ per enrolment equal to the enrolment's used amounts; each names a claim that is
 *               approved or paid with that benefit;
 *   claim       a paid claim's payment exists, is completed and lists it;
 *   disclosure  exactly one per paid claim (DISCLOSURE#<plan>), benefit and paid date equal; none for others.
 * Payments (reconcilePayments): a completed payment's totalFen = Σ its claims' benefits, and each of its
 * claims is paid under it with its paidDate; a cancelled one leaves no claim paid under it. Claims of a
 * payment that is not final yet (pending, cancelling, anything but completed / cancelled) are IN FLIGHT:
 * listed, not judged.
 *
 * What each counter means, as the writers move it:
 *   enrolled, contributions*      active enrolments now in the unit (transfers move them; no co-funding
 *                                 recorded → the worker pays it all)
 *   sharesNew / sharesRenewal     shares of those enrolments, newcomers' / renewing members'
 *   claimsSubmitted               claims ever submitted (firstSubmittedDate set)
 *   claimsApproved / Paid / Rejected   claims now approved-or-paid / paid / rejected
 *   benefitsApprovedFen / PaidFen approvedBenefitFen of approved-or-paid / paid claims
 *   paidDaysTotal                 paidDays of paid claims
 *   openSubmitted@<day>           claims now submitted, by lastSubmittedDate
 * Claims count in the unit they were filed in (their counters never move).
 *
 * Writes go on while it reads, and indexes lag their table: a first pass may see a record without its
 * counter move (or the reverse). So a drift is only reported when a second pass, after a pause, finds it
 * again — counters then read strongly consistently per unit. Repair (`repairCounters`) touches counters
 * only, as an ADD of the difference to today's bucket, each correction with an audit item in the same
 * transaction; it never changes a claim's or an enrolment's money.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { addDays, maxDate } from '../domain/dates';
import { enrolmentCounterDelta } from '../domain/enrolment';
import { batchGetAll, batchKey } from './batch';
import {
  counterDay,
  latestPlanSnapshot,
  openSubmittedOn,
  randomShard,
  readPlanCountersUnder,
  readUnitPlanCounters,
  UNIT_PLAN_FIELDS,
  unitPlanCounterAdd,
} from './counters';
import type { StoreContext } from './items';
import { itemOf, keys } from './keys';
import { orgRepo } from './orgs';
import { withRetries } from './retry';
import { keyAttributesOf } from './table';

export type DriftEntity = 'counter' | 'enrolment' | 'approvalFact' | 'claim' | 'disclosure' | 'payment';

export interface Drift {
  entity: DriftEntity;
  /** unitId for a counter, else the entity's id (a disclosure: the id of the claim it publishes). */
  id: string;
  field: string;
  /** What the records say it should be. */
  expected: number | string | null;
  actual: number | string | null;
}

export interface Reconciliation {
  planId: string;
  units: number;
  enrolments: number;
  claims: number;
  drifts: Drift[];
  /** Claims paid under a payment that is not final yet: not judged. */
  inFlight: string[];
}

type Item = Record<string, unknown>;
type Tally = Map<string, Record<string, number>>;
const bump = (t: Tally, unitId: string, field: string, by: number) => {
  const row = t.get(unitId) ?? {};
  row[field] = (row[field] ?? 0) + by;
  t.set(unitId, row);
};
const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Every item of a partition (optionally narrowed by sort prefix and a planId filter), page by page. */
const eachItem = async (
  ctx: StoreContext,
  q: { index: 'gsi1' | 'gsi2' | null; partition: string; sortPrefix?: string; planId?: string; consistent?: boolean },
  visit: (item: Item) => void,
) => {
  const { partition, sort } = keyAttributesOf(q.index);
  let start: Item | undefined;
  do {
    const r = await withRetries('reconcile read', () =>
      ctx.db.send(
        new QueryCommand({
          TableName: ctx.tableName,
          ...(q.index ? { IndexName: q.index } : { ConsistentRead: q.consistent ?? false }),
          KeyConditionExpression: q.sortPrefix === undefined ? '#p = :p' : '#p = :p AND begins_with(#s, :s)',
          ...(q.planId ? { FilterExpression: '#plan = :plan' } : {}),
          ExpressionAttributeNames: {
            '#p': partition,
            ...(q.sortPrefix === undefined ? {} : { '#s': sort }),
            ...(q.planId ? { '#plan': 'planId' } : {}),
          },
          ExpressionAttributeValues: {
            ':p': q.partition,
            ...(q.sortPrefix === undefined ? {} : { ':s': q.sortPrefix }),
            ...(q.planId ? { ':plan': q.planId } : {}),
          },
          ExclusiveStartKey: start,
        }),
      ),
    );
    for (const i of r.Items ?? []) visit(i);
    start = r.LastEvaluatedKey;
  } while (start);
};

const FINAL_PAYMENT = new Set(['completed', 'cancelled']);

/** One full pass over the plan. `consistentUnits`: read those units' counters strongly consistently (the re-check). */
const inspectPlan = async (ctx: StoreContext, rootOrgId: string, planId: string, consistentUnits?: ReadonlySet<string>) => {
  const counted: Tally = new Map();
  const drifts: Drift[] = [];
  const drift = (entity: DriftEntity, id: string, field: string, expected: Drift['expected'], actual: Drift['actual']) => {
    if (expected !== actual) drifts.push({ entity, id, field, expected, actual });
  };
  const units = (await orgRepo(ctx).subtree([rootOrgId])).filter((o) => o.kind === 'unit');
  const enrolments = new Map<string, Item>();

  // Enrolments: one Query per shard of each unit's enrolment list (the unsharded partition too, until
  // re-indexed), narrowed to the plan. Missing one would "repair" the counters wrongly.
  const limit = pLimit(8);
  await Promise.all(
    units.flatMap((u) =>
      keys.unitEnrolmentPartitions(u.id).map((partition) =>
        limit(() =>
          eachItem(ctx, { index: 'gsi1', partition, sortPrefix: keys.unitEnrolmentSort(planId, '') }, (e) => {
            enrolments.set(String(e.enrolmentId), e);
            if (e.status !== 'active') return;
            // The same delta the writers move (payer split and shares new / renewing included): nothing left behind.
            const d = enrolmentCounterDelta(
              [
                {
                  contributionFen: num(e.contributionFen),
                  funding: e.funding as never,
                  shares: num(e.shares),
                  renewal: e.renewal === true,
                },
              ],
              1,
            );
            for (const [field, v] of Object.entries(d)) bump(counted, u.id, field as never, v);
          }),
        ),
      ),
    ),
  );

  // Claims: the all-statuses list over the whole tree, filtered to the plan.
  const claims = new Map<string, Item>();
  const used = new Map<string, { fen: number; deductible: number }>();
  await eachItem(ctx, { index: 'gsi2', partition: keys.claimsAll, sortPrefix: keys.pathPrefix([rootOrgId]), planId }, (c) => {
    claims.set(String(c.claimId), c);
    const unit = String(c.unitId);
    const status = c.status;
    if (c.firstSubmittedDate) bump(counted, unit, 'claimsSubmitted', 1);
    if (status === 'approved' || status === 'paid') {
      bump(counted, unit, 'claimsApproved', 1);
      bump(counted, unit, 'benefitsApprovedFen', num(c.approvedBenefitFen));
      const u = used.get(String(c.enrolmentId)) ?? { fen: 0, deductible: 0 };
      u.fen += num(c.approvedBenefitFen);
      u.deductible += num((c.benefitBreakdown as Item | undefined)?.deductibleConsumedFen);
      used.set(String(c.enrolmentId), u);
    }
    if (status === 'paid') {
      bump(counted, unit, 'claimsPaid', 1);
      bump(counted, unit, 'benefitsPaidFen', num(c.approvedBenefitFen));
      bump(counted, unit, 'paidDaysTotal', num(c.paidDays));
    }
    if (status === 'rejected') bump(counted, unit, 'claimsRejected', 1);
    if (status === 'submitted' && typeof c.lastSubmittedDate === 'string') bump(counted, unit, openSubmittedOn(c.lastSubmittedDate), 1);
  });

  // Counters: the index for the whole plan; the units being re-checked strongly consistently from the table.
  const recorded = await readPlanCountersUnder(ctx, planId, [rootOrgId]);
  for (const u of consistentUnits ?? []) recorded.set(u, await readUnitPlanCounters(ctx, u, planId));
  for (const d of compare(counted, recorded)) drift('counter', d.unitId, d.field, d.counted, d.recorded);

  // Approval facts, by enrolment.
  const facts = new Map<string, { n: number; fen: number; deductible: number }>();
  await eachItem(ctx, { index: null, partition: `PLANFACTS#${planId}`, consistent: true }, (f) => {
    const e = String(f.enrolmentId);
    const t = facts.get(e) ?? { n: 0, fen: 0, deductible: 0 };
    t.n += 1;
    t.fen += num(f.benefitFen);
    t.deductible += num(f.deductibleConsumedFen);
    facts.set(e, t);
    const c = claims.get(String(f.claimId));
    const approved = c && (c.status === 'approved' || c.status === 'paid');
    drift('approvalFact', `${e}#${f.seq}`, 'claimStatus', 'approved|paid', approved ? 'approved|paid' : (str(c?.status) ?? null));
    if (approved) drift('approvalFact', `${e}#${f.seq}`, 'benefitFen', num(c.approvedBenefitFen), num(f.benefitFen));
  });

  // Enrolments' used cap and deductible against their approved and paid claims (and the facts).
  for (const [id, e] of enrolments) {
    const u = used.get(id) ?? { fen: 0, deductible: 0 };
    const f = facts.get(id) ?? { n: 0, fen: 0, deductible: 0 };
    drift('enrolment', id, 'usedFen', u.fen, num(e.usedFen));
    drift('enrolment', id, 'deductibleUsedFen', u.deductible, num(e.deductibleUsedFen));
    drift('enrolment', id, 'approvalSeq', f.n, num(e.approvalSeq));
    drift('approvalFact', id, 'sumBenefitFen', num(e.usedFen), f.fen);
    drift('approvalFact', id, 'sumDeductibleConsumedFen', num(e.deductibleUsedFen), f.deductible);
  }
  for (const id of facts.keys()) if (!enrolments.has(id)) drift('approvalFact', id, 'enrolment', 'exists', null);

  // Paid claims: their payment, final or in flight.
  const paid = [...claims.values()].filter((c) => c.status === 'paid');
  const paymentIds = [...new Set(paid.map((c) => str(c.paymentId)).filter((p): p is string => p !== null))];
  const payments = await batchGetAll(ctx, paymentIds.map(keys.payment), true);
  const inFlight = new Set<string>();
  for (const c of paid) {
    const id = String(c.claimId);
    const p = typeof c.paymentId === 'string' ? payments.get(batchKey(keys.payment(c.paymentId))) : undefined;
    if (p && !FINAL_PAYMENT.has(String(p.status))) {
      inFlight.add(id);
      continue;
    }
    drift('claim', id, 'paymentStatus', 'completed', str(p?.status));
    if (p) drift('claim', id, 'inPaymentClaimIds', 'yes', (p.claimIds as string[] | undefined)?.includes(id) ? 'yes' : 'no');
  }

  // Disclosures: exactly one per paid claim (in-flight ones aside), with its benefit, paid date and the claim's public
  // reference. Matched by the claim id each disclosure item carries internally (the public claimRef is random).
  const disclosed = new Map<string, Item[]>();
  await eachItem(ctx, { index: null, partition: keys.disclosures(planId), consistent: true }, (d) => {
    const id = String(d.claimId);
    disclosed.set(id, [...(disclosed.get(id) ?? []), d]);
  });
  const paidIds = new Set(paid.map((c) => String(c.claimId)));
  for (const c of paid) {
    const id = String(c.claimId);
    if (inFlight.has(id)) continue;
    const ds = disclosed.get(id) ?? [];
    drift('disclosure', id, 'count', 1, ds.length);
    if (ds.length !== 1) continue;
    drift('disclosure', id, 'benefitFen', num(c.approvedBenefitFen), num(ds[0]!.benefitFen));
    drift('disclosure', id, 'paidDate', str(c.paidDate), str(ds[0]!.paidDate));
    drift('disclosure', id, 'claimRef', str(c.claimRef), str(ds[0]!.claimRef));
  }
  for (const [id, ds] of disclosed) {
    if (paidIds.has(id)) continue;
    drift('disclosure', id, 'claimStatus', 'paid', str(claims.get(id)?.status));
    if (ds.length > 1) drift('disclosure', id, 'count', 0, ds.length);
  }

  return {
    units: units.length,
    enrolments: [...enrolments.values()].filter((e) => e.status === 'active').length,
    claims: claims.size,
    drifts,
    inFlight: [...inFlight].sort(),
  };
};

const driftKey = (d: Drift) => `${d.entity}\u0000${d.id}\u0000${d.field}`;
const byKey = (a: Drift, b: Drift) => (driftKey(a) < driftKey(b) ? -1 : driftKey(a) > driftKey(b) ? 1 : 0);

export interface ReconcileOptions {
  /** Pause before the re-check of what the first pass found (lets indexes catch up with writes in flight). */
  recheckDelayMs?: number;
}

/** Recounts and checks one plan; reports only what a second pass confirms (see the module comment). */
export const reconcilePlan = async (
  ctx: StoreContext,
  rootOrgId: string,
  planId: string,
  opts: ReconcileOptions = {},
): Promise<Reconciliation> => {
  let pass = await inspectPlan(ctx, rootOrgId, planId);
  if (pass.drifts.length > 0) {
    const first = new Set(pass.drifts.map(driftKey));
    await new Promise((r) => setTimeout(r, opts.recheckDelayMs ?? 1000));
    const units = new Set(pass.drifts.filter((d) => d.entity === 'counter').map((d) => d.id));
    pass = await inspectPlan(ctx, rootOrgId, planId, units);
    pass.drifts = pass.drifts.filter((d) => first.has(driftKey(d)));
  }
  return {
    planId,
    units: pass.units,
    enrolments: pass.enrolments,
    claims: pass.claims,
    drifts: pass.drifts.sort(byKey),
    inFlight: pass.inFlight,
  };
};

/** Every payment against its claims (plan-independent). Claims of a payment not yet final are in flight. */
export const reconcilePayments = async (ctx: StoreContext): Promise<{ payments: number; drifts: Drift[]; inFlight: string[] }> => {
  const drifts: Drift[] = [];
  const inFlight: string[] = [];
  const payments: Item[] = [];
  await eachItem(ctx, { index: 'gsi1', partition: keys.paymentList }, (p) => payments.push(p));
  // The list is an index: judge each payment, and its claims, as the table has them now (consistent batch reads).
  const current = await batchGetAll(
    ctx,
    payments.map((p) => keys.payment(String(p.paymentId))),
    true,
  );
  const final = [...current.values()].filter((p) => FINAL_PAYMENT.has(String(p.status)));
  for (const p of current.values())
    if (!FINAL_PAYMENT.has(String(p.status))) inFlight.push(...((p.claimIds as string[] | undefined) ?? []));
  const found = await batchGetAll(
    ctx,
    final.flatMap((p) => ((p.claimIds as string[] | undefined) ?? []).map(keys.claim)),
    true,
  );
  for (const p of final) {
    const id = String(p.paymentId);
    const claimIds = (p.claimIds as string[] | undefined) ?? [];
    const claims = claimIds.map((c) => ({ id: c, item: found.get(batchKey(keys.claim(c))) }));
    const under = (c: Item | undefined) => c?.status === 'paid' && c.paymentId === id;
    if (p.status === 'completed') {
      const total = claims.reduce((s, c) => s + num(c.item?.approvedBenefitFen), 0);
      if (total !== num(p.totalFen)) drifts.push({ entity: 'payment', id, field: 'totalFen', expected: total, actual: num(p.totalFen) });
      for (const c of claims) {
        if (!under(c.item))
          drifts.push({
            entity: 'claim',
            id: c.id,
            field: 'paidUnder',
            expected: id,
            actual: c.item ? `${c.item.status} ${c.item.paymentId ?? '-'}` : null,
          });
        else if (c.item!.paidDate !== p.paidDate)
          drifts.push({ entity: 'claim', id: c.id, field: 'paidDate', expected: str(p.paidDate), actual: str(c.item!.paidDate) });
      }
    } else {
      for (const c of claims)
        if (under(c.item)) drifts.push({ entity: 'claim', id: c.id, field: 'paidUnder', expected: null, actual: `${id} (cancelled)` });
    }
  }
  return { payments: payments.length, drifts: drifts.sort(byKey), inFlight: inFlight.sort() };
};

/** Every (unit, field) where the two disagree; a field absent on one side is 0 there. Sorted for stable output. */
export const compare = (counted: ReadonlyMap<string, Record<string, number>>, recorded: ReadonlyMap<string, Record<string, number>>) => {
  const drifts: { unitId: string; field: string; counted: number; recorded: number }[] = [];
  const unitIds = [...new Set([...counted.keys(), ...recorded.keys()])].sort();
  for (const unitId of unitIds) {
    const c = counted.get(unitId) ?? {};
    const r = recorded.get(unitId) ?? {};
    const fields = new Set<string>([...UNIT_PLAN_FIELDS, ...Object.keys(c), ...Object.keys(r)]);
    for (const field of [...fields].sort()) {
      const a = c[field] ?? 0;
      const b = r[field] ?? 0;
      if (a !== b) drifts.push({ unitId, field, counted: a, recorded: b });
    }
  }
  return drifts;
};

export interface CounterCorrection {
  at: string;
  by: string;
  planId: string;
  unitId: string;
  /** The bucket the difference was added to (the repair's own day). */
  day: string;
  changes: { field: string; from: number; to: number }[];
}

/**
 * Corrects the confirmed counter drifts of a reconciliation: per unit one transaction that ADDs the
 * difference (records − counters) to today's bucket and puts the audit item of the correction. An ADD,
 * not a SET, so a write landing meanwhile keeps its own move. Money fields of claims and enrolments are
 * never touched here: their drifts need a person.
 */
export const repairCounters = async (
  ctx: StoreContext,
  r: Reconciliation,
  who: { by: string; at: string },
  paths: ReadonlyMap<string, readonly string[]>,
): Promise<CounterCorrection[]> => {
  const byUnit = new Map<string, Drift[]>();
  for (const d of r.drifts) if (d.entity === 'counter') byUnit.set(d.id, [...(byUnit.get(d.id) ?? []), d]);
  // Today's bucket — never one a stored snapshot already covers (a clock behind the last report's), else current totals would miss it.
  const latest = await latestPlanSnapshot(ctx, r.planId, '9999-12-31');
  const day = latest ? maxDate(counterDay(who.at), addDays(latest, 1)) : counterDay(who.at);
  const done: CounterCorrection[] = [];
  for (const [unitId, ds] of byUnit) {
    const path = paths.get(unitId);
    if (!path) continue; // a unit no longer in the tree: reported, not repaired
    const changes = ds.map((d) => ({ field: d.field, from: Number(d.actual), to: Number(d.expected) }));
    const delta = Object.fromEntries(changes.map((c) => [c.field, c.to - c.from]));
    const correction: CounterCorrection = { at: who.at, by: who.by, planId: r.planId, unitId, day, changes };
    await withRetries('counter repair', () =>
      ctx.db.send(
        new TransactWriteCommand({
          TransactItems: [
            unitPlanCounterAdd(ctx.tableName, { id: unitId, path }, r.planId, day, randomShard(), delta),
            {
              Put: {
                TableName: ctx.tableName,
                Item: itemOf(keys.counterCorrection(who.at, r.planId, unitId), { entity: 'counterCorrection', ...correction }),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      ),
    );
    done.push(correction);
  }
  return done;
};

/** The audited counter corrections, oldest first (consistent). */
export const counterCorrections = async (ctx: StoreContext): Promise<CounterCorrection[]> => {
  const out: CounterCorrection[] = [];
  await eachItem(ctx, { index: null, partition: keys.counterCorrections, consistent: true }, (i) => {
    const { at, by, planId, unitId, day, changes } = i as unknown as CounterCorrection;
    out.push({ at, by, planId, unitId, day, changes });
  });
  return out;
};
