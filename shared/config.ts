/**
 * Runtime configuration, read once from the environment. The CDK stack sets
 * these on every function (infra/routeFunction.ts); the local stack sets them on its
 * own process (infra/local/env.ts). Names live here only.
 */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  rootOrgId: 'ROOT_ORG_ID',
  /** The root org's Chinese name when it is created (SPEC §4.1; default 总工会). */
  rootOrgName: 'ROOT_ORG_NAME',
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
  /** The identity provider's claim names (CDK context huzhu:jwt; Cognito's by default): the role, the org. */
  jwtRoleClaim: 'JWT_ROLE_CLAIM',
  jwtOrgClaim: 'JWT_ORG_CLAIM',
  /** `claim=value` an ID token carries and an access token does not (Cognito: token_use=id); `none` checks nothing. */
  jwtIdTokenClaim: 'JWT_ID_TOKEN_CLAIM',
  /** The console's address for `/` to lead to (the CloudFront site in AWS; unset locally: /console/). */
  consoleUrl: 'CONSOLE_URL',
} as const;

/** SPEC §4.1: the root org is 总工会 unless configured otherwise; its name heads every report a clerk reads. */
export const DEFAULT_ROOT_ORG_NAME = '总工会';

/**
 * Why a configured root name cannot be used (the free-text rule of SPEC §3, as for any org name:
 * 1..100 visible characters), or undefined. The CDK app and the local stack refuse to start on it.
 */
export const rootOrgNameProblem = (name: string): string | undefined => {
  const t = name.trim();
  if (t.length === 0 || t.length > 100) return 'the root org name must be 1 to 100 characters';
  if (!/^[^\p{Cc}\p{Cf}]*$/u.test(t)) return 'the root org name must not contain control, zero-width or text-direction characters';
  return undefined;
};

/** Cognito's: custom attributes of an ID token. Plain `role`/`org` claims are never read unless configured. */
export const COGNITO_CLAIMS = { role: 'custom:role', org: 'custom:org', idToken: 'token_use=id' } as const;

export interface AppConfig {
  tableName: string;
  bucketName: string;
  rootOrgId: string;
  /** The name the root org is created with; read by the local bootstrap (the CDK stack hands it to its custom resource). */
  rootOrgName?: string;
  region: string;
  dynamoEndpoint?: string;
  s3Endpoint?: string;
  hmacSecretArn?: string;
  kmsKeyId?: string;
  cursorSecretArn?: string;
  localSecretsDir?: string;
  /** Which claims name the caller's role and org, and which marks an ID token (COGNITO_CLAIMS by default). */
  jwtClaims?: { role: string; org: string; idToken: string };
}

const opt = (name: string): string | undefined => {
  const v = process.env[name];
  return v === undefined || v === '' ? undefined : v;
};

export const loadConfig = (): AppConfig => ({
  tableName: opt(ENV.tableName) ?? 'huzhu',
  bucketName: opt(ENV.bucketName) ?? 'huzhu-local',
  rootOrgId: opt(ENV.rootOrgId) ?? 'root',
  rootOrgName: opt(ENV.rootOrgName)?.trim() || DEFAULT_ROOT_ORG_NAME,
  region: opt(ENV.region) ?? 'us-east-1',
  dynamoEndpoint: opt(ENV.dynamoEndpoint),
  s3Endpoint: opt(ENV.s3Endpoint),
  hmacSecretArn: opt(ENV.hmacSecretArn),
  kmsKeyId: opt(ENV.kmsKeyId),
  cursorSecretArn: opt(ENV.cursorSecretArn),
  localSecretsDir: opt(ENV.localSecretsDir),
  jwtClaims: {
    role: opt(ENV.jwtRoleClaim) ?? COGNITO_CLAIMS.role,
    org: opt(ENV.jwtOrgClaim) ?? COGNITO_CLAIMS.org,
    idToken: opt(ENV.jwtIdTokenClaim) ?? COGNITO_CLAIMS.idToken,
  },
});
