import { TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ClaimStatus } from '../domain/claim';
import { findDuplicate, type OpenClaimFact } from '../domain/claimFiling';
import { batchGetAll, batchKey } from './batch';
import { type Approval, approveClaim } from './claimApproval';
import {
  applyChange,
  type ClaimChange,
  type ClaimDocument,
  type ClaimEvent,
  type ClaimRecord,
  claimChangeItem,
  claimItem,
  decodeClaim,
  enrolmentIdOfClaim,
  factOf,
  factsKeyOf,
} from './claimRecord';
import { type CounterDelta, counterDay, openSubmittedOn, randomShard, type TransactItem, unitPlanCounterAdd } from './counters';
import { decodeEnrolment, type EnrolmentRecord } from './enrolments';
import { cancellationReasons, EnrolmentNotActive, isConditionalCheckFailed, StaleRecord } from './errors';
import { getRecord, queryPage, type StoreContext } from './items';
import { itemOf, keys } from './keys';
import { withRetries } from './retry';

/**
 * The claim store: filing (with the DUPLICATE_STAY lock, one per person), documents, and the
 * transitions other than approval (./claimApproval.ts) and payment
 * (./payments.ts). Each multi-item change is one transaction that also moves
 * the unit × plan counters (SPEC §5) and appends the history event.
 * A write whose condition fails throws StaleRecord: the caller re-reads and
 * judges again (./rerun.ts).
 */

interface FactsItem {
  facts: Record<string, OpenClaimFact>;
  version: number;
}

/** Counter move for one claim's unit and plan, in the bucket of `day` (the write's Shanghai date), on a random shard. */
export const claimCounter = (tableName: string, c: ClaimRecord, day: string, delta: CounterDelta): TransactItem =>
  unitPlanCounterAdd(tableName, { id: c.unitId, path: c.unitPath }, c.planId, day, randomShard(), delta);

/** Takes a final, unpaid claim's stay out of the duplicate facts: its dates are free again. */
const dropFact = (tableName: string, c: ClaimRecord): TransactItem => ({
  Update: {
    TableName: tableName,
    Key: factsKeyOf(c),
    UpdateExpression: 'REMOVE facts.#c SET version = version + :one',
    ExpressionAttributeNames: { '#c': c.claimId },
    ExpressionAttributeValues: { ':one': 1 },
  },
});

export type FilingOutcome = { filed: ClaimRecord } | { duplicateOf: string };

