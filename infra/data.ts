import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { AnyPrincipal, Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership, StorageClass } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { EVIDENCE_PREFIX } from '../shared/objects/keys';
import { tableDefinition } from '../shared/store/table';
import { CORS } from './cors';

/**
 * Where Huzhu keeps its data: the DynamoDB table, the S3 data bucket (with its access-log bucket),
 * the KMS key for resident ID numbers and the HMAC secret for their uniqueness hash.
 * Everything is retained on stack deletion.
 */
export interface HuzhuData {
  table: Table;
  bucket: Bucket;
  piiKey: Key;
  hmacSecret: Secret;
  cursorSecret: Secret;
}

interface IndexDef {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
}

/** Built straight into `scope` (the stack), so the construct ids, and so the logical ids, are the stack's own. */
export const makeData = (scope: Construct, corsOrigins: string[]): HuzhuData => ({
  table: makeTable(scope),
  bucket: makeBucket(scope, corsOrigins),
  ...makePersonalDataSecrets(scope),
});

const makeTable = (scope: Construct): Table => {
  const s = { type: AttributeType.STRING } as const;
  const table = new Table(scope, 'Table', {
    partitionKey: { name: tableDefinition.partitionKey, ...s },
    sortKey: { name: tableDefinition.sortKey, ...s },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    timeToLiveAttribute: tableDefinition.ttlAttribute,
    encryption: TableEncryption.AWS_MANAGED,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  for (const gsi of tableDefinition.globalSecondaryIndexes as readonly IndexDef[]) {
    table.addGlobalSecondaryIndex({
      indexName: gsi.indexName,
      partitionKey: { name: gsi.partitionKey, ...s },
      ...(gsi.sortKey ? { sortKey: { name: gsi.sortKey, ...s } } : {}),
      projectionType: ProjectionType.ALL,
    });
  }
  return table;
};

const makeBucket = (scope: Construct, corsOrigins: string[]): Bucket => {
  const common = {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    // Server access logs can only be delivered to an SSE-S3 bucket, so both use S3-managed keys.
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: RemovalPolicy.RETAIN,
  } as const;
  const accessLogs = new Bucket(scope, 'AccessLogsBucket', {
    ...common,
    lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(400) }],
  });
  Validations.of(accessLogs).acknowledge({
    id: 'AwsSolutions-S1',
    reason:
      'This is the server-access-log bucket of the data bucket; logging it into itself (or another bucket) would only log the log delivery.',
  });
  const bucket = new Bucket(scope, 'Bucket', {
    ...common,
    versioned: true,
    serverAccessLogsBucket: accessLogs,
    serverAccessLogsPrefix: 'data-bucket/',
    // Every expiring rule names its prefix: evidence/ (SPEC §4.4, kept ≥ 30 years) must match none of them.
    lifecycleRules: [
      { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      // Uploaded rosters hold ID numbers in clear; once imported (results keep only masked numbers) they go, old versions too.
      { id: 'expire-roster-uploads', prefix: 'imports/', expiration: Duration.days(30), noncurrentVersionExpiration: Duration.days(1) },
      // Receipt uploads: what submit checked lives on under evidence/; an upload itself only serves a draft (or a returned claim).
      { id: 'expire-receipt-uploads', prefix: 'claims/', expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) },
      { id: 'expire-noncurrent-reports', prefix: 'reports/', noncurrentVersionExpiration: Duration.days(90) },
      // Receipts of submitted claims are original vouchers (会计档案管理办法: ≥ 30 years): never expired, current or
      // noncurrent; after a year they are rarely read, and Glacier Instant Retrieval still serves a download at once.
      {
        id: 'archive-evidence',
        prefix: EVIDENCE_PREFIX,
        transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) }],
        noncurrentVersionTransitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(365) }],
      },
    ],
    cors: [
      {
        // Browsers upload receipts with presigned POST and read them back with presigned GET.
        allowedMethods: [HttpMethods.POST, HttpMethods.GET],
        allowedOrigins: corsOrigins,
        allowedHeaders: ['*'],
        exposedHeaders: ['ETag', 'Location'],
        maxAge: CORS.maxAgeSeconds,
      },
    ],
  });
  // Evidence is never deleted, by any function or person (IAM grants no delete anywhere; this also stops an admin's
  // mistake): removing this statement is a deliberate, reviewed change of the stack.
  bucket.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EvidenceIsNeverDeleted',
      effect: Effect.DENY,
      principals: [new AnyPrincipal()],
      actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      resources: [bucket.arnForObjects(`${EVIDENCE_PREFIX}*`)],
    }),
  );
  return bucket;
};

const makePersonalDataSecrets = (scope: Construct): Pick<HuzhuData, 'piiKey' | 'hmacSecret' | 'cursorSecret'> => {
  const piiKey = new Key(scope, 'PiiKey', {
    description: 'Huzhu: makes the data keys that encrypt resident ID numbers',
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const hmacSecret = new Secret(scope, 'IdNumberHmacSecret', {
    description: 'Huzhu: HMAC key for the uniqueness hash of resident ID numbers (raw 64-character string)',
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(hmacSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'The HMAC key derives the stored uniqueness hash of every ID number; rotating it would orphan all existing hashes ' +
      'and silently allow duplicate enrolments. It is rotated only by a planned re-hash migration, never automatically.',
  });
  const cursorSecret = new Secret(scope, 'CursorHmacSecret', {
    description: 'Huzhu: HMAC key that signs list cursors (raw 64-character string)',
    generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  Validations.of(cursorSecret).acknowledge({
    id: 'AwsSolutions-SMG4',
    reason:
      'Signs list cursors only; rotating it would merely invalidate cursors in flight (a client re-lists from the start). ' +
      'Rotation needs a rotation Lambda for a plain HMAC key; not worth it for a key that protects no data at rest.',
  });
  return { piiKey, hmacSecret, cursorSecret };
};
