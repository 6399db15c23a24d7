import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { join } from 'node:path';
import type { AppConfig } from './config';
import { localSecrets } from './pii/localKeys';

/**
 * The application's two HMAC secrets: the ID-number uniqueness key (only
 * functions that enrol get it) and the cursor-signing key (only functions that
 * list get it). In AWS each is a Secrets Manager secret read through Powertools
 * Parameters, which caches a value once fetched and never caches a failure;
 * locally both live in .local/secrets.json.
 */
export type SecretName = 'idNumberHmac' | 'cursorHmac';
export type SecretReader = (name: SecretName) => Promise<Buffer>;

/** The secrets never rotate by themselves (see infra/data.ts), so a long cache is safe. */
const MAX_AGE_SECONDS = 3600;

export const awsSecrets = (arns: Partial<Record<SecretName, string>>, client: SecretsManagerClient): SecretReader => {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async (name) => {
    const arn = arns[name];
    if (!arn) throw new Error(`This function has no access to the ${name} secret`);
    const value = await provider.get(arn, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty`);
    return Buffer.from(value, 'utf8');
  };
};

export const secretsFor = (config: AppConfig): SecretReader => {
  if (config.hmacSecretArn || config.cursorSecretArn) {
    const arns = { idNumberHmac: config.hmacSecretArn, cursorHmac: config.cursorSecretArn };
    return awsSecrets(arns, new SecretsManagerClient({ region: config.region, maxAttempts: 3 }));
  }
  if (config.localSecretsDir) {
    const file = join(config.localSecretsDir, 'secrets.json');
    return async (name) => (name === 'idNumberHmac' ? localSecrets(file).hmacKey : localSecrets(file).cursorKey);
  }
  return async (name) => {
    throw new Error(`No ${name} secret configured (its ARN in AWS, HUZHU_LOCAL_DIR locally)`);
  };
};
