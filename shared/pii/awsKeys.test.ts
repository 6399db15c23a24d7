import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { awsSecrets } from '../secretsManager';
import { awsKeySource, KMS_ENCRYPTION_CONTEXT } from './awsKeys';
import { makeVault } from './vault';

/** A stand-in KMS: wraps data keys with its own master key bound to the encryption context, counts calls, can throttle. */
const fakeKms = () => {
  const master = randomBytes(32);
  const calls = { generate: 0, decrypt: 0 };
  let throttleNext = 0;
  const wrap = (key: Buffer, context: unknown) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv);
    c.setAAD(Buffer.from(JSON.stringify(context)));
    return Buffer.concat([iv, c.update(key), c.final(), c.getAuthTag()]);
  };
  const unwrap = (blob: Uint8Array, context: unknown) => {
    const b = Buffer.from(blob);
    const d = createDecipheriv('aes-256-gcm', master, b.subarray(0, 12));
    d.setAAD(Buffer.from(JSON.stringify(context)));
    d.setAuthTag(b.subarray(b.length - 16));
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
  };
  const kms = {
    send: async (cmd: unknown) => {
      if (throttleNext > 0) {
        throttleNext--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      if (cmd instanceof GenerateDataKeyCommand) {
        calls.generate++;
        expect(cmd.input).toMatchObject({ KeyId: 'key-arn', KeySpec: 'AES_256' });
        const key = randomBytes(32);
        return { Plaintext: new Uint8Array(key), CiphertextBlob: new Uint8Array(wrap(key, cmd.input.EncryptionContext)) };
      }
      if (cmd instanceof DecryptCommand) {
        calls.decrypt++;
        return { Plaintext: new Uint8Array(unwrap(cmd.input.CiphertextBlob!, cmd.input.EncryptionContext)) };
      }
      throw new Error('unexpected KMS call');
    },
  };
  return { kms, calls, throttle: (n: number) => (throttleNext = n) };
};

/**
 * A real Secrets Manager client whose requests never leave the process: a
 * middleware at the front of its stack answers (or throttles) instead.
 */
const fakeSecretsManager = () => {
  const client = new SecretsManagerClient({ region: 'cn-north-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const state = { calls: 0, throttleNext: 0 };
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as { SecretId?: string };
      state.calls++;
      if (state.throttleNext > 0) {
        state.throttleNext--;
        throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      }
      expect(input.SecretId).toBe('secret-arn');
      return {
        output: { SecretString: 'a-64-character-generated-secret-string-from-secrets-manager-xxxx', $metadata: {} },
        response: {},
      } as never;
    },
    { step: 'initialize', name: 'fakeSecretsManager' },
  );
  return { client, state };
};

const vaultWith = (kms: ReturnType<typeof fakeKms>, sm: ReturnType<typeof fakeSecretsManager>) => {
  const secrets = awsSecrets({ idNumberHmac: 'secret-arn' }, sm.client);
  return makeVault(awsKeySource({ kmsKeyId: 'key-arn', hmacKey: () => secrets('idNumberHmac') }, kms.kms));
};

describe('AWS key source (envelope encryption)', () => {
  it('makes one data key per cold start, stores it wrapped, and reopens blobs after a cold start', async () => {
    const kms = fakeKms();
    const sm = fakeSecretsManager();
    const first = vaultWith(kms, sm);
    const blobs = await Promise.all(Array.from({ length: 20 }, (_, i) => first.seal({ idNumber: `id-${i}` }, `E${i}`)));
    expect(kms.calls.generate).toBe(1);
    expect(blobs[0]!.k).toEqual(expect.any(String));
    expect(new Set(blobs.map((b) => b.k)).size).toBe(1);
    // Same container: the data key is known, no Decrypt needed.
    expect(await first.open(blobs[3]!, 'E3')).toEqual({ idNumber: 'id-3' });
    expect(kms.calls.decrypt).toBe(0);
    // A new container: one Decrypt for the stored data key, then cached.
    const second = vaultWith(kms, sm);
    for (const [i, b] of blobs.entries()) expect(await second.open(b, `E${i}`)).toEqual({ idNumber: `id-${i}` });
    expect(kms.calls.decrypt).toBe(1);
  });

  it('binds data keys to the Huzhu encryption context', async () => {
    const kms = fakeKms();
    const v = vaultWith(kms, fakeSecretsManager());
    const blob = await v.seal({ a: 1 }, 'E');
    await expect(
      kms.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(blob.k!, 'base64'), EncryptionContext: { app: 'other' } })),
    ).rejects.toThrow();
    const ok = await kms.kms.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(blob.k!, 'base64'), EncryptionContext: { ...KMS_ENCRYPTION_CONTEXT } }),
    );
    expect(ok.Plaintext).toHaveLength(32);
  });

  it('takes the HMAC key from Secrets Manager once, and refuses blobs without a wrapped key', async () => {
    const sm = fakeSecretsManager();
    const v = vaultWith(fakeKms(), sm);
    const a = await v.personKey('11010519491231002X');
    expect(await v.personKey('11010519491231002X')).toBe(a);
    await v.enrolmentId('11010519491231002X', 'p');
    expect(sm.state.calls).toBe(1);
    await expect(v.open({ v: 2, k: null, iv: '', ct: '' }, 'E')).rejects.toThrow(/no encrypted data key/);
  });

  it('a throttled KMS or Secrets Manager call fails that request only: the next one fetches again', async () => {
    const kms = fakeKms();
    const sm = fakeSecretsManager();
    const v = vaultWith(kms, sm);
    kms.throttle(1);
    await expect(v.seal({ a: 1 }, 'E')).rejects.toThrow(/Rate exceeded/);
    expect(await v.open(await v.seal({ a: 1 }, 'E'), 'E')).toEqual({ a: 1 });
    sm.state.throttleNext = 10; // more than the SDK's own 3 attempts
    await expect(v.personKey('11010519491231002X')).rejects.toThrow();
    sm.state.throttleNext = 0;
    expect(await v.personKey('11010519491231002X')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // A new container whose first Decrypt is throttled recovers too.
    const blob = await v.seal({ b: 2 }, 'F');
    const cold = vaultWith(kms, sm);
    kms.throttle(1);
    await expect(cold.open(blob, 'F')).rejects.toThrow(/Rate exceeded/);
    expect(await cold.open(blob, 'F')).toEqual({ b: 2 });
  });
});
