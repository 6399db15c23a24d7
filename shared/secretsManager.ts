import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretArns, SecretReader, SecretsManagerFactory } from './secrets';

/**
 * Secrets from Secrets Manager, read through Powertools Parameters, which
 * caches a value once fetched and never caches a failure. Only the functions
 * that may read a secret import this (see SecretsManagerFactory).
 */

/** The secrets never rotate by themselves (see infra/data.ts), so a long cache is safe. */
const MAX_AGE_SECONDS = 3600;

export const awsSecrets = (arns: SecretArns, client: SecretsManagerClient): SecretReader => {
  const provider = new SecretsProvider({ awsSdkV3Client: client });
  return async (name) => {
    const arn = arns[name];
    if (!arn) throw new Error(`This function has no access to the ${name} secret`);
    const value = await provider.get(arn, { maxAge: MAX_AGE_SECONDS });
    if (typeof value !== 'string' || value === '') throw new Error(`Secret ${name} is empty`);
    return Buffer.from(value, 'utf8');
  };
};

export const secretsManager: SecretsManagerFactory = (arns, region) =>
  awsSecrets(arns, new SecretsManagerClient({ region, maxAttempts: 3 }));
