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
    /** Lists by one partition: children of an org, enrolments of a unit, all plans, claims by status. */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /**
     * Lists by org subtree: the sort key starts with the org path (`root/office/unit/`), so
     * `begins_with(gsi2sk, <path of X>/)` is "everything under X" in one Query — an office's
     * claims, a plan's counters for a report cut.
     */
    { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export type TableDefinition = typeof tableDefinition;
export type IndexName = (typeof tableDefinition.globalSecondaryIndexes)[number]['indexName'];

/** The key attribute names of the table (`null`) or of an index. */
export const keyAttributesOf = (index: IndexName | null): { partition: string; sort: string } => {
  if (index === null) return { partition: tableDefinition.partitionKey, sort: tableDefinition.sortKey };
  const g = tableDefinition.globalSecondaryIndexes.find((i) => i.indexName === index)!;
  return { partition: g.partitionKey, sort: g.sortKey };
};

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
