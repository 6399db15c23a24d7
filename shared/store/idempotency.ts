import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './counters';
import { cancellationReasons } from './errors';
import { getRecord, type StoreContext } from './items';
import { itemOf, keys } from './keys';
import { withRetries } from './retry';

/**
 * The record of an Idempotency-Key (SPEC §3): which request it answered (a
 * hash of query and body) and the first answer exactly as sent (status,
 * headers, body text, gzipped when large). It is written in the same
 * transaction as what the request creates, so there is never a creation
 * without its record nor a record without its creation. `expiresAt` is the
 * table's TTL attribute; DynamoDB Local ignores TTL, and real DynamoDB deletes
 * late, so expiry is also compared here: an expired record counts as absent
 * and may be overwritten.
 */
export interface IdempotencyRecord {
  requestHash: string;
  status: number;
  headers?: Record<string, string>;
  text?: string;
  gz?: string;
  createdAt: string;
  /** Epoch seconds. */
  expiresAt: number;
}

const decode = (i: Record<string, unknown>): IdempotencyRecord => ({
  requestHash: i.requestHash as string,
  status: i.status as number,
  ...(i.headers ? { headers: i.headers as Record<string, string> } : {}),
  ...(typeof i.text === 'string' ? { text: i.text } : {}),
  ...(typeof i.gz === 'string' ? { gz: i.gz } : {}),
  createdAt: i.createdAt as string,
  expiresAt: i.expiresAt as number,
});

const epoch = (at: Date) => Math.floor(at.getTime() / 1000);

export const idempotencyRepo = (ctx: StoreContext) => {
  /** The put of a record, only if the key has none that is still alive: for the creation's transaction. */
  const recordItem = (scopeHash: string, r: IdempotencyRecord, now: Date): TransactItem => ({
    Put: {
      TableName: ctx.tableName,
      Item: itemOf(keys.idempotency(scopeHash), { entity: 'idempotency', ...r }),
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
      ExpressionAttributeValues: { ':now': epoch(now) },
    },
  });

  return {
    recordItem,

    /** The live record of a key (strongly consistent: a retry right after the first answer must see it), or undefined. */
    async get(scopeHash: string, now: Date): Promise<IdempotencyRecord | undefined> {
      const r = await getRecord(ctx, keys.idempotency(scopeHash), decode, true);
      return r && r.expiresAt > epoch(now) ? r : undefined;
    },

    /** The record on its own (a request that created nothing in a transaction of its own); false when the key's record exists. */
    async put(scopeHash: string, r: IdempotencyRecord, now: Date): Promise<boolean> {
      const items = [recordItem(scopeHash, r, now)];
      try {
        await withRetries('idempotency record', () => ctx.db.send(new TransactWriteCommand({ TransactItems: items })));
        return true;
      } catch (e) {
        if (cancellationReasons(e)[0] === 'ConditionalCheckFailed') return false;
        throw e;
      }
    },
  };
};

export type IdempotencyRepo = ReturnType<typeof idempotencyRepo>;
