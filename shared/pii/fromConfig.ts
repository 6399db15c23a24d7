import { KMSClient } from '@aws-sdk/client-kms';
import { join } from 'node:path';
import type { AppConfig } from '../config';
import type { SecretReader } from '../secrets';
import { awsKeySource } from './awsKeys';
import { localKeySource } from './localKeys';
import { type KeySource, makeVault, type PiiVault } from './vault';

/** AWS keys when the stack configured a KMS key; local keys (under HUZHU_LOCAL_DIR) otherwise. */
export const piiVaultFor = (config: AppConfig, secrets: SecretReader): PiiVault => {
  let source: KeySource | undefined;
  const keys = (): KeySource => {
    if (source) return source;
    if (config.kmsKeyId) {
      const kms = new KMSClient({ region: config.region, maxAttempts: 3 });
      source = awsKeySource({ kmsKeyId: config.kmsKeyId, hmacKey: () => secrets('idNumberHmac') }, kms);
    } else if (config.localSecretsDir) {
      source = localKeySource(join(config.localSecretsDir, 'secrets.json'));
    } else {
      throw new Error('No personal-data keys configured (PII_KMS_KEY_ID in AWS, or HUZHU_LOCAL_DIR locally)');
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
