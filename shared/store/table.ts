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

const keySchema = (hash: string, range: string) => [
  { AttributeName: hash, KeyType: 'HASH' as const },
  { AttributeName: range, KeyType: 'RANGE' as const },
];

/**
 * The definition in DynamoDB's own vocabulary (CreateTable, and the same
 * property names CloudFormation uses): what the local bootstrap creates and
 * what the infra test expects CDK to have synthesized.
 */
export const keySchemaOf = (t: TableDefinition = tableDefinition) => {
  const attrs = new Set<string>([t.partitionKey, t.sortKey]);
  for (const g of t.globalSecondaryIndexes) attrs.add(g.partitionKey).add(g.sortKey);
  return {
    KeySchema: keySchema(t.partitionKey, t.sortKey),
    AttributeDefinitions: [...attrs].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: t.globalSecondaryIndexes.map((g) => ({
      IndexName: g.indexName,
      KeySchema: keySchema(g.partitionKey, g.sortKey),
      Projection: { ProjectionType: 'ALL' as const },
    })),
  };
};
