/**
 * The one enrolment pipeline (SPEC §4.3), shared by the synchronous API
 * (functions/enrolMembers) and roster imports (shared/enrol/importRun.ts):
 * judge rows, key them (HMAC enrolment ids), keep each person to their first
 * row, seal personal data, write in transactions, sort out the taken rows.
 * Request-level checks (plan, unit, window, size) stay with the callers.
 */
import { msg } from '../messages/catalogue';
import pLimit, { type LimitFunction } from 'p-limit';
import type { Deps } from '../deps';
import type { FundingPerShare } from '../domain/enrolment';
import { maskIdNumber } from '../domain/idNumber';
import type { Plan } from '../domain/plan';
import { type AnyRow, type Candidate, judgeRoster, type Rejection, rowEcho } from '../domain/roster';
import { inScope, type Principal } from '../domain/scope';
import type { CountedUnit } from '../store/counters';
import { type EnrolmentRecord, newEnrolmentRecord, PartialEnrolment } from '../store/enrolments';
import { piiOf } from '../pii/fromConfig';
import type { SealedBlob } from '../pii/vault';

export interface EnrolContext {
  deps: Deps;
  plan: Plan;
  unit: CountedUnit;
  /** Who enrols: ALREADY_ENROLLED names the existing enrolment only when this principal reaches its unit. */
  principal: Principal;
  /** Asia/Shanghai day of the request: what ID numbers are judged against, and the enrolled date unless backdated. */
  today: string;
  /**
   * A backdated enrolment's date (SPEC §4.3: office or federation staff recording paper enrolments), already
   * checked to lie within [enrolmentOpen, today]. Sets enrolledDate and so the benefit start dates; the
   * counters still move in the bucket of the write's own day (a past day's report does not change).
   */
  enrolledDate?: string | undefined;
  now: Date;
  /**
   * Enrolment id → line (file rows) or row of the person's first occurrence. An import feeds the
   * pipeline batch by batch and keeps this map across them, so a person on
   * row 5 and row 2,000 is DUPLICATE_IN_REQUEST as in one request. It holds
   * keyed hashes, never ID numbers in clear.
   */
  seen?: Map<string, number>;
  /** The import writing these rows: stored on each enrolment, and a taken row already carrying it is this import's own (a resumed batch). */
  source?: string;
  /** The roster's co-funding per share (SPEC §4.3), checked by the caller (subsidyProblem) before any row. */
  funding?: FundingPerShare | undefined;
  /** A transaction limiter shared across calls (imports overlap batches); default ENROL_CONCURRENCY per call. */
  limit?: LimitFunction;
}

export interface Enrolled {
  row: number;
  enrolmentId: string;
}

export interface RowOutcomes {
  enrolments: Enrolled[];
  rejected: Rejection[];
  /** Totals rows (合计/小计/总计, no ID number): skipped, counted (SPEC §4.3 skippedRows). */
  skippedRows: number;
}

/** Rows prepared for writing (step 1), in row order. */
export interface PreparedRows {
  records: EnrolmentRecord[];
  rowOf: Map<string, number>;
  /** The row's line in its file and its name as sent, for an ALREADY_ENROLLED rejection. */
  echoOf: Map<string, Pick<Rejection, 'line' | 'name'>>;
  rejected: Rejection[];
  skippedRows: number;
}

/**
 * The store failed part-way (DynamoDB unavailable after retries): `enrolments`
 * are the rows that did land, and nothing more will. A retry (or a resumed
 * import) finds them taken.
 */
export class RosterPartlyEnrolled extends Error {
  override name = 'RosterPartlyEnrolled';
  constructor(
    readonly enrolments: Enrolled[],
    options: ErrorOptions,
  ) {
    super(`roster partly enrolled: ${enrolments.length} rows committed before a failure`, options);
  }
}

const byRow = <T extends { row: number }>(xs: T[]) => xs.sort((a, b) => a.row - b.row);

/** Candidates keyed in slices of this many: one slice's renewal look-up is one BatchGet (≤ 100 keys). */
export const KEY_SLICE = 99;
/** Renewal look-ups (BatchGets) in flight per call, as many as ownersOf keeps. */
export const LOOKUP_CONCURRENCY = 4;

