import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeySource } from './vault';

/** The local stand-ins for Secrets Manager and KMS, kept in one file under the git-ignored .local/. */
export interface LocalSecrets {
  /** HMAC key for ID-number uniqueness hashes (AWS: a Secrets Manager secret). */
  hmacKey: Buffer;
  /** The data key personal data is sealed with (AWS: KMS data keys). */
  dataKey: Buffer;
  /** HMAC key that signs list cursors (AWS: a second Secrets Manager secret). */
  cursorKey: Buffer;
}

const NAMES = ['hmacKey', 'dataKey', 'cursorKey'] as const;
const loaded = new Map<string, LocalSecrets>();

/** Reads `file`, adding any key it lacks (made once; two processes starting at once keep the first writer's keys). */
export const localSecrets = (file: string): LocalSecrets => {
  const hit = loaded.get(file);
  if (hit) return hit;
  mkdirSync(dirname(file), { recursive: true });
  const fresh = () =>
    Object.fromEntries(NAMES.map((n) => [n, randomBytes(32).toString('base64')])) as Record<(typeof NAMES)[number], string>;
  if (!existsSync(file)) {
    try {
      writeFileSync(file, JSON.stringify(fresh()), { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  let stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<(typeof NAMES)[number], string>>;
  if (NAMES.some((n) => !stored[n])) {
    // An older .local/ from before a key existed: add the missing ones, keep the rest.
    stored = { ...fresh(), ...stored };
    writeFileSync(file, JSON.stringify(stored), { mode: 0o600 });
  }
  const secrets = Object.fromEntries(NAMES.map((n) => [n, Buffer.from(stored[n]!, 'base64')])) as unknown as LocalSecrets;
  loaded.set(file, secrets);
  return secrets;
};

export const localKeySource = (file: string): KeySource => ({
  hmacKey: async () => localSecrets(file).hmacKey,
  currentDataKey: async () => ({ plaintext: localSecrets(file).dataKey, encrypted: null }),
  dataKeyFor: async (encrypted) => {
    if (encrypted !== null) throw new Error('blob was sealed with a KMS data key; local keys cannot open it');
    return localSecrets(file).dataKey;
  },
});
