import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Personal data at rest (SPEC §3): uniqueness by a keyed hash (HMAC-SHA256)
 * of the canonical ID number; the full number, name and phone encrypted with
 * AES-256-GCM under a data key. Where keys come from is the KeySource's
 * business (local files or Secrets Manager + KMS), not the vault's.
 */
export interface DataKey {
  /** 32 bytes. */
  plaintext: Buffer;
  /** The data key as the key service encrypted it (stored with each blob); null for local keys. */
  encrypted: string | null;
}

export interface KeySource {
  hmacKey(): Promise<Buffer>;
  /** The data key new blobs are encrypted with. */
  currentDataKey(): Promise<DataKey>;
  /** Recovers the data key a stored blob names. */
  dataKeyFor(encrypted: string | null): Promise<Buffer>;
}

/** Stored form: version, encrypted data key (if any), iv, ciphertext+tag — all base64. */
export interface SealedBlob {
  v: 1;
  k: string | null;
  iv: string;
  ct: string;
}

export interface PiiVault {
  /** Stable, keyed, one-way: equal inputs give equal outputs, nothing else can be learned. */
  personKey(canonicalIdNumber: string): Promise<string>;
  /**
   * The enrolment id of a person in a plan: keyed and one-way like personKey,
   * 26 Crockford base32 characters. Deterministic, so the enrolment item's
   * own key is what keeps a person to one enrolment per plan.
   */
  enrolmentId(canonicalIdNumber: string, planId: string): Promise<string>;
  seal(value: unknown): Promise<SealedBlob>;
  open<T>(blob: SealedBlob): Promise<T>;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The first `length` base32 digits (5 bits each) of `bytes`. */
const crockford = (bytes: Buffer, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i++) {
    const bit = i * 5;
    const byte = bit >> 3;
    const word = ((bytes[byte] ?? 0) << 8) | (bytes[byte + 1] ?? 0);
    out += CROCKFORD[(word >> (11 - (bit & 7))) & 31];
  }
  return out;
};

export const makeVault = (keys: KeySource): PiiVault => {
  let hmacKey: Promise<Buffer> | undefined;
  return {
    async personKey(id) {
      hmacKey ??= keys.hmacKey();
      return createHmac('sha256', await hmacKey)
        .update(`resident-id:${id}`, 'utf8')
        .digest('base64url');
    },
    async enrolmentId(id, planId) {
      hmacKey ??= keys.hmacKey();
      const mac = createHmac('sha256', await hmacKey)
        .update(`enrolment:${planId}:${id}`, 'utf8')
        .digest();
      return crockford(mac, 26);
    },
    async seal(value) {
      const key = await keys.currentDataKey();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
      const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return { v: 1, k: key.encrypted, iv: iv.toString('base64'), ct: ct.toString('base64') };
    },
    async open<T>(blob: SealedBlob): Promise<T> {
      const key = await keys.dataKeyFor(blob.k);
      const raw = Buffer.from(blob.ct, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(blob.iv, 'base64'));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      const plain = Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]);
      return JSON.parse(plain.toString('utf8')) as T;
    },
  };
};