export const claimRepo = (ctx: StoreContext) => {
  const { db, tableName } = ctx;

  /** One transaction; a failed condition on the claim (item 0) is StaleRecord. */
  const transact = async (what: string, c: ClaimRecord, items: TransactItem[]) => {
    try {
      await withRetries(what, () => db.send(new TransactWriteCommand({ TransactItems: items })));
    } catch (e) {
      if (cancellationReasons(e).includes('ConditionalCheckFailed')) throw new StaleRecord('claim', c.claimId, { cause: e });
      throw e;
    }
  };

  const change = async (what: string, c: ClaimRecord, ch: ClaimChange, more: TransactItem[]): Promise<ClaimRecord> => {
    await transact(what, c, [claimChangeItem(tableName, c, ch), ...more]);
    return applyChange(c, ch);
  };

  return {
    get: (claimId: string, consistent = false) => getRecord(ctx, keys.claim(claimId), decodeClaim, consistent),

    /**
     * A claim and its enrolment, both strongly consistent, in one request
     * (BatchGetItem: the enrolment's id is part of the claim's). What a
     * decision computes the benefit from. Not a snapshot (TransactGetItems
     * would cost twice the reads, and DynamoDB Local twice the CPU), and it
     * needs none: the approval's write is conditioned on the claim's version
     * and the enrolment's usedFen / deductibleUsedFen exactly as read here,
     * so a change to either in between makes it fail and start over.
     */
    async getWithEnrolment(claimId: string): Promise<{ claim?: ClaimRecord; enrolment?: EnrolmentRecord }> {
      const claimKey = keys.claim(claimId);
      const enrolmentKey = keys.enrolment(enrolmentIdOfClaim(claimId));
      const found = await batchGetAll(ctx, [claimKey, enrolmentKey], true);
      const claim = found.get(batchKey(claimKey));
      const enrolment = found.get(batchKey(enrolmentKey));
      return { ...(claim ? { claim: decodeClaim(claim) } : {}), ...(enrolment ? { enrolment: decodeEnrolment(enrolment) } : {}) };
    },

    /** Claims by id (strongly consistent); unknown ids are absent. */
    async getMany(claimIds: readonly string[]): Promise<Map<string, ClaimRecord>> {
      const items = await batchGetAll(ctx, claimIds.map(keys.claim), true);
      const out = new Map<string, ClaimRecord>();
      for (const id of claimIds) {
        const item = items.get(batchKey(keys.claim(id)));
        if (item) out.set(id, decodeClaim(item));
      }
      return out;
    },

    /** Claims of units under `path` (a subtree), optionally of one status and plan; by unit path, then filing order. */
    list: (q: { path: readonly string[]; status?: ClaimStatus; planId?: string; limit: number; cursor?: string }) =>
      queryPage(
        ctx,
        {
          index: q.status ? 'gsi1' : 'gsi2',
          partition: q.status ? keys.claimsByStatus(q.status) : keys.claimsAll,
          sortPrefix: keys.pathPrefix(q.path),
          ...(q.planId ? { where: { planId: q.planId } } : {}),
          limit: q.limit,
          cursor: q.cursor,
        },
        decodeClaim,
      ),

    /**
     * Files a claim unless it duplicates an open or paid stay of the same
     * person, under this plan or any other (factsKeyOf: the stays of a person
     * live in one item). That item is read consistently and written in the
     * claim's own transaction, conditioned on its version, so two concurrent
     * filings, even under two plans, cannot both pass the check: the loser
     * gets StaleRecord and is judged again against the winner's stay. `extra`
     * items (an Idempotency-Key's record) share the transaction.
     */
    async file(c: ClaimRecord, extra: TransactItem[] = []): Promise<FilingOutcome> {
      const key = factsKeyOf(c);
      const read = await getRecord<FactsItem>(
        ctx,
        key,
        (i) => ({ facts: (i.facts as FactsItem['facts']) ?? {}, version: i.version as number }),
        true,
      );
      const fact = factOf(c);
      const dup = findDuplicate(Object.values(read?.facts ?? {}), fact);
      if (dup) return { duplicateOf: dup.claimId };
      const facts = { ...(read?.facts ?? {}), [c.claimId]: fact };
      const factsWrite: TransactItem = read
        ? {
            Update: {
              TableName: tableName,
              Key: key,
              UpdateExpression: 'SET facts = :f, version = :next',
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':f': facts, ':v': read.version, ':next': read.version + 1 },
            },
          }
        : {
            Put: {
              TableName: tableName,
              Item: itemOf(key, { entity: c.kind === 'lump_sum' ? 'enrolmentConditions' : 'personStays', facts, version: 1 }),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          };
      try {
        await withRetries('claim filing', () =>
          db.send(
            new TransactWriteCommand({
              TransactItems: [
                { Put: { TableName: tableName, Item: claimItem(c), ConditionExpression: 'attribute_not_exists(pk)' } },
                factsWrite,
                ...extra,
                // The enrolment counts its claims and must still be active: a cancellation (only without any
                // claim, SPEC §4.3) and a filing cannot both pass, whichever commits first.
                {
                  Update: {
                    TableName: tableName,
                    Key: keys.enrolment(c.enrolmentId),
                    UpdateExpression: 'ADD claimsFiled :one',
                    ConditionExpression: '#status = :active',
                    ExpressionAttributeNames: { '#status': 'status' },
                    ExpressionAttributeValues: { ':one': 1, ':active': 'active' },
                  },
                },
              ],
            }),
          ),
        );
      } catch (e) {
        const reasons = cancellationReasons(e);
        if (reasons[2 + extra.length] === 'ConditionalCheckFailed') throw new EnrolmentNotActive(c.enrolmentId, { cause: e });
        if (reasons[1] === 'ConditionalCheckFailed')
          throw new StaleRecord(c.kind === 'lump_sum' ? 'enrolmentConditions' : 'personStays', c.claimId, { cause: e });
        throw e;
      }
      return { filed: c };
    },

    /**
     * Appends a document declaration, and its history event, while the claim
     * is still as read (draft or returned). With `extra` items (an
     * Idempotency-Key's record) it is one transaction with them.
     */
    async declareDocument(
      c: ClaimRecord,
      doc: ClaimDocument,
      at: string,
      event: ClaimEvent,
      extra: TransactItem[] = [],
    ): Promise<ClaimRecord> {
      const update = {
        TableName: tableName,
        Key: keys.claim(c.claimId),
        UpdateExpression:
          'SET documents = list_append(documents, :d), #history = list_append(#history, :e), version = version + :one, updatedAt = :at',
        ConditionExpression: '#status = :s AND version = :v',
        ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
        ExpressionAttributeValues: { ':d': [doc], ':e': [event], ':one': 1, ':at': at, ':s': c.status, ':v': c.version },
      };
      try {
        await withRetries<unknown>('document declaration', () =>
          extra.length > 0
            ? db.send(new TransactWriteCommand({ TransactItems: [{ Update: update }, ...extra] }))
            : db.send(new UpdateCommand(update)),
        );
      } catch (e) {
        if (isConditionalCheckFailed(e) || cancellationReasons(e)[0] === 'ConditionalCheckFailed')
          throw new StaleRecord('claim', c.claimId, { cause: e });
        throw e;
      }
      return { ...c, documents: [...c.documents, doc], history: [...c.history, event], version: c.version + 1, updatedAt: at };
    },

    /**
     * Drops a declaration (a failed or wrong upload) so the claim can be submitted with a new one,
     * and records it in history. A frozen document's evidence object stays (nothing deletes evidence);
     * the event names it, so what a reviewer once saw can still be found. `token` is stored as the
     * claim's writeToken: a retry whose first attempt landed recognises its own removal.
     */
    async removeDocument(c: ClaimRecord, documentId: string, at: string, event: ClaimEvent, token: string): Promise<ClaimRecord> {
      const documents = c.documents.filter((d) => d.documentId !== documentId);
      try {
        await withRetries('document removal', () =>
          db.send(
            new UpdateCommand({
              TableName: tableName,
              Key: keys.claim(c.claimId),
              UpdateExpression:
                'SET documents = :d, #history = list_append(#history, :e), version = version + :one, updatedAt = :at, writeToken = :t',
              ConditionExpression: '#status = :s AND version = :v',
              ExpressionAttributeNames: { '#status': 'status', '#history': 'history' },
              ExpressionAttributeValues: {
                ':d': documents,
                ':e': [event],
                ':one': 1,
                ':at': at,
                ':s': c.status,
                ':v': c.version,
                ':t': token,
              },
            }),
          ),
        );
      } catch (e) {
        if (isConditionalCheckFailed(e)) throw new StaleRecord('claim', c.claimId, { cause: e });
        throw e;
      }
      return { ...c, documents, history: [...c.history, event], version: c.version + 1, updatedAt: at, writeToken: token };
    },

    /**
     * draft|returned → submitted. claimsSubmitted counts claims that ever
     * reached the state, so only the first submission adds to it; every
     * submission opens one `openSubmitted@<today>` (the overdue count).
     */
    submit: (c: ClaimRecord, ch: ClaimChange, today: string) =>
      change('claim submission', c, ch, [
        claimCounter(tableName, c, today, { ...(c.firstSubmittedDate ? {} : { claimsSubmitted: 1 }), [openSubmittedOn(today)]: 1 }),
      ]),

    /** draft|returned → withdrawn: final and unpaid, so the stay no longer blocks a corrected filing. */
    withdraw: (c: ClaimRecord, ch: ClaimChange) => change('claim withdrawal', c, ch, [dropFact(tableName, c)]),

    /** submitted → rejected (final: frees the stay) or → returned (waits for documents; resubmission reopens it). */
    reject: (c: ClaimRecord, ch: ClaimChange) =>
      change('claim rejection', c, ch, [
        claimCounter(tableName, c, counterDay(ch.updatedAt), { claimsRejected: 1, [openSubmittedOn(c.lastSubmittedDate!)]: -1 }),
        dropFact(tableName, c),
      ]),
    returnToFiler: (c: ClaimRecord, ch: ClaimChange) =>
      change('claim return', c, ch, [
        claimCounter(tableName, c, counterDay(ch.updatedAt), { [openSubmittedOn(c.lastSubmittedDate!)]: -1 }),
      ]),

    /** submitted → approved, reserving the benefit against the cap (./claimApproval.ts). */
    approve: (a: Approval) => approveClaim(ctx, a),
  };
};

export type ClaimRepo = ReturnType<typeof claimRepo>;
