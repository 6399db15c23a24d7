import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { benefitStartDates, capFen, contributionFen } from '../domain/enrolment';
import { maskIdNumber } from '../domain/idNumber';
import type { Plan } from '../domain/plan';
import type { Candidate } from '../domain/roster';
import type { SealedBlob } from '../pii/vault';
import { COUNTER_SHARDS, counterUpdate } from './counters';
import { getRecord, queryPage } from './items';
import { keys } from './keys';

export interface Transfer {
  at: string;
  actor: string;
  fromUnitId: string;
  toUnitId: string;
}

/** An enrolment as stored. Personal data only sealed (`pii`) or masked. */
export interface EnrolmentRecord {
  enrolmentId: string;
  planId: string;
  unitId: string;
  /** HMAC of the ID number: the person's identity across plans, learnable by nobody. */
  personKey: string;
  idNumberMasked: string;
  /** { idNumber, name, phone } sealed with AES-256-GCM. */
  pii: SealedBlob;
  gender: 'male' | 'female';
  birthDate: string;
  shares: number;
  contributionFen: number;
  enrolledDate: string;
  renewal: boolean;
  benefitStartDate: string;
  accidentBenefitStartDate: string;
  capFen: number;
  usedFen: number;
  deductibleUsedFen: number;
  status: 'active';
  transfers: Transfer[];
  createdAt: string;
  createdBy: string;
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
  today: string;
  at: string;
  by: string;
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
  birthDate: n.candidate.person.birthDate,
  shares: n.candidate.shares,
  contributionFen: contributionFen(n.plan, n.candidate.shares),
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
});

/** Rows per transaction: one item a row (the enrolment) + 1 counter ≤ 100 items. */
export const ROWS_PER_TRANSACTION = 99;
const MAX_CONFLICT_RETRIES = 8;

export class TransferConflict extends Error {
  override name = 'TransferConflict';
}

/** The item an enrolment is stored as (exported for the benchmark's raw writers). */
export const enrolmentItem = (e: EnrolmentRecord) => ({
  ...keys.enrolment(e.enrolmentId),
  entity: 'enrolment',
  gsi1pk: keys.unitEnrolments(e.unitId),
  gsi1sk: keys.unitEnrolmentSort(e.planId, e.enrolmentId),
  ...e,
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => sleep(Math.min(1000, 20 * 2 ** attempt) * (0.5 + Math.random()));

/** Runs `work` over `items` with at most `limit` in flight. */
const pool = async <T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>) => {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i]!, i);
    }
  });
  await Promise.all(runners);
};

