import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { DataKey, KeySource } from './vault';

/**
 * AWS keys: the HMAC key from Secrets Manager, a data key from KMS made once
 * per cold start (envelope encryption: each blob stores the encrypted data
 * key; decrypted data keys are cached for the life of the container).
 */
/** The two calls each client makes; tests pass stand-ins. */
export interface AwsKeyClients {
  kms: Pick<KMSClient, 'send'>;
  sm: Pick<SecretsManagerClient, 'send'>;
}

export const awsKeySource = (
  opts: { region: string; hmacSecretArn: string; kmsKeyId: string },
  clients: AwsKeyClients = { kms: new KMSClient({ region: opts.region }), sm: new SecretsManagerClient({ region: opts.region }) },
): KeySource => {
  const { kms, sm } = clients;
  let current: Promise<DataKey> | undefined;
  const opened = new Map<string, Promise<Buffer>>();
  return {
    async hmacKey() {
      const r = await sm.send(new GetSecretValueCommand({ SecretId: opts.hmacSecretArn }));
      if (!r.SecretString) throw new Error('HMAC secret is empty');
      return Buffer.from(r.SecretString, 'utf8');
    },
    currentDataKey() {
      current ??= kms.send(new GenerateDataKeyCommand({ KeyId: opts.kmsKeyId, KeySpec: 'AES_256' })).then((r) => {
        if (!r.Plaintext || !r.CiphertextBlob) throw new Error('KMS returned no data key');
        const encrypted = Buffer.from(r.CiphertextBlob).toString('base64');
        const plaintext = Buffer.from(r.Plaintext);
        opened.set(encrypted, Promise.resolve(plaintext));
        return { plaintext, encrypted };
      });
      return current;
    },
    dataKeyFor(encrypted) {
      if (encrypted === null) return Promise.reject(new Error('blob has no encrypted data key'));
      let k = opened.get(encrypted);
      if (!k) {
        k = kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(encrypted, 'base64'), KeyId: opts.kmsKeyId })).then((r) => {
          if (!r.Plaintext) throw new Error('KMS could not decrypt the data key');
          return Buffer.from(r.Plaintext);
        });
        opened.set(encrypted, k);
      }
      return k;
    },
  };
};