/** Yields to the event loop (I/O callbacks run): the look-ups sent so far are answered while the next slice is keyed. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A candidate keyed and first in its person, with its DUPLICATE_IN_REQUEST check done. */
interface Keyed {
  candidate: Candidate;
  enrolmentId: string;
}

/**
 * Keys one slice of candidates (HMAC enrolment ids, in row order) and keeps each person to their first row:
 * persons already seen (this call, an earlier slice or an earlier batch) are DUPLICATE_IN_REQUEST.
 */
const keySlice = async (ctx: EnrolContext, seen: Map<string, number>, slice: Candidate[], rejected: Rejection[]): Promise<Keyed[]> => {
  const pii = piiOf(ctx.deps);
  const ids = await Promise.all(slice.map((c) => pii.enrolmentId(c.person.idNumber, ctx.plan.id)));
  const keyed: Keyed[] = [];
  slice.forEach((candidate, i) => {
    const enrolmentId = ids[i]!;
    const first = seen.get(enrolmentId);
    if (first === undefined) {
      seen.set(enrolmentId, candidate.line ?? candidate.row);
      keyed.push({ candidate, enrolmentId });
    } else {
      rejected.push({
        row: candidate.row,
        ...rowEcho(candidate),
        idNumberMasked: maskIdNumber(candidate.person.idNumber),
        code: 'DUPLICATE_IN_REQUEST',
        message: msg('DUPLICATE_IN_REQUEST', { first }),
      });
    }
  });
  return keyed;
};

/** Judge and key rows; persons already seen (this call or an earlier batch) are DUPLICATE_IN_REQUEST. */
const judgeAndKey = async (ctx: EnrolContext, rows: AnyRow[]) => {
  const { candidates, rejected, skippedRows } = judgeRoster(ctx.plan, rows, ctx.today);
  const keyed = await keySlice(ctx, ctx.seen ?? new Map<string, number>(), candidates, rejected);
  return { keyed, rejected, skippedRows };
};

/** A resumed import's rows whose outcomes are already recorded: only remembered, so later duplicates of them are still caught. */
export const rememberRows = async (ctx: EnrolContext, rows: AnyRow[]): Promise<void> => {
  await judgeAndKey(ctx, rows);
};

/**
 * Step 1: judged, keyed, renewal looked up, personal data sealed (bound to the enrolment id).
 *
 * The renewal look-up is I/O (BatchGets of the predecessor's enrolments) and the keying and sealing are CPU, so
 * they overlap: candidates are keyed slice by slice, each slice's look-up is sent as soon as its ids are known
 * (at most LOOKUP_CONCURRENCY in flight), and its rows are sealed while the look-ups are answered. Every look-up
 * has finished before this returns, so a failed look-up still fails the request before anything is written.
 */
