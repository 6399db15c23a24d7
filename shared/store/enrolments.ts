import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import pLimit, { type LimitFunction } from 'p-limit';
import {
  benefitStartDates,
  capFen,
  contributionFen,
  enrolmentCounterDelta,
  type Funding,
  type FundingPerShare,
  fundingSplit,
} from '../domain/enrolment';
import { maskIdNumber } from '../domain/idNumber';
import type { Plan } from '../domain/plan';
import type { Candidate } from '../domain/roster';
import type { SealedBlob } from '../pii/vault';
import type { Role } from '../domain/scope';
import { type CountedUnit, counterDay, randomShard, unitPlanCounterAdd } from './counters';
import { cancellationReasons, isConditionalCheckFailed, StaleRecord } from './errors';
import { getRecord, queryMergedPage, type StoreContext } from './items';
import { inOrder, keys, itemOf } from './keys';
import { withRetries } from './retry';

/** A correction or cancellation of an enrolment (SPEC §4.3 `history`): who, when, what; never a personal value. */
export interface EnrolmentEvent {
  at: string;
  actor: string;
  role: Role;
  action: 'corrected' | 'cancelled';
  /** corrected: the fields changed ("name", "phone"); cancelled: the reason given. */
  note?: string;
}

export type EnrolmentStatus = 'active' | 'cancelled';

export interface Transfer {
  at: string;
  actor: string;
  fromUnitId: string;
  toUnitId: string;
}

/**
 * An enrolment as stored. Personal data is only sealed (`pii`, bound to the
 * enrolment id) or masked; the birth date is not kept in clear (with the
 * masked number it would *be* the number, SPEC §3).
 */
export interface EnrolmentRecord {
  enrolmentId: string;
  planId: string;
  unitId: string;
  /** HMAC of the ID number: the person's identity across plans, learnable by nobody. */
  personKey: string;
  idNumberMasked: string;
  /** { idNumber, name, phone } sealed with AES-256-GCM, bound to enrolmentId. */
  pii: SealedBlob;
  gender: 'male' | 'female';
  shares: number;
  contributionFen: number;
  /** The payer split (SPEC §4.3 co-funding); absent: the worker pays it all (fundingOf). */
  funding?: Funding;
  enrolledDate: string;
  renewal: boolean;
  benefitStartDate: string;
  accidentBenefitStartDate: string;
  capFen: number;
  usedFen: number;
  deductibleUsedFen: number;
  /** Lump-sum plans: each condition approved under this enrolment → the claim it was approved on (set by approval). */
  paidConditions?: Record<string, string>;
  status: EnrolmentStatus;
  transfers: Transfer[];
  /** Corrections and cancellation, oldest first (absent: none). */
  history?: EnrolmentEvent[];
  /** Claims ever filed on it (moved by the filing transaction): an enrolment with one can no longer be cancelled. */
  claimsFiled?: number;
  /** Bumped by every correction; a correction is conditioned on it (absent = 0). */
  version?: number;
  createdAt: string;
  createdBy: string;
  /** The roster import that created it (absent for the synchronous API): a resumed import knows its own rows by it. */
  source?: string;
}

export interface SealedPii {
  idNumber: string;
  name: string;
  phone: string | null;
}

/** What a new enrolment is made of: the judged row, its keyed ids and sealed data, and who/when. */
export interface NewEnrolment {
  plan: Plan;
  unitId: string;
  candidate: Candidate;
  enrolmentId: string;
  personKey: string;
  pii: SealedBlob;
  renewal: boolean;
  /** The roster's co-funding per share (SPEC §4.3), already checked against the plan (subsidyProblem). */
  funding?: FundingPerShare | undefined;
  today: string;
  at: string;
  by: string;
  source?: string;
}

