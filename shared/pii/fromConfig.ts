import { join } from 'node:path';
import type { AppConfig } from '../config';
import { awsKeySource } from './awsKeys';
import { localKeySource } from './localKeys';
import { makeVault, type KeySource, type PiiVault } from './vault';

/** AWS keys when the stack configured them; local keys (under HUZHU_LOCAL_DIR) otherwise. */
export const piiVaultFor = (config: AppConfig): PiiVault => {
  let source: KeySource | undefined;
  const keys = (): KeySource => {
    if (source) return source;
    if (config.hmacSecretArn && config.kmsKeyId) {
      source = awsKeySource({ region: config.region, hmacSecretArn: config.hmacSecretArn, kmsKeyId: config.kmsKeyId });
    } else if (config.localSecretsDir) {
      source = localKeySource(join(config.localSecretsDir, 'secrets.json'));
    } else {
      throw new Error('No personal-data keys configured (HMAC_SECRET_ARN + PII_KMS_KEY_ID, or HUZHU_LOCAL_DIR locally)');
    }
    return source;
  };
  // Resolve the source lazily: building deps must not need keys.
  return makeVault({
    hmacKey: () => keys().hmacKey(),
    currentDataKey: () => keys().currentDataKey(),
    dataKeyFor: (k) => keys().dataKeyFor(k),
  });
};