export const prepareRows = async (ctx: EnrolContext, rows: AnyRow[]): Promise<PreparedRows> => {
  const { deps, plan } = ctx;
  const pii = piiOf(deps);
  const { candidates, rejected, skippedRows } = judgeRoster(plan, rows, ctx.today);
  const seen = ctx.seen ?? new Map<string, number>();
  // Renewal: the same person's enrolment in the predecessor plan exists.
  const pred = plan.predecessorPlanId;
  const lookupLimit = pLimit(LOOKUP_CONCURRENCY);
  const lookups: Promise<Map<string, string>>[] = [];
  const keyed: Keyed[] = [];
  /** The enrolment id each keyed row's person has in the predecessor plan (renewal plans only). */
  const predIds: string[] = [];
  const personKeys: string[] = [];
  const blobs: SealedBlob[] = [];
  try {
    for (let from = 0; from < candidates.length; from += KEY_SLICE) {
      const slice = await keySlice(ctx, seen, candidates.slice(from, from + KEY_SLICE), rejected);
      keyed.push(...slice);
      if (pred) {
        const ids = await Promise.all(slice.map((k) => pii.enrolmentId(k.candidate.person.idNumber, pred)));
        predIds.push(...ids);
        const lookup = lookupLimit(() => deps.enrolments.unitsOf(ids));
        lookup.catch(() => undefined); // awaited below; no unhandled rejection while later slices are sealed
        lookups.push(lookup);
      }
      await turn();
    }
    for (let from = 0; from < keyed.length; from += KEY_SLICE) {
      const slice = keyed.slice(from, from + KEY_SLICE);
      personKeys.push(...(await Promise.all(slice.map((k) => pii.personKey(k.candidate.person.idNumber)))));
      blobs.push(
        ...(await Promise.all(
          slice.map(({ candidate: c, enrolmentId }) =>
            pii.seal({ idNumber: c.person.idNumber, name: c.name, phone: c.phone }, enrolmentId),
          ),
        )),
      );
      await turn();
    }
  } catch (e) {
    // Nothing is written after a failed preparation; the look-ups in flight settle before the failure is answered.
    await Promise.allSettled(lookups);
    throw e;
  }
  const renewing = new Set((await Promise.all(lookups)).flatMap((m) => [...m.keys()]));
  const at = ctx.now.toISOString();
  const rowOf = new Map<string, number>();
  const echoOf = new Map<string, Pick<Rejection, 'line' | 'name'>>();
  const records = keyed.map(({ candidate, enrolmentId }, i) => {
    rowOf.set(enrolmentId, candidate.row);
    echoOf.set(enrolmentId, rowEcho(candidate));
    return newEnrolmentRecord({
      plan,
      unitId: ctx.unit.id,
      candidate,
      enrolmentId,
      personKey: personKeys[i]!,
      pii: blobs[i]!,
      renewal: renewing.has(predIds[i] ?? ''),
      funding: ctx.funding,
      today: ctx.enrolledDate ?? ctx.today,
      at,
      by: ctx.principal.sub,
      source: ctx.source,
    });
  });
  return { records, rowOf, echoOf, rejected, skippedRows };
};

/** Step 2: the transactions, then the taken rows: this import's own (resumed) are accepted, the rest ALREADY_ENROLLED. */
export const writePrepared = async (ctx: EnrolContext, prepared: PreparedRows): Promise<RowOutcomes> => {
  const { deps, principal } = ctx;
  const enrolled = (written: EnrolmentRecord[]): Enrolled[] =>
    written.map((e) => ({ row: prepared.rowOf.get(e.enrolmentId)!, enrolmentId: e.enrolmentId }));
  let outcome: Awaited<ReturnType<typeof deps.enrolments.enrolMany>>;
  try {
    outcome = await deps.enrolments.enrolMany(ctx.unit, prepared.records, ctx.limit);
  } catch (e) {
    if (!(e instanceof PartialEnrolment)) throw e;
    throw new RosterPartlyEnrolled(byRow(enrolled(e.committed.written)), { cause: e });
  }

  const owners = await deps.enrolments.ownersOf(outcome.taken.map((e) => e.enrolmentId));
  const own = (e: EnrolmentRecord) => ctx.source !== undefined && owners.get(e.enrolmentId)?.source === ctx.source;
  // ALREADY_ENROLLED carries the existing enrolment's id when the principal reaches its unit (SPEC §4.3), nothing more otherwise.
  const unitIds = [...new Set([...owners.values()].map((o) => o.unitId))];
  const reachable = new Set(
    (await Promise.all(unitIds.map((u) => deps.orgs.get(u)))).flatMap((o) => (o && inScope(principal, o) ? [o.id] : [])),
  );
  const alreadyEnrolled: Rejection[] = outcome.taken
    .filter((e) => !own(e))
    .map((e) => {
      const at = owners.get(e.enrolmentId)?.unitId;
      return {
        row: prepared.rowOf.get(e.enrolmentId)!,
        ...prepared.echoOf.get(e.enrolmentId),
        idNumberMasked: e.idNumberMasked,
        code: 'ALREADY_ENROLLED' as const,
        message: msg('ALREADY_ENROLLED'),
        ...(at !== undefined && reachable.has(at) ? { enrolmentId: e.enrolmentId } : {}),
      };
    });
  return {
    enrolments: byRow(enrolled([...outcome.written, ...outcome.taken.filter(own)])),
    rejected: byRow([...prepared.rejected, ...alreadyEnrolled]),
    skippedRows: prepared.skippedRows,
  };
};

/** Both steps: what the synchronous API does with one request's rows. */
export const enrolRows = async (ctx: EnrolContext, rows: AnyRow[]): Promise<RowOutcomes> =>
  writePrepared(ctx, await prepareRows(ctx, rows));