/** The record of a new enrolment: money and dates from the plan's rules, nothing used yet. */
export const newEnrolmentRecord = (n: NewEnrolment): EnrolmentRecord => ({
  enrolmentId: n.enrolmentId,
  planId: n.plan.id,
  unitId: n.unitId,
  personKey: n.personKey,
  idNumberMasked: maskIdNumber(n.candidate.person.idNumber),
  pii: n.pii,
  gender: n.candidate.person.gender,
  shares: n.candidate.shares,
  contributionFen: contributionFen(n.plan, n.candidate.shares, n.renewal),
  funding: fundingSplit(n.plan, n.funding, n.candidate.shares, n.renewal),
  enrolledDate: n.today,
  renewal: n.renewal,
  ...benefitStartDates(n.plan, n.today, n.renewal),
  capFen: capFen(n.plan, n.candidate.shares),
  usedFen: 0,
  deductibleUsedFen: 0,
  status: 'active',
  transfers: [],
  createdAt: n.at,
  createdBy: n.by,
  ...(n.source ? { source: n.source } : {}),
});

export const decodeEnrolment = inOrder<EnrolmentRecord>([
  'enrolmentId',
  'planId',
  'unitId',
  'personKey',
  'idNumberMasked',
  'pii',
  'gender',
  'shares',
  'contributionFen',
  'funding',
  'enrolledDate',
  'renewal',
  'benefitStartDate',
  'accidentBenefitStartDate',
  'capFen',
  'usedFen',
  'deductibleUsedFen',
  'status',
  'transfers',
  'history',
  'createdAt',
  'createdBy',
  'source',
]);

/** Rows per transaction: one item a row (the enrolment) + 1 counter ≤ 100 items. */
export const ROWS_PER_TRANSACTION = 99;
/** Transactions in flight per roster. */
export const ENROL_CONCURRENCY = 4;

/** The item an enrolment is stored as (exported for the benchmark's raw writers). */
export const enrolmentItem = (e: EnrolmentRecord) =>
  itemOf(keys.enrolment(e.enrolmentId), {
    entity: 'enrolment',
    gsi1pk: keys.unitEnrolments(e.unitId, e.enrolmentId),
    gsi1sk: keys.unitEnrolmentSort(e.planId, e.enrolmentId),
    ...e,
  });

export interface EnrolOutcome {
  written: EnrolmentRecord[];
  /** Rows whose person is already in the plan (the conditional put found the key). */
  taken: EnrolmentRecord[];
}

/**
 * Some chunks of a roster committed, then one failed (DynamoDB unavailable
 * after retries). No new chunk was started after the failure and those in
 * flight were awaited, so `committed` is final: nothing more will land.
 */
export class PartialEnrolment extends Error {
  override name = 'PartialEnrolment';
  constructor(
    readonly committed: EnrolOutcome,
    options: ErrorOptions,
  ) {
    super(`roster partly written: ${committed.written.length} rows committed before a failure`, options);
  }
}

