import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeySource } from './vault';

/**
 * Local keys: an HMAC key and a data key in `<dir>/secrets.json` (git-ignored
 * .local/), made on first use. Stands in for Secrets Manager + KMS.
 */
export const localKeySource = (file: string): KeySource => {
  let cached: { hmacKey: Buffer; dataKey: Buffer } | undefined;
  const load = () => {
    if (cached) return cached;
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      const fresh = { hmacKey: randomBytes(32).toString('base64'), dataKey: randomBytes(32).toString('base64') };
      // wx: two processes starting at once must not overwrite each other's keys.
      try {
        writeFileSync(file, JSON.stringify(fresh), { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    const s = JSON.parse(readFileSync(file, 'utf8')) as { hmacKey: string; dataKey: string };
    cached = { hmacKey: Buffer.from(s.hmacKey, 'base64'), dataKey: Buffer.from(s.dataKey, 'base64') };
    return cached;
  };
  return {
    hmacKey: async () => load().hmacKey,
    currentDataKey: async () => ({ plaintext: load().dataKey, encrypted: null }),
    dataKeyFor: async (encrypted) => {
      if (encrypted !== null) throw new Error('blob was sealed with a KMS data key; local keys cannot open it');
      return load().dataKey;
    },
  };
};
