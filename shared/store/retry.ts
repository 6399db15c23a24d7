import pRetry from 'p-retry';
import { isRetriableCancellation, isTransientStoreError, StoreUnavailable } from './errors';
import { inWriteScope, newWriteScope } from './writeToken';

/**
 * Retries a write that lost a race or was throttled (a transaction cancelled
 * with TransactionConflict / ThrottlingError reasons, which the SDK does not
 * retry itself), with jittered backoff. When it still fails the caller gets
 * StoreUnavailable (→ 503 with Retry-After); any other error passes through
 * at once (a failed condition is an answer, not a fault).
 *
 * Every attempt is the same logical write: its transactions carry the same
 * ClientRequestToken (./writeToken.ts), so one whose answer was lost (a
 * timeout, a reset connection) and that did commit is answered as done on
 * the next attempt, not judged again as a conflict. `attempt` must therefore
 * send the same items each time (draw random shards outside it).
 */
export const RETRY_DEFAULTS = { retries: 8, minTimeout: 20, maxTimeout: 1000, factor: 2, randomize: true } as const;

export const withRetries = async <T>(what: string, attempt: () => Promise<T>, opts: { retries?: number } = {}): Promise<T> => {
  try {
    const scope = newWriteScope();
    return await pRetry(() => inWriteScope(scope, attempt), {
      ...RETRY_DEFAULTS,
      ...opts,
      shouldRetry: ({ error }) => isRetriableCancellation(error) || isTransientStoreError(error),
    });
  } catch (e) {
    if (isRetriableCancellation(e) || isTransientStoreError(e)) throw new StoreUnavailable(what, { cause: e });
    throw e;
  }
};
