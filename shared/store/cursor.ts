import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadCursor } from './errors';

/**
 * Opaque, tamper-proof list cursors. A cursor is the query's LastEvaluatedKey
 * (base64url JSON) and an HMAC over it *and the list it belongs to* (index,
 * partition, sort prefix, filters). A cursor edited by hand, made up, or
 * carried from one list to another fails the MAC and is refused (BadCursor →
 * 400) before anything reaches DynamoDB as an ExclusiveStartKey.
 */
export type StartKey = Record<string, string>;

export interface CursorCodec {
  encode(lastKey: Record<string, unknown> | undefined, scope: string): Promise<string | null>;
  /** undefined when no cursor was given; BadCursor for anything this list did not issue. */
  decode(cursor: string | undefined, scope: string): Promise<StartKey | undefined>;
  /** Any JSON position (a merged list's), signed the same way; the caller checks its shape. */
  seal(position: unknown, scope: string): Promise<string>;
  /** The position sealed for this list; BadCursor for anything else. */
  open(cursor: string, scope: string): Promise<unknown>;
}

const MAC_BYTES = 16;
const MAX_KEY_VALUE = 1024;

export const cursorCodec = (secret: () => Promise<Buffer>): CursorCodec => {
  const mac = async (scope: string, payload: string) =>
    createHmac('sha256', await secret())
      .update(`huzhu-cursor:v1\n${scope}\n${payload}`, 'utf8')
      .digest()
      .subarray(0, MAC_BYTES);

  const seal = async (position: unknown, scope: string) => {
    const payload = Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
    return `${payload}.${(await mac(scope, payload)).toString('base64url')}`;
  };
  const open = async (cursor: string, scope: string): Promise<unknown> => {
    const [payload, tag, extra] = cursor.split('.');
    if (!payload || !tag || extra !== undefined) throw new BadCursor();
    const given = Buffer.from(tag, 'base64url');
    const expected = await mac(scope, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new BadCursor();
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch (e) {
      throw new BadCursor({ cause: e });
    }
  };

  return {
    seal,
    open,
    async encode(lastKey, scope) {
      if (!lastKey) return null;
      return seal(lastKey, scope);
    },
    async decode(cursor, scope) {
      if (cursor === undefined) return undefined;
      const key = await open(cursor, scope);
      // Only we sign cursors, so this holds unless the signing key leaked; checked anyway.
      if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new BadCursor();
      const values = Object.values(key);
      if (values.length < 2 || values.length > 4 || !values.every((v) => typeof v === 'string' && v.length <= MAX_KEY_VALUE)) {
        throw new BadCursor();
      }
      return key as StartKey;
    },
  };
};
