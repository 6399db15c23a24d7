import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { EvaluationRules } from '../domain/evaluation';
import type { TransactItem } from './counters';
import { cancellationReasons, isConditionalCheckFailed } from './errors';
import { getRecord, queryPage, type StoreContext } from './items';
import { inOrder, itemOf, keys } from './keys';
import { withRetries } from './retry';

/**
 * Evaluations and rewards (SPEC §4.5). Three items:
 * - the year's rules (`EVALRULES#<year>`), replaced by PUT until `locked` (set by the first approval of the year);
 * - an evaluation (`EVAL#<id>`): its summary and status; its rows live in S3 (5,000 nodes pass the item limit);
 * - the checkpoint's slot (`EVALSLOT#<year>#<checkpoint>`): which evaluation is live and its status, so a new
 *   draft replaces a draft (deleting it) and is refused once one is approved, whoever races.
 */
export interface RulesRecord extends EvaluationRules {
  year: number;
  updatedAt: string;
  updatedBy: string;
  locked?: boolean;
}

export type EvaluationStatus = 'draft' | 'approved' | 'paid';

export interface EvaluationRecord {
  evaluationId: string;
  year: number;
  checkpointId: string;
  date: string;
  status: EvaluationStatus;
  createdBy: string;
  createdAt: string;
  totalRewardFen: number;
  /** generatedAt of the report the rows were computed from (the report is locked in the creation's transaction). */
  reportGeneratedAt: string;
  rowsKey: string;
  approvedBy?: string;
  approvedAt?: string;
  paidDate?: string;
  reference?: string;
  paidBy?: string;
  paidAt?: string;
}

export interface SlotRecord {
  year: number;
  checkpointId: string;
  evaluationId: string;
  status: EvaluationStatus;
}

/** A creation's transaction found something changed since it read it (which item, by its place in the transaction). */
export class EvaluationRace extends Error {
  constructor(
    readonly what: 'report' | 'rules' | 'slot',
    options?: ErrorOptions,
  ) {
    super(`evaluation creation: the ${what} changed`, options);
    this.name = 'EvaluationRace';
  }
}

export class RulesLocked extends Error {
  constructor(
    readonly year: number,
    options?: ErrorOptions,
  ) {
    super(`evaluation rules of ${year} are locked`, options);
    this.name = 'RulesLocked';
  }
}

/** An approve/payout found the evaluation in another state than it read (a concurrent action): re-read and judge. */
export class EvaluationStateChanged extends Error {
  constructor(
    readonly evaluationId: string,
    options?: ErrorOptions,
  ) {
    super(`evaluation ${evaluationId} changed state`, options);
    this.name = 'EvaluationStateChanged';
  }
}

const decodeRules = inOrder<RulesRecord>(['year', 'planIds', 'checkpoints', 'rewardRatePermille', 'tiers', 'updatedAt', 'updatedBy']);
const EVALUATION_ORDER = [
  'evaluationId',
  'year',
  'checkpointId',
  'date',
  'status',
  'createdBy',
  'createdAt',
  'totalRewardFen',
  'reportGeneratedAt',
  'rowsKey',
];
const decodeEvaluation = inOrder<EvaluationRecord>(EVALUATION_ORDER);
const decodeSlot = inOrder<SlotRecord>(['year', 'checkpointId', 'evaluationId', 'status']);

const evaluationItem = (e: EvaluationRecord) =>
  itemOf(keys.evaluation(e.evaluationId), {
    entity: 'evaluation',
    gsi1pk: keys.evaluationsOfYear(e.year),
    gsi1sk: keys.evaluationListSort(e.checkpointId, e.evaluationId),
    ...e,
  });

