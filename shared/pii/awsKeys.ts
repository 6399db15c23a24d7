import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { memoizeSuccess, memoizeSuccessBy } from '../cache';
import type { KeySource } from './vault';

/**
 * AWS keys for personal data: envelope encryption under a KMS key. One data
 * key is made per cold start (each blob stores it wrapped); unwrapped keys are
 * cached for the life of the container. Only successes are cached, so one
 * throttled KMS call does not break every later request. The encryption
 * context ties every data key to this use: a wrapped key lifted from Huzhu
 * cannot be unwrapped by a caller that does not name the same purpose.
 */
export const KMS_ENCRYPTION_CONTEXT = { app: 'huzhu', purpose: 'personal-data' } as const;

export const awsKeySource = (opts: { kmsKeyId: string; hmacKey: () => Promise<Buffer> }, kms: Pick<KMSClient, 'send'>): KeySource => {
  const opened = new Map<string, Buffer>();
  const currentDataKey = memoizeSuccess(async () => {
    const r = await kms.send(
      new GenerateDataKeyCommand({ KeyId: opts.kmsKeyId, KeySpec: 'AES_256', EncryptionContext: { ...KMS_ENCRYPTION_CONTEXT } }),
    );
    if (!r.Plaintext || !r.CiphertextBlob) throw new Error('KMS returned no data key');
    const encrypted = Buffer.from(r.CiphertextBlob).toString('base64');
    const plaintext = Buffer.from(r.Plaintext);
    opened.set(encrypted, plaintext);
    return { plaintext, encrypted };
  });
  const unwrap = memoizeSuccessBy(async (encrypted: string) => {
    const known = opened.get(encrypted);
    if (known) return known;
    const r = await kms.send(
      new DecryptCommand({
        CiphertextBlob: Buffer.from(encrypted, 'base64'),
        KeyId: opts.kmsKeyId,
        EncryptionContext: { ...KMS_ENCRYPTION_CONTEXT },
      }),
    );
    if (!r.Plaintext) throw new Error('KMS could not decrypt the data key');
    return Buffer.from(r.Plaintext);
  });
  return {
    hmacKey: opts.hmacKey,
    currentDataKey,
    dataKeyFor: (encrypted) => (encrypted === null ? Promise.reject(new Error('blob has no encrypted data key')) : unwrap(encrypted)),
  };
};
