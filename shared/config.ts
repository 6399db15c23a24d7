/**
 * Runtime configuration, read once from the environment. The CDK stack sets
 * these on every function (infra/routeFunction.ts); the local stack sets them on its
 * own process (infra/local/env.ts). Names live here only.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  rootOrgId: 'ROOT_ORG_ID',
  region: 'AWS_REGION',
  /** Local only: DynamoDB Local / s3rver endpoints. Absent in AWS. */
  dynamoEndpoint: 'DYNAMODB_ENDPOINT',
  s3Endpoint: 'S3_ENDPOINT',
  /** AWS: Secrets Manager ARN of the HMAC secret used for ID-number uniqueness keys. */
  hmacSecretArn: 'HMAC_SECRET_ARN',
  /** AWS: KMS key id/ARN used to make the data key that encrypts ID numbers. */
  kmsKeyId: 'PII_KMS_KEY_ID',
  /** AWS: Secrets Manager ARN of the HMAC secret that signs list cursors. */
  cursorSecretArn: 'CURSOR_SECRET_ARN',
  /** Local only: directory holding local secrets (HMAC secret, data key, JWT key). */
  localSecretsDir: 'HUZHU_LOCAL_DIR',
  /** The console's address for `/` to lead to (the CloudFront site in AWS; unset locally: /console/). */
  consoleUrl: 'CONSOLE_URL',
} as const;

export interface AppConfig {
  tableName: string;
  bucketName: string;
  rootOrgId: string;
  region: string;
  dynamoEndpoint?: string;
  s3Endpoint?: string;
  hmacSecretArn?: string;
  kmsKeyId?: string;
  cursorSecretArn?: string;
  localSecretsDir?: string;
}

const opt = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

export const loadConfig = (): AppConfig => ({
  tableName: opt(ENV.tableName) ?? 'huzhu',
  bucketName: opt(ENV.bucketName) ?? 'huzhu-local',
  rootOrgId: opt(ENV.rootOrgId) ?? 'root',
  region: opt(ENV.region) ?? 'us-east-1',
  dynamoEndpoint: opt(ENV.dynamoEndpoint),
  s3Endpoint: opt(ENV.s3Endpoint),
  hmacSecretArn: opt(ENV.hmacSecretArn),
  kmsKeyId: opt(ENV.kmsKeyId),
  cursorSecretArn: opt(ENV.cursorSecretArn),
  localSecretsDir: opt(ENV.localSecretsDir),
});
