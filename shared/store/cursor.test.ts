import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor';

const expectKey = { attribute: 'gsi1pk', value: 'UNIT#u1#ENR' };

describe('cursors', () => {
  it('round-trip a LastEvaluatedKey of the same partition', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), (pk, sk) => {
        const key = { pk, sk, gsi1pk: expectKey.value, gsi1sk: `p#${sk}` };
        expect(decodeCursor(encodeCursor(key)!, expectKey)).toEqual(key);
      }),
    );
  });
  it('null when there is no next page, undefined when no cursor was given', () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, expectKey)).toBeUndefined();
  });
  it('refuse cursors of another partition or plan, and junk, as 400', () => {
    const other = encodeCursor({ pk: 'x', sk: 'y', gsi1pk: 'UNIT#u2#ENR', gsi1sk: 'p#1' })!;
    const wrongPlan = encodeCursor({ pk: 'x', sk: 'y', gsi1pk: expectKey.value, gsi1sk: 'q#1' })!;
    for (const c of [other, 'not base64 json', encodeCursor({ gsi1pk: 1 } as never)!, Buffer.from('[]').toString('base64url')]) {
      expect(() => decodeCursor(c, expectKey)).toThrow(expect.objectContaining({ status: 400, code: 'VALIDATION_FAILED' }));
    }
    expect(() => decodeCursor(wrongPlan, { ...expectKey, sortAttribute: 'gsi1sk', sortPrefix: 'p#' })).toThrow(
      expect.objectContaining({ status: 400 }),
    );
  });
});
