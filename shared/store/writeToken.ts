import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * One ClientRequestToken per logical write (SPEC §3: a write retried after a
 * lost answer is recognised as the same write). DynamoDB applies a
 * TransactWriteItems at most once per token for 10 minutes: the same token
 * with the same items answers success without applying it again; with other
 * items, IdempotentParameterMismatchException; after a cancellation (nothing
 * applied) the same token runs again.
 *
 * `withRetries` (./retry.ts) opens a scope per logical write; every attempt
 * in it (its own retries, and the SDK's, which resend the same request)
 * carries the same tokens. The n-th transaction sent within an attempt gets
 * token n of the scope, so an attempt that sends several transactions in a
 * fixed order keeps each one's token. A transaction outside any scope gets a
 * fresh token per `send` (still shared by the SDK's own retries).
 * Recomputing after a lost race is a new `withRetries` call: a new token.
 */
interface Scope {
  base: string;
  sent: number;
}

const scopes = new AsyncLocalStorage<Scope>();

/** Runs one attempt of a logical write: `base` is the same for every attempt, the count starts again. */
export const inWriteScope = <T>(base: string, attempt: () => Promise<T>): Promise<T> => scopes.run({ base, sent: 0 }, attempt);

export const newWriteScope = (): string => randomUUID();

/** DynamoDB accepts 1..36 characters. */
const nextToken = (): string => {
  const s = scopes.getStore();
  if (!s) return randomUUID();
  const n = s.sent++;
  return n === 0 ? s.base : `${s.base.slice(0, 32)}-${n}`;
};

/**
 * Adds the token to every TransactWriteItems that has none. In the
 * initialize step, before the SDK's retry middleware: its retries resend the
 * request built once, token included.
 */
export const addWriteTokens = (client: DynamoDBClient): void => {
  client.middlewareStack.add(
    (next, context) => (args) => {
      const input = args.input as { ClientRequestToken?: string };
      if (context.commandName !== 'TransactWriteItemsCommand' || input.ClientRequestToken !== undefined) return next(args);
      return next({ ...args, input: { ...input, ClientRequestToken: nextToken() } });
    },
    { step: 'initialize', name: 'writeToken', override: true },
  );
};
