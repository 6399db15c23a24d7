import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../shared/config';
import type { Deps } from '../../shared/deps';
import { makeDocClient, makeDynamoClient } from '../../shared/store/client';

/**
 * A real DynamoDB client (on DynamoDB Local) with a fault injector at the
 * front of its middleware stack: `fail(commandName, n)` decides, for the n-th
 * call (1-based) of each command, whether to throw instead of sending.
 * Handlers get it through `deps` (`invoke(..., { deps: faulty.deps })`).
 */
export type Fault = Error | undefined;

export const throttled = () =>
  Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ThrottlingException',
    $metadata: { httpStatusCode: 400 },
  });

export const cancelled = (reasons: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: reasons.map((Code) => ({ Code })),
  });

export const faultyStore = (fail: (command: string, n: number) => Fault): { deps: Partial<Deps>; calls: Record<string, number> } => {
  const config = loadConfig();
  const ddb = makeDynamoClient(config);
  const calls: Record<string, number> = {};
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      calls[name] = (calls[name] ?? 0) + 1;
      const fault = fail(name, calls[name]!);
      if (fault) throw fault;
      return next(args);
    },
    { step: 'initialize', name: 'faultInjector', priority: 'high' },
  );
  return { deps: { config, ddb, db: makeDocClient(ddb) }, calls };
};

const WRITES = new Set(['TransactWriteItemsCommand', 'UpdateItemCommand', 'PutItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);
/** What a dead function's writes meet: not transient, so nothing retries it. */
export const functionDied = () => Object.assign(new Error('the function died'), { name: 'FunctionDied' });

/**
 * A store whose function dies at its n-th write: that write is not sent
 * (`landed: false`) or lands and its answer is lost (`landed: true`); every
 * later write fails as well (a dead function writes nothing more). Reads go
 * on. `writes()` counts the writes tried (with n = Infinity: a clean run's).
 */
export const dyingStore = (n: number, landed: boolean) => {
  const faulty = faultyStore(() => undefined);
  let writes = 0;
  faulty.deps.ddb!.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITES.has(context.commandName ?? '')) return next(args);
      writes++;
      if (writes < n) return next(args);
      if (writes === n && landed) await next(args);
      throw functionDied();
    },
    { step: 'initialize', name: 'dieAt', priority: 'high' },
  );
  return { deps: { ddb: faulty.deps.ddb!, db: faulty.deps.db! }, writes: () => writes };
};

/** What the SDK throws when no answer came in time (it retries it: the request may or may not have landed). */
export const timedOut = () =>
  Object.assign(new Error('Socket timed out without establishing a connection within 1000 ms'), {
    name: 'TimeoutError',
    $metadata: {},
  });

/**
 * A store whose chosen calls reach DynamoDB Local and commit, then lose their
 * answer: `lose(commandName, n)` (n 1-based per command) returns the error to
 * throw instead of the answer. The loss is raised above the SDK's retries (as
 * when they are used up), so the caller's retry (withRetries) sends the write
 * again as a new command. `tokens` records each TransactWriteItems'
 * ClientRequestToken as the application set it.
 */
export const lossyStore = (
  lose: (command: string, n: number) => Fault,
): { deps: Partial<Deps>; calls: Record<string, number>; tokens: (string | undefined)[] } => {
  const store = faultyStore(() => undefined);
  const calls: Record<string, number> = {};
  const tokens: (string | undefined)[] = [];
  store.deps.ddb!.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const n = (calls[name] = (calls[name] ?? 0) + 1);
      const input = (args as { input: Record<string, unknown> }).input;
      if (name === 'TransactWriteItemsCommand') tokens.push(input.ClientRequestToken as string | undefined);
      const out = await next(args);
      const fault = lose(name, n);
      if (fault) throw fault;
      return out;
    },
    { step: 'initialize', name: 'loseAnswer', priority: 'low' },
  );
  return { deps: store.deps, calls, tokens };
};

/** A function killed mid-request (a timeout, an out-of-memory): nothing after it runs. Not a store error, so nothing retries it. */
export const died = () => Object.assign(new Error('the function died here (simulated)'), { name: 'FunctionDied' });

/**
 * A store whose function dies right after the n-th call of `command`: that
 * call reaches DynamoDB Local (and commits), then `died()` is thrown instead
 * of its answer. Later calls of `command` wait for it and die unsent, and
 * every call after the death dies unsent — so no code after the death, a
 * recovery read included, touches the store.
 */
export const dyingAfterCommand = (command: string, n: number): { deps: Partial<Deps>; isDead: () => boolean } => {
  let dead = false;
  let death!: () => void;
  const dying = new Promise<void>((resolve) => {
    death = resolve;
  });
  const store = faultyStore(() => (dead ? died() : undefined));
  let calls = 0;
  store.deps.ddb!.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command) return next(args);
      const k = ++calls;
      if (k > n) {
        await dying;
        throw died();
      }
      const out = await next(args);
      if (k === n) {
        dead = true;
        death();
        throw died();
      }
      return out;
    },
    { step: 'initialize', name: 'dieAfter', priority: 'low' },
  );
  return { deps: store.deps, isDead: () => dead };
};
