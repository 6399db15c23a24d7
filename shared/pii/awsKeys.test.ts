import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DecryptCommand, GenerateDataKeyCommand } from '@aws-sdk/client-kms';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { awsKeySource, type AwsKeyClients } from './awsKeys';
import { makeVault } from './vault';

/** A stand-in KMS: wraps data keys with its own master key, counts calls. */
const fakeAws = () => {
  const master = randomBytes(32);
  const calls = { generate: 0, decrypt: 0, secret: 0 };
  const wrap = (key: Buffer) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', master, iv);
    return Buffer.concat([iv, c.update(key), c.final(), c.getAuthTag()]);
  };
  const unwrap = (blob: Uint8Array) => {
    const b = Buffer.from(blob);
    const d = createDecipheriv('aes-256-gcm', master, b.subarray(0, 12));
    d.setAuthTag(b.subarray(b.length - 16));
    return Buffer.concat([d.update(b.subarray(12, b.length - 16)), d.final()]);
  };
  const clients = {
    kms: {
      send: async (cmd: unknown) => {
        if (cmd instanceof GenerateDataKeyCommand) {
          calls.generate++;
          expect(cmd.input).toMatchObject({ KeyId: 'key-arn', KeySpec: 'AES_256' });
          const key = randomBytes(32);
          return { Plaintext: new Uint8Array(key), CiphertextBlob: new Uint8Array(wrap(key)) };
        }
        if (cmd instanceof DecryptCommand) {
          calls.decrypt++;
          return { Plaintext: new Uint8Array(unwrap(cmd.input.CiphertextBlob!)) };
        }
        throw new Error('unexpected KMS call');
      },
    },
    sm: {
      send: async (cmd: unknown) => {
        if (!(cmd instanceof GetSecretValueCommand)) throw new Error('unexpected Secrets Manager call');
        calls.secret++;
        expect(cmd.input.SecretId).toBe('secret-arn');
        return { SecretString: 'a-64-character-generated-secret-string-from-secrets-manager-xxxx' };
      },
    },
  } as unknown as AwsKeyClients;
  return { clients, calls };
};

const opts = { region: 'cn-north-1', hmacSecretArn: 'secret-arn', kmsKeyId: 'key-arn' };

describe('AWS key source (envelope encryption)', () => {
  it('makes one data key per cold start, stores it wrapped, and reopens blobs after a cold start', async () => {
    const aws = fakeAws();
    const first = makeVault(awsKeySource(opts, aws.clients));
    const blobs = await Promise.all(Array.from({ length: 20 }, (_, i) => first.seal({ idNumber: `id-${i}` })));
    expect(aws.calls.generate).toBe(1);
    expect(blobs[0]!.k).toEqual(expect.any(String));
    expect(new Set(blobs.map((b) => b.k)).size).toBe(1);
    // Same container: the data key is known, no Decrypt needed.
    expect(await first.open(blobs[3]!)).toEqual({ idNumber: 'id-3' });
    expect(aws.calls.decrypt).toBe(0);
    // A new container: one Decrypt for the stored data key, then cached.
    const second = makeVault(awsKeySource(opts, aws.clients));
    for (const [i, b] of blobs.entries()) expect(await second.open(b)).toEqual({ idNumber: `id-${i}` });
    expect(aws.calls.decrypt).toBe(1);
  });

  it('takes the HMAC key from Secrets Manager once, and refuses blobs without a wrapped key', async () => {
    const aws = fakeAws();
    const v = makeVault(awsKeySource(opts, aws.clients));
    const a = await v.personKey('11010519491231002X');
    expect(await v.personKey('11010519491231002X')).toBe(a);
    await v.enrolmentId('11010519491231002X', 'p');
    expect(aws.calls.secret).toBe(1);
    await expect(v.open({ v: 1, k: null, iv: '', ct: '' })).rejects.toThrow(/no encrypted data key/);
  });
});
