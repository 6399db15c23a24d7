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

/**
 * The personal-data vault for these deps, made on first use and kept with
 * them. Deps do not hold it, so functions that never see personal data do
 * not bundle the KMS client or the vault at all.
 */
const vaults = new WeakMap<AppConfig, PiiVault>();
export const piiOf = (deps: { config: AppConfig; secrets: SecretReader }): PiiVault => {
  let v = vaults.get(deps.config);
  if (!v) {
    v = piiVaultFor(deps.config, deps.secrets);
    vaults.set(deps.config, v);
  }
  return v;
};
