import { setTimeout as sleep } from 'node:timers/promises';
import { StaleRecord, StoreUnavailable } from './errors';

/**
 * Optimistic concurrency, the caller's half: a write conditioned on what was
 * read fails with StaleRecord when someone else changed it first. The whole
 * read → judge → write step is then run again from fresh values (the
 * judgement may change: the claim is no longer submitted, the cap is
 * exhausted, the stay is now a duplicate). Bounded; past the bound the
 * store is too contended to make progress and the caller gets
 * StoreUnavailable (503 with Retry-After), never a wrong answer.
 */
/** Lost races rerun in this process (for benchmarks and diagnostics; never read by rules). */
export const contention = { reruns: 0 };

export const rerunOnStale = async <T>(what: string, step: () => Promise<T>, attempts = 8): Promise<T> => {
  for (let i = 0; ; i++) {
    try {
      return await step();
    } catch (e) {
      if (!(e instanceof StaleRecord)) throw e;
      contention.reruns++;
      if (i + 1 >= attempts) throw new StoreUnavailable(what, { cause: e });
      // Jitter spreads contenders out so the next round has a winner.
      await sleep(Math.floor(Math.random() * Math.min(200, 5 * 2 ** i)));
    }
  }
};