export const evaluationRepo = (ctx: StoreContext) => {
  const T = ctx.tableName;
  return {
    getRules: (year: number, consistent = false) => getRecord(ctx, keys.evaluationRules(year), decodeRules, consistent),

    /** Replaces the year's rules unless an evaluation of the year was approved (RulesLocked). */
    putRules: async (r: RulesRecord) => {
      try {
        await ctx.db.send(
          new PutCommand({
            TableName: T,
            Item: itemOf(keys.evaluationRules(r.year), { entity: 'evaluationRules', ...r }),
            ConditionExpression: 'attribute_not_exists(#locked)',
            ExpressionAttributeNames: { '#locked': 'locked' },
          }),
        );
      } catch (e) {
        if (isConditionalCheckFailed(e)) throw new RulesLocked(r.year, { cause: e });
        throw e;
      }
    },

    get: (id: string, consistent = false) => getRecord(ctx, keys.evaluation(id), decodeEvaluation, consistent),

    getSlot: (year: number, checkpointId: string) => getRecord(ctx, keys.evaluationSlot(year, checkpointId), decodeSlot, true),

    /**
     * Writes a draft, in one transaction with: the lock of the report it was computed from (conditioned on
     * that report's generatedAt, so a re-run between the read and the write cannot slip under it); a check
     * that the rules are those it used; the slot (free, or holding the draft it replaces, which is deleted);
     * `extra` (an Idempotency-Key's record). A changed item → EvaluationRace naming it.
     */
    create: async (
      e: EvaluationRecord,
      read: { rulesUpdatedAt: string; replacesDraft?: string },
      extra: TransactItem[] = [],
    ): Promise<void> => {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: T,
            Key: keys.reportIndex(e.date),
            UpdateExpression: 'SET #locked = :t, lockedBy = if_not_exists(lockedBy, :by), lockedAt = if_not_exists(lockedAt, :at)',
            ConditionExpression: 'generatedAt = :g',
            ExpressionAttributeNames: { '#locked': 'locked' },
            ExpressionAttributeValues: { ':t': true, ':by': `evaluation:${e.evaluationId}`, ':at': e.createdAt, ':g': e.reportGeneratedAt },
          },
        },
        {
          ConditionCheck: {
            TableName: T,
            Key: keys.evaluationRules(e.year),
            ConditionExpression: 'updatedAt = :u',
            ExpressionAttributeValues: { ':u': read.rulesUpdatedAt },
          },
        },
        {
          Put: {
            TableName: T,
            Item: itemOf(keys.evaluationSlot(e.year, e.checkpointId), {
              entity: 'evaluationSlot',
              year: e.year,
              checkpointId: e.checkpointId,
              evaluationId: e.evaluationId,
              status: 'draft',
            }),
            ...(read.replacesDraft
              ? {
                  ConditionExpression: 'evaluationId = :prev AND #s = :draft',
                  ExpressionAttributeNames: { '#s': 'status' },
                  ExpressionAttributeValues: { ':prev': read.replacesDraft, ':draft': 'draft' },
                }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          },
        },
        { Put: { TableName: T, Item: evaluationItem(e), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...(read.replacesDraft ? [{ Delete: { TableName: T, Key: keys.evaluation(read.replacesDraft) } }] : []),
        ...extra,
      ];
      try {
        await withRetries('evaluation creation', () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (err) {
        const reasons = cancellationReasons(err);
        const at = reasons.indexOf('ConditionalCheckFailed');
        if (at === 0) throw new EvaluationRace('report', { cause: err });
        if (at === 1) throw new EvaluationRace('rules', { cause: err });
        if (at === 2) throw new EvaluationRace('slot', { cause: err });
        throw err;
      }
    },

    /** draft → approved, by someone other than its creator; the slot follows and the year's rules lock. */
    approve: async (e: EvaluationRecord, by: string, at: string) => {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: T,
            Key: keys.evaluation(e.evaluationId),
            UpdateExpression: 'SET #s = :approved, approvedBy = :by, approvedAt = :at',
            ConditionExpression: '#s = :draft AND createdBy <> :by',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':approved': 'approved', ':draft': 'draft', ':by': by, ':at': at },
          },
        },
        {
          Update: {
            TableName: T,
            Key: keys.evaluationSlot(e.year, e.checkpointId),
            UpdateExpression: 'SET #s = :approved',
            ConditionExpression: 'evaluationId = :id',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':approved': 'approved', ':id': e.evaluationId },
          },
        },
        {
          Update: {
            TableName: T,
            Key: keys.evaluationRules(e.year),
            UpdateExpression: 'SET #locked = :t, lockedBy = if_not_exists(lockedBy, :id)',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#locked': 'locked' },
            ExpressionAttributeValues: { ':t': true, ':id': e.evaluationId },
          },
        },
      ];
      try {
        await withRetries('evaluation approval', () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (err) {
        if (cancellationReasons(err).includes('ConditionalCheckFailed')) throw new EvaluationStateChanged(e.evaluationId, { cause: err });
        throw err;
      }
    },

    /** approved → paid (兑现), with the day the money went out and its voucher; the slot follows. */
    payout: async (e: EvaluationRecord, p: { paidDate: string; reference: string; by: string; at: string }) => {
      const items: TransactItem[] = [
        {
          Update: {
            TableName: T,
            Key: keys.evaluation(e.evaluationId),
            UpdateExpression: 'SET #s = :paid, paidDate = :d, #ref = :r, paidBy = :by, paidAt = :at',
            ConditionExpression: '#s = :approved',
            ExpressionAttributeNames: { '#s': 'status', '#ref': 'reference' },
            ExpressionAttributeValues: {
              ':paid': 'paid',
              ':approved': 'approved',
              ':d': p.paidDate,
              ':r': p.reference,
              ':by': p.by,
              ':at': p.at,
            },
          },
        },
        {
          Update: {
            TableName: T,
            Key: keys.evaluationSlot(e.year, e.checkpointId),
            UpdateExpression: 'SET #s = :paid',
            ConditionExpression: 'evaluationId = :id',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':paid': 'paid', ':id': e.evaluationId },
          },
        },
      ];
      try {
        await withRetries('evaluation payout', () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
      } catch (err) {
        if (cancellationReasons(err).includes('ConditionalCheckFailed')) throw new EvaluationStateChanged(e.evaluationId, { cause: err });
        throw err;
      }
    },

    /** A year's evaluations by checkpoint (replaced drafts are gone). */
    list: (year: number, limit: number, cursor?: string) =>
      queryPage(ctx, { index: 'gsi1', partition: keys.evaluationsOfYear(year), limit, cursor }, decodeEvaluation),
  };
};

export type EvaluationRepo = ReturnType<typeof evaluationRepo>;
