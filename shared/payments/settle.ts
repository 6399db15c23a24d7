import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { packChunks } from '../store/chunks';
import type { ClaimRecord } from '../store/claimRecord';
import { isTransientStoreError } from '../store/errors';
import { mayRollBack, type PaymentRecord, paymentChunking, unitPlanOf } from '../store/payments';
import { PaymentStuck } from './errors';

/**
 * Finishing or undoing payments (protocol: shared/store/payments.ts). Every
 * step is conditioned on the state it moves from, so any number of settlers
 * may run at once and any of them may die anywhere: the next one goes on.
 * A completed payment is only ever rolled FORWARD; one that did not complete
 * is rolled BACK, but only once its lease has run out (until then its own
 * function may still be writing it).
 */

const ROUNDS = 5;

/** Rolls the completed payment `p` forward to the end, then marks it settled. */
export const rollForward = async (deps: Deps, p: PaymentRecord, now: Date): Promise<PaymentRecord> => {
  if (p.status !== 'completed') throw new Error(`payment ${p.paymentId} is ${p.status}: only a completed payment rolls forward`);
  for (let round = 0; ; round++) {
    const claims = [...(await deps.claims.getMany(p.claimIds)).values()];
    const todo = claims.filter((c) => c.status === 'approved' && c.reservation?.paymentId === p.paymentId);
    const paid = claims.filter((c) => c.status === 'paid' && c.paymentId === p.paymentId);
    if (todo.length === 0) {
      // Every reservation landed before the commit (each was conditioned on `pending`), so this cannot fail unless someone edited the table.
      if (paid.length !== p.claimIds.length)
        throw new Error(`payment ${p.paymentId}: ${p.claimIds.length - paid.length} claim(s) neither reserved nor paid`);
      break;
    }
    if (round >= ROUNDS) throw new PaymentStuck(p.paymentId);
    // A chunk another roller changed under us wrote nothing: the next round re-reads and does what is left.
    for (const chunk of packChunks(todo, unitPlanOf, { perEntry: 2, fixed: 0, max: paymentChunking.maxItems }))
      await deps.payments.rollForward(p, chunk);
  }
  await deps.payments.settled(p, now.toISOString());
  return { ...p, settledAt: p.settledAt ?? now.toISOString() };
};

/** Rolls `p` back (cancels it unless it completed meanwhile, then releases its reservations); a completed one rolls forward instead. */
export const rollBack = async (deps: Deps, p: PaymentRecord, now: Date): Promise<PaymentRecord> => {
  const at = now.toISOString();
  const current = p.status === 'pending' ? await deps.payments.cancel(p, at) : p;
  if (current.status === 'completed') return rollForward(deps, current, now);
  const held = [...(await deps.claims.getMany(current.claimIds)).values()].filter(
    (c: ClaimRecord) => c.reservation?.paymentId === current.paymentId,
  );
  const limit = pLimit(8);
  await Promise.all(held.map((c) => limit(() => deps.payments.release(current, c, at))));
  await deps.payments.settled(current, at);
  return { ...current, settledAt: current.settledAt ?? at };
};

export type Settled = PaymentRecord & { outcome: 'settled' | 'rolled-forward' | 'rolled-back' | 'in-progress' };

/**
 * Brings one payment to its end if it can be: completed → rolled forward;
 * cancelled, or pending past its lease → rolled back; pending within its
 * lease → left alone ('in-progress'). Transient store failures surface as
 * PaymentStuck (503): the next settler goes on from there.
 */
export const settlePayment = async (deps: Deps, p: PaymentRecord, now: Date): Promise<Settled> => {
  if (p.settledAt) return { ...p, outcome: 'settled' };
  try {
    if (p.status === 'completed') return { ...(await rollForward(deps, p, now)), outcome: 'rolled-forward' };
    if (mayRollBack(p, now)) {
      const after = await rollBack(deps, p, now);
      return { ...after, outcome: after.status === 'completed' ? 'rolled-forward' : 'rolled-back' };
    }
    return { ...p, outcome: 'in-progress' };
  } catch (e) {
    if (isTransientStoreError(e) && !(e instanceof PaymentStuck)) throw new PaymentStuck(p.paymentId, { cause: e });
    throw e;
  }
};

export interface SettleSummary {
  rolledForward: string[];
  rolledBack: string[];
  inProgress: string[];
  failed: string[];
}

/**
 * Finds every payment not settled yet (gsi1 `PAYMENTS#OPEN`) and settles
 * each: what the nightly job runs before the report, so the report's
 * counters never hold part of a batch. One failing payment does not stop
 * the others; `failed` names them (the caller decides whether to go on).
 */
export const settleStuckPayments = async (deps: Deps, now: Date): Promise<SettleSummary> => {
  const out: SettleSummary = { rolledForward: [], rolledBack: [], inProgress: [], failed: [] };
  for (const listed of await deps.payments.listOpen()) {
    try {
      // The index may lag: settle from the record itself.
      const p = await deps.payments.get(listed.paymentId, true);
      if (!p) continue;
      const s = await settlePayment(deps, p, now);
      if (s.outcome === 'rolled-forward') out.rolledForward.push(p.paymentId);
      if (s.outcome === 'rolled-back') out.rolledBack.push(p.paymentId);
      if (s.outcome === 'in-progress') out.inProgress.push(p.paymentId);
    } catch {
      out.failed.push(listed.paymentId);
    }
  }
  return out;
};

/**
 * The nightly job's first step: every stuck batch settled before the report
 * reads the counters. Throws when one could not be (the job fails and is
 * retried, its alarm fires) rather than report part of a batch as paid.
 */
export const settleBeforeReport = async (deps: Deps): Promise<SettleSummary> => {
  const s = await settleStuckPayments(deps, deps.clock.now());
  if (s.failed.length > 0) throw new PaymentStuck(s.failed.join(', '));
  return s;
};
