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
