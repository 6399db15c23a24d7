import { Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { KMS_ENCRYPTION_CONTEXT } from '../shared/pii/awsKeys';
import type { RoutePermissions } from '../shared/http/route';
import { tableDefinition } from '../shared/store/table';
import type { HuzhuData } from './data';

/**
 * Least privilege, from the route table's `permissions` and nothing else.
 * Explicit statements instead of CDK's grantReadData/grantReadWriteData,
 * which include Scan (and more) that no function needs.
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];

export const grantPermissions = (fn: IGrantable, perms: RoutePermissions, data: HuzhuData): void => {
  const add = (actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions, resources, ...(conditions ? { conditions } : {}) }),
    );
  const { table, bucket, piiKey, hmacSecret, cursorSecret } = data;
  if (perms.table) {
    // The table and exactly its declared indexes (no `/index/*`).
    const indexes = tableDefinition.globalSecondaryIndexes.map((g) => `${table.tableArn}/index/${g.indexName}`);
    add(TABLE_READ_ACTIONS, [table.tableArn, ...indexes]);
    if (perms.table === 'readwrite') add(TABLE_WRITE_ACTIONS, [table.tableArn]);
  }
  if (perms.bucket?.read?.length)
    add(
      ['s3:GetObject'],
      perms.bucket.read.map((p) => `${bucket.bucketArn}/${p}*`),
    );
  if (perms.bucket?.write?.length)
    add(
      ['s3:PutObject'],
      perms.bucket.write.map((p) => `${bucket.bucketArn}/${p}*`),
    );
  const context = Object.fromEntries(Object.entries(KMS_ENCRYPTION_CONTEXT).map(([k, v]) => [`kms:EncryptionContext:${k}`, v]));
  if (perms.pii?.open) add(['kms:Decrypt'], [piiKey.keyArn], { StringEquals: context });
  if (perms.pii?.seal) add(['kms:GenerateDataKey'], [piiKey.keyArn], { StringEquals: context });
  if (perms.pii?.hmac) add(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], [hmacSecret.secretArn]);
  if (perms.cursors) add(['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], [cursorSecret.secretArn]);
};
