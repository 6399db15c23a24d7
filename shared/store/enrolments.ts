import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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

/** Rows per transaction: 2 items a row (enrolment + person lock) + 1 counter ≤ 100 items. */
export const ROWS_PER_TRANSACTION = 49;
const MAX_CONFLICT_RETRIES = 8;

export class TransferConflict extends Error {
  override name = 'TransferConflict';
}

const enrolmentItem = (e: EnrolmentRecord) => ({
  ...keys.enrolment(e.enrolmentId),
  entity: 'enrolment',
  gsi1pk: keys.unitEnrolments(e.unitId),
  gsi1sk: keys.unitEnrolmentSort(e.planId, e.enrolmentId),
  ...e,
});

const personItem = (e: EnrolmentRecord) => ({
  ...keys.personPlan(e.personKey, e.planId),
  entity: 'person-plan',
  enrolmentId: e.enrolmentId,
  unitId: e.unitId,
  planId: e.planId,
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
   * Writes one chunk atomically: every row's enrolment, its person lock
   * (conditional: the person is not yet in this plan) and the unit's counter.
   * Rows whose lock exists come back as already enrolled; the rest are retried.
   */
  const writeChunk = async (rows: EnrolmentRecord[], shard: number): Promise<{ written: EnrolmentRecord[]; taken: EnrolmentRecord[] }> => {
    let pending = rows;
    const taken: EnrolmentRecord[] = [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      const items = pending.flatMap((e) => [
        { Put: { TableName: tableName, Item: personItem(e), ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: tableName, Item: enrolmentItem(e), ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
      const delta = pending.reduce((d, e) => ({ enrolled: d.enrolled + 1, contributionsFen: d.contributionsFen + e.contributionFen }), {
        enrolled: 0,
        contributionsFen: 0,
      });
      try {
        await db.send(new TransactWriteCommand({ TransactItems: [...items, counterUpdate(tableName, pending[0]!.unitId, pending[0]!.planId, shard, delta)] }));
        return { written: pending, taken };
      } catch (e) {
        if (!(e instanceof TransactionCanceledException)) throw e;
        const reasons = e.CancellationReasons ?? [];
        const failedLocks = new Set<number>();
        reasons.forEach((r, i) => {
          // Even indexes are person locks; a failed lock means the person is already in this plan.
          if (r.Code === 'ConditionalCheckFailed' && i % 2 === 0 && i < items.length) failedLocks.add(i / 2);
        });
        if (failedLocks.size > 0) {
          taken.push(...pending.filter((_, i) => failedLocks.has(i)));
          pending = pending.filter((_, i) => !failedLocks.has(i));
          continue;
        }
        const retriable = reasons.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
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

    /** Which of these people are enrolled in `planId` (person keys in, the set of enrolled keys out). */
    async enrolledAmong(personKeys: string[], planId: string): Promise<Set<string>> {
      const found = new Set<string>();
      const unique = [...new Set(personKeys)];
      const batches: string[][] = [];
      for (let i = 0; i < unique.length; i += 100) batches.push(unique.slice(i, i + 100));
      await pool(batches, 4, async (batch) => {
        let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
          [tableName]: { Keys: batch.map((k) => keys.personPlan(k, planId)), ProjectionExpression: 'pk' },
        };
        for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
          const r = await db.send(new BatchGetCommand({ RequestItems: request }));
          for (const item of r.Responses?.[tableName] ?? []) found.add(String(item.pk).slice('PERSON#'.length));
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
     * (only if still in `fromUnitId`), its person lock, and both units'
     * counters. Benefits (cap, used, dates) are untouched; the move is recorded.
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
              {
                Update: {
                  TableName: tableName,
                  Key: keys.personPlan(e.personKey, e.planId),
                  UpdateExpression: 'SET unitId = :to',
                  ExpressionAttributeValues: { ':to': toUnitId },
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