export const enrolmentRepo = (ctx: StoreContext) => {
  const { db, tableName } = ctx;
  /**
   * Writes one chunk atomically: every row's enrolment (conditional: its key,
   * derived from person and plan, is free — the person is not yet in this
   * plan) and the unit's counter. Rows whose key exists come back as taken;
   * the rest are written in a retry without them. Lost races and throttles
   * are retried with backoff; past that, StoreUnavailable.
   */
  const writeChunk = async (unit: CountedUnit, rows: EnrolmentRecord[]): Promise<EnrolOutcome> => {
    let pending = rows;
    const taken: EnrolmentRecord[] = [];
    while (pending.length > 0) {
      const batch = pending;
      // Built once: every attempt of this write must send the same items (one ClientRequestToken, ./writeToken.ts).
      const items = [
        ...batch.map((e) => ({
          // The key is free, or holds an enrolment cancelled in error (SPEC §4.3: the person may be enrolled again).
          Put: {
            TableName: tableName,
            Item: enrolmentItem(e),
            ConditionExpression: 'attribute_not_exists(pk) OR #status = :cancelled',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':cancelled': 'cancelled' },
          },
        })),
        // The bucket of the rows' own instant: they are prepared just before this write (an import refreshes it per batch).
        unitPlanCounterAdd(
          tableName,
          unit,
          batch[0]!.planId,
          counterDay(batch[0]!.createdAt),
          randomShard(),
          enrolmentCounterDelta(batch, 1),
        ),
      ];
      try {
        await withRetries('enrolment', () => db.send(new TransactWriteCommand({ TransactItems: items })));
        return { written: batch, taken };
      } catch (e) {
        // Reasons line up with TransactItems: a failed condition on row i means that person is already in this plan.
        const reasons = cancellationReasons(e);
        const found = new Set(reasons.flatMap((r, i) => (r === 'ConditionalCheckFailed' && i < batch.length ? [i] : [])));
        if (found.size === 0) throw e;
        taken.push(...batch.filter((_, i) => found.has(i)));
        pending = batch.filter((_, i) => !found.has(i));
      }
    }
    return { written: [], taken };
  };

  /** Unit and source (the import that made it, if any) of each of these enrolments that exists (ALREADY_ENROLLED, resumed imports). */
  const ownersOf = async (enrolmentIds: string[]): Promise<Map<string, { unitId: string; source?: string }>> => {
    const found = new Map<string, { unitId: string; source?: string }>();
    const unique = [...new Set(enrolmentIds)];
    const limit = pLimit(4);
    const batches: string[][] = [];
    for (let i = 0; i < unique.length; i += 100) batches.push(unique.slice(i, i + 100));
    await Promise.all(
      batches.map((batch) =>
        limit(async () => {
          // `source` is a reserved word.
          let request: BatchGetCommandInput['RequestItems'] = {
            [tableName]: {
              Keys: batch.map((id) => keys.enrolment(id)),
              ProjectionExpression: 'enrolmentId, unitId, #src, #status',
              ExpressionAttributeNames: { '#src': 'source', '#status': 'status' },
            },
          };
          while (request && Object.keys(request).length > 0) {
            const keysLeft: BatchGetCommandInput['RequestItems'] = request;
            const r: BatchGetCommandOutput = await withRetries('enrolment lookup', () =>
              db.send(new BatchGetCommand({ RequestItems: keysLeft })),
            );
            for (const item of r.Responses?.[tableName] ?? []) {
              // A cancelled enrolment holds nobody: not a renewal's predecessor, not ALREADY_ENROLLED.
              if (item.status === 'cancelled') continue;
              found.set(String(item.enrolmentId), {
                unitId: String(item.unitId),
                ...(typeof item.source === 'string' ? { source: item.source } : {}),
              });
            }
            request = r.UnprocessedKeys;
          }
        }),
      ),
    );
    return found;
  };

  return {
    /**
     * Enrols prepared rows of one unit in chunks of ROWS_PER_TRANSACTION,
     * ENROL_CONCURRENCY chunks in flight. Each chunk is all-or-nothing with
     * its counter move. On the first failing chunk no further chunk starts,
     * those in flight finish, and PartialEnrolment reports what committed.
     * `concurrency` may be a limiter shared by several calls (an import keeps
     * the next batch's chunks queued behind this one's, so none waits on a tail).
     */
    async enrolMany(
      unit: CountedUnit,
      rows: EnrolmentRecord[],
      concurrency: number | LimitFunction = ENROL_CONCURRENCY,
    ): Promise<EnrolOutcome> {
      const chunks: EnrolmentRecord[][] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) chunks.push(rows.slice(i, i + ROWS_PER_TRANSACTION));
      const done: EnrolOutcome = { written: [], taken: [] };
      let failure: unknown;
      const limit = typeof concurrency === 'number' ? pLimit(concurrency) : concurrency;
      await Promise.all(
        chunks.map((chunk) =>
          limit(async () => {
            if (failure !== undefined) return; // stop launching after the first failure
            try {
              const r = await writeChunk(unit, chunk);
              done.written.push(...r.written);
              done.taken.push(...r.taken);
            } catch (e) {
              failure ??= e;
            }
          }),
        ),
      );
      if (failure !== undefined) throw new PartialEnrolment(done, { cause: failure });
      return done;
    },

    /** The unit of each of these enrolments that exists (renewal checks). */
    async unitsOf(enrolmentIds: string[]): Promise<Map<string, string>> {
      return new Map([...(await ownersOf(enrolmentIds))].map(([id, o]) => [id, o.unitId]));
    },

    ownersOf,

    get: (enrolmentId: string, consistent = false) => getRecord(ctx, keys.enrolment(enrolmentId), decodeEnrolment, consistent),

    listByUnit: (unitId: string, planId: string | undefined, limit: number, cursor?: string) =>
      queryMergedPage(
        ctx,
        {
          index: 'gsi1',
          partitions: keys.unitEnrolmentPartitions(unitId),
          ...(planId ? { sortPrefix: keys.unitEnrolmentSort(planId, '') } : {}),
          limit,
          cursor,
        },
        decodeEnrolment,
      ),

    /**
     * Migration to the sharded unit list: moves every enrolment still in the unit's unsharded gsi1 partition
     * (written before sharding) to its shard. Idempotent and safe beside live writes: each move is
     * conditioned on the item still having the old key (a transfer meanwhile already gave it a sharded one).
     * Returns how many it moved; run until it moves none (`npm run reconcile -- --reindex`).
     */
    async reindexUnsharded(unitId: string): Promise<number> {
      const from = keys.unitEnrolmentsUnsharded(unitId);
      const limit = pLimit(8);
      let moved = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const r = await db.send(
          new QueryCommand({
            TableName: tableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            ExpressionAttributeValues: { ':p': from },
            ProjectionExpression: 'pk, sk, enrolmentId, unitId',
            ExclusiveStartKey: start,
          }),
        );
        const done = await Promise.all(
          (r.Items ?? []).map((i) =>
            limit(async () => {
              try {
                await withRetries('enrolment reindex', () =>
                  db.send(
                    new UpdateCommand({
                      TableName: tableName,
                      Key: { pk: i.pk, sk: i.sk },
                      UpdateExpression: 'SET gsi1pk = :to',
                      ConditionExpression: 'gsi1pk = :from',
                      ExpressionAttributeValues: { ':from': from, ':to': keys.unitEnrolments(String(i.unitId), String(i.enrolmentId)) },
                    }),
                  ),
                );
                return 1;
              } catch (e) {
                if (isConditionalCheckFailed(e)) return 0;
                throw e;
              }
            }),
          ),
        );
        moved += done.reduce<number>((a, b) => a + b, 0);
        start = r.LastEvaluatedKey;
      } while (start);
      return moved;
    },

    /**
     * Moves an enrolment to another unit in one transaction: the enrolment
     * (only if still in its unit as read) and both units' counters. Benefits
     * (cap, used, dates) are untouched; the move is recorded. A lost race or a
     * throttle is retried; a changed unit is StaleRecord.
     */
    async transfer(e: EnrolmentRecord, from: CountedUnit, to: CountedUnit, t: Transfer): Promise<EnrolmentRecord> {
      const shard = randomShard();
      try {
        await withRetries('transfer', () =>
          db.send(
            new TransactWriteCommand({
              TransactItems: [
                {
                  Update: {
                    TableName: tableName,
                    Key: keys.enrolment(e.enrolmentId),
                    UpdateExpression: 'SET unitId = :to, gsi1pk = :gpk, transfers = list_append(transfers, :t)',
                    ConditionExpression: 'unitId = :from AND #status = :active',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: {
                      ':to': to.id,
                      ':from': from.id,
                      ':gpk': keys.unitEnrolments(to.id, e.enrolmentId),
                      ':t': [t],
                      ':active': 'active',
                    },
                  },
                },
                // Every summed counter moves, the payer split included (else the units' splits drift from their totals).
                unitPlanCounterAdd(tableName, from, e.planId, counterDay(t.at), shard, enrolmentCounterDelta([e], -1)),
                unitPlanCounterAdd(tableName, to, e.planId, counterDay(t.at), shard, enrolmentCounterDelta([e], 1)),
              ],
            }),
          ),
        );
      } catch (err) {
        if (cancellationReasons(err).includes('ConditionalCheckFailed')) throw new StaleRecord('enrolment', e.enrolmentId, { cause: err });
        throw err;
      }
      return { ...e, unitId: to.id, transfers: [...e.transfers, t] };
    },

    /**
     * A typing error corrected (SPEC §4.3 PATCH): the resealed personal data and a history event, conditioned
     * on the enrolment being active and unchanged since read (version); StaleRecord otherwise.
     */
    async correct(e: EnrolmentRecord, pii: SealedBlob, event: EnrolmentEvent): Promise<EnrolmentRecord> {
      const version = e.version ?? 0;
      try {
        await withRetries('enrolment correction', () =>
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.enrolment(e.enrolmentId),
              UpdateExpression: 'SET pii = :pii, #history = list_append(if_not_exists(#history, :none), :ev), version = :next',
              ConditionExpression: `#status = :active AND ${version === 0 ? 'attribute_not_exists(version)' : 'version = :v'}`,
              ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
              ExpressionAttributeValues: {
                ':pii': pii,
                ':none': [],
                ':ev': [event],
                ':next': version + 1,
                ':active': 'active',
                ...(version === 0 ? {} : { ':v': version }),
              },
            }),
          ),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) throw new StaleRecord('enrolment', e.enrolmentId, { cause: err });
        throw err;
      }
      return { ...e, pii, history: [...(e.history ?? []), event], version: version + 1 };
    },

    /**
     * Cancels an enrolment made in error (SPEC §4.3), in one transaction: the enrolment becomes `cancelled`
     * (only if still active, in its unit as read, with no claim ever filed), a copy of it is kept under
     * `CANCELLED#<at>` (the audit survives a re-enrolment, which overwrites the freed key), and every summed
     * counter moves back in the unit's bucket of today (enrolmentCounterDelta −1). StaleRecord when a
     * condition failed: the caller reads again and says why.
     */
    async cancel(e: EnrolmentRecord, unit: CountedUnit, event: EnrolmentEvent): Promise<EnrolmentRecord> {
      const cancelled: EnrolmentRecord = { ...e, status: 'cancelled', history: [...(e.history ?? []), event] };
      const shard = randomShard();
      const items = [
        {
          Update: {
            TableName: tableName,
            Key: keys.enrolment(e.enrolmentId),
            UpdateExpression: 'SET #status = :cancelled, #history = list_append(if_not_exists(#history, :none), :ev)',
            ConditionExpression: '#status = :active AND unitId = :unit AND (attribute_not_exists(claimsFiled) OR claimsFiled = :zero)',
            ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
            ExpressionAttributeValues: {
              ':cancelled': 'cancelled',
              ':active': 'active',
              ':unit': unit.id,
              ':zero': 0,
              ':none': [],
              ':ev': [event],
            },
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: itemOf(keys.cancelledEnrolment(e.enrolmentId, event.at), { entity: 'cancelledEnrolment', ...cancelled }),
          },
        },
        unitPlanCounterAdd(tableName, unit, e.planId, counterDay(event.at), shard, enrolmentCounterDelta([e], -1)),
      ];
      try {
        await withRetries('enrolment cancellation', () => db.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (err) {
        if (cancellationReasons(err).includes('ConditionalCheckFailed')) throw new StaleRecord('enrolment', e.enrolmentId, { cause: err });
        throw err;
      }
      return cancelled;
    },
  };
};

export type EnrolmentRepo = ReturnType<typeof enrolmentRepo>;
