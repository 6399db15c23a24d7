/**
 * The one DynamoDB table definition. Read by the CDK stack (infra/data.ts)
 * and by the local bootstrap (infra/local/bootstrap.ts); nothing else may
 * declare keys, indexes or the TTL attribute. See ./README.md for the key design.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB expires idempotency records by it. DynamoDB Local ignores TTL, so code compares it too. */
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /** Lists: children of an org, enrolments of a unit, all plans. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];
