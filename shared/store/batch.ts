import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { StoreContext } from './items';
import { withRetries } from './retry';

type Key = { pk: string; sk: string };
const BATCH_GET_MAX = 100;

/**
 * Items by key, any number of keys (BatchGetItem takes 100 at a time and may
 * hand some back unprocessed: those are asked again). Missing keys are simply
 * absent from the result, which is keyed `pk\u0000sk`.
 */
export const batchGetAll = async (
  ctx: StoreContext,
  keyList: readonly Key[],
  consistent = false,
): Promise<Map<string, Record<string, unknown>>> => {
  const found = new Map<string, Record<string, unknown>>();
  const unique = [...new Map(keyList.map((k) => [batchKey(k), k])).values()];
  const batches: Key[][] = [];
  for (let i = 0; i < unique.length; i += BATCH_GET_MAX) batches.push(unique.slice(i, i + BATCH_GET_MAX));
  const limit = pLimit(4);
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
          [ctx.tableName]: { Keys: batch, ConsistentRead: consistent },
        };
        while (request && Object.keys(request).length > 0) {
          const keysLeft = request;
          const r = await withRetries('batch read', () => ctx.db.send(new BatchGetCommand({ RequestItems: keysLeft })));
          for (const item of r.Responses?.[ctx.tableName] ?? []) found.set(batchKey(item as Key), item);
          request = r.UnprocessedKeys as typeof request;
        }
      }),
    ),
  );
  return found;
};

export const batchKey = (k: Key): string => `${k.pk}\u0000${k.sk}`;
