import { join } from 'node:path';
import type { AppConfig } from './config';
import { localSecrets } from './pii/localKeys';

/**
 * The application's two HMAC secrets: the ID-number uniqueness key (only
 * functions that enrol get it) and the cursor-signing key (only functions that
 * list get it). In AWS each is a Secrets Manager secret (./secretsManager.ts);
 * locally both live in .local/secrets.json.
 */
export type SecretName = 'idNumberHmac' | 'cursorHmac';
export type SecretReader = (name: SecretName) => Promise<Buffer>;
export type SecretArns = Partial<Record<SecretName, string>>;

/**
 * Reads secrets from Secrets Manager. Passed in by the functions whose route
 * grants a secret (`httpHandler(…, { secrets: secretsManager })`), so the
 * others never bundle the Secrets Manager client (≈ 1.5 ms of cold start).
 */
export type SecretsManagerFactory = (arns: SecretArns, region: string) => SecretReader;

const none =
  (why: string): SecretReader =>
  async (name) => {
    throw new Error(`No ${name} secret: ${why}`);
  };

export const secretsFor = (config: AppConfig, secretsManager?: SecretsManagerFactory): SecretReader => {
  if (config.hmacSecretArn || config.cursorSecretArn) {
    if (!secretsManager) return none('this function reads no secret (its route grants none)');
    return secretsManager({ idNumberHmac: config.hmacSecretArn, cursorHmac: config.cursorSecretArn }, config.region);
  }
  if (config.localSecretsDir) {
    const file = join(config.localSecretsDir, 'secrets.json');
    return async (name) => (name === 'idNumberHmac' ? localSecrets(file).hmacKey : localSecrets(file).cursorKey);
  }
  return none('its ARN in AWS, HUZHU_LOCAL_DIR locally');
};
