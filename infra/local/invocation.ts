import { randomUUID } from 'node:crypto';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';

/**
 * Runs `fn` as one Lambda invocation does when several share a process
 * (multi-concurrency mode, which the local stack sets): inside its own
 * InvokeStore context, so Powertools Logger keeps each invocation's keys to
 * itself (and does not throw "No context available"). The store's mode comes
 * from the environment, so a test process without the local stack stays single.
 */
export const asInvocation = async <T>(fn: () => Promise<T>, requestId: string = randomUUID()): Promise<T> => {
  const store = await InvokeStore.getInstanceAsync();
  return store.run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: requestId }, fn);
};
