import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import type { Deps } from '../deps';
import { tableDefinition } from '../store/table';
import { IDEMPOTENCY_TTL_SECONDS, type IdempotencyPayload } from './idempotency';

/**
 * Powertools Idempotency around a route's business function, records in the
 * single table. Used only when a request carries an Idempotency-Key
 * (shared/http/handler.ts answers others straight away).
 */
export const makeIdempotentFor = <Args extends [IdempotencyPayload, ...unknown[]], R extends object>(
  routeName: string,
  deps: Deps,
  fn: (...args: Args) => Promise<R>,
) => {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'key',
    payloadValidationJmesPath: 'request',
    throwOnNoIdempotencyKey: false,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    hashFunction: 'sha256',
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: deps.config.tableName,
    keyAttr: tableDefinition.partitionKey,
    sortKeyAttr: tableDefinition.sortKey,
    staticPkValue: `IDEMPOTENCY#${routeName}`,
    expiryAttr: tableDefinition.ttlAttribute,
    awsSdkV3Client: deps.ddb,
  });
  const wrapped = makeIdempotent(fn, { persistenceStore, config }); // payload = first argument
  return {
    run: (context: Context | undefined, ...args: Args): Promise<R> => {
      // In-progress records expire with the invocation, so a crashed run does not block retries for a day.
      if (context?.getRemainingTimeInMillis) config.registerLambdaContext(context);
      return wrapped(...args) as Promise<R>;
    },
  };
};