export const enrolmentRepo = (db: DynamoDBDocumentClient, tableName: string) => {
  /**
   * Writes one chunk atomically: every row's enrolment (conditional: its key,
   * derived from person and plan, is free — the person is not yet in this
   * plan) and the unit's counter. Rows whose key exists come back as already
   * enrolled; the rest are retried.
   */
  const writeChunk = async (rows: EnrolmentRecord[], shard: number): Promise<{ written: EnrolmentRecord[]; taken: EnrolmentRecord[] }> => {
    let pending = rows;
    const taken: EnrolmentRecord[] = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const items = pending.map((e) => ({
        Put: { TableName: tableName, Item: enrolmentItem(e), ConditionExpression: 'attribute_not_exists(pk)' },
      }));
      const delta = pending.reduce((d, e) => ({ enrolled: d.enrolled + 1, contributionsFen: d.contributionsFen + e.contributionFen }), {
        enrolled: 0,
        contributionsFen: 0,
      });
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [...items, counterUpdate(tableName, pending[0]!.unitId, pending[0]!.planId, shard, delta)],
          }),
        );
        return { written: pending, taken };
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const reasons = e.CancellationReasons ?? [];
        // Reasons line up with TransactItems: a failed condition on row i means that person is already in this plan.
        const enrolled = new Set<number>();
        reasons.forEach((r, i) => {
          if (r.Code === 'ConditionalCheckFailed' && i < items.length) enrolled.add(i);
        });
        if (enrolled.size > 0) {
          taken.push(...pending.filter((_, i) => enrolled.has(i)));
          pending = pending.filter((_, i) => !enrolled.has(i));
          continue;
        }
        const retriable = reasons.some(
          (r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded',
        );
        if (!retriable || attempt >= MAX_CONFLICT_RETRIES) throw e;
        await backoff(attempt);
      }
    }
    return { written: [], taken };
  };

  return {
    /**
     * Enrols prepared rows in chunks of ROWS_PER_TRANSACTION, several chunks
     * in flight, each on its own counter shard. Each row is all-or-nothing.
     */
    async enrolMany(rows: EnrolmentRecord[], concurrency = 4): Promise<{ written: EnrolmentRecord[]; taken: EnrolmentRecord[] }> {
      const chunks: EnrolmentRecord[][] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_TRANSACTION) chunks.push(rows.slice(i, i + ROWS_PER_TRANSACTION));
      const written: EnrolmentRecord[] = [];
      const taken: EnrolmentRecord[] = [];
      const shardBase = Math.floor(Math.random() * COUNTER_SHARDS);
      await pool(chunks, concurrency, async (chunk, i) => {
        const r = await writeChunk(chunk, shardBase + i);
        written.push(...r.written);
        taken.push(...r.taken);
      });
      return { written, taken };
    },

    /** Which of these enrolments exist (ids in, the set of existing ids out): the renewal check. */
    async existing(enrolmentIds: string[]): Promise<Set<string>> {
      const found = new Set<string>();
      const unique = [...new Set(enrolmentIds)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += 100) batches.push(unique.slice(i, i + 100));
      await pool(batches, 4, async (batch) => {
        let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
          [tableName]: { Keys: batch.map((id) => keys.enrolment(id)), ProjectionExpression: 'enrolmentId' },
        };
        for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
          const r = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of r.Responses?.[tableName] ?? []) found.add(String(item.enrolmentId));
          request = r.UnprocessedKeys as typeof request;
          if (request && Object.keys(request).length > 0) await backoff(attempt);
        }
      });
      return found;
    },

    get: (enrolmentId: string) => getRecord<EnrolmentRecord>(db, tableName, keys.enrolment(enrolmentId)),

    listByUnit: (unitId: string, planId: string | undefined, limit: number, cursor?: string) =>
      queryPage<EnrolmentRecord>(db, tableName, {
        partition: keys.unitEnrolments(unitId),
        ...(planId ? { sortPrefix: keys.unitEnrolmentSort(planId, '') } : {}),
        limit,
        cursor,
      }),

    /**
     * Moves an enrolment to another unit in one transaction: the enrolment
     * (only if still in `fromUnitId`) and both units' counters. Benefits (cap, used, dates) are untouched; the move is recorded.
     */
    async transfer(e: EnrolmentRecord, toUnitId: string, t: Transfer): Promise<EnrolmentRecord> {
      const from = e.unitId;
      const shard = Math.floor(Math.random() * COUNTER_SHARDS);
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: tableName,
                  Key: keys.enrolment(e.enrolmentId),
                  UpdateExpression: 'SET unitId = :to, gsi1pk = :gpk, transfers = list_append(transfers, :t)',
                  ConditionExpression: 'unitId = :from',
                  ExpressionAttributeValues: { ':to': toUnitId, ':from': from, ':gpk': keys.unitEnrolments(toUnitId), ':t': [t] },
                },
              },
              counterUpdate(tableName, from, e.planId, shard, { enrolled: -1, contributionsFen: -e.contributionFen }),
              counterUpdate(tableName, toUnitId, e.planId, shard, { enrolled: 1, contributionsFen: e.contributionFen }),
            ],
          }),
        );
      } catch (err) {
        if (err instanceof TransactionCanceledException) throw new TransferConflict(e.enrolmentId);
        throw err;
      }
      return { ...e, unitId: toUnitId, transfers: [...e.transfers, t] };
    },
  };
};

export type EnrolmentRepo = ReturnType<typeof enrolmentRepo>;
