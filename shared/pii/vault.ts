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

/** Stored form: version, encrypted data key (if any), iv, ciphertext+tag — all base64. v2 binds the blob to its item (AAD). */
export interface SealedBlob {
  v: 2;
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
  /**
   * Encrypts `value` bound to `boundTo` (the id of the item that holds it, as
   * AES-GCM additional authenticated data): a blob copied onto another item
   * does not open there.
   */
  seal(value: unknown, boundTo: string): Promise<SealedBlob>;
  open<T>(blob: SealedBlob, boundTo: string): Promise<T>;
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

const aad = (boundTo: string) => Buffer.from(`huzhu-pii:v2:${boundTo}`, 'utf8');

/**
 * The HMAC key is read per call: the key source caches it once fetched (and
 * never caches a failure), so a throttled fetch fails one request, not the container.
 */
export const makeVault = (keys: KeySource): PiiVault => ({
  async personKey(id) {
    return createHmac('sha256', await keys.hmacKey())
      .update(`resident-id:${id}`, 'utf8')
      .digest('base64url');
  },
  async enrolmentId(id, planId) {
    const mac = createHmac('sha256', await keys.hmacKey())
      .update(`enrolment:${planId}:${id}`, 'utf8')
      .digest();
    return crockford(mac, 26);
  },
  async seal(value, boundTo) {
    const key = await keys.currentDataKey();
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key.plaintext, iv);
    cipher.setAAD(aad(boundTo));
    const ct = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return { v: 2, k: key.encrypted, iv: iv.toString('base64'), ct: ct.toString('base64') };
  },
  async open<T>(blob: SealedBlob, boundTo: string): Promise<T> {
    if (blob.v !== 2) throw new Error('unsupported sealed blob version');
    const key = await keys.dataKeyFor(blob.k);
    const raw = Buffer.from(blob.ct, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(blob.iv, 'base64'));
    decipher.setAAD(aad(boundTo));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as T;
  },
});
