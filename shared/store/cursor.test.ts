import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cursorCodec } from './cursor';
import { BadCursor } from './errors';

const codec = (key = randomBytes(32)) => cursorCodec(async () => key);
const scope = JSON.stringify(['gsi1', 'UNIT#u1#ENR', 'p1#']);

describe('cursors', () => {
  it('round-trip any LastEvaluatedKey for the list that issued them', async () => {
    const c = codec();
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.string({ maxLength: 60 }), async (pk, sk) => {
        const key = { pk, sk, gsi1pk: 'UNIT#u1#ENR', gsi1sk: `p1#${sk}` };
        expect(await c.decode((await c.encode(key, scope))!, scope)).toEqual(key);
      }),
    );
  });

  it('null when there is no next page, undefined when no cursor was given', async () => {
    const c = codec();
    expect(await c.encode(undefined, scope)).toBeNull();
    expect(await c.decode(undefined, scope)).toBeUndefined();
  });

  it('refuse a cursor carried to another list, signed with another key, edited, or junk', async () => {
    const c = codec();
    const good = (await c.encode({ pk: 'ENR#A', sk: 'ENR', gsi1pk: 'UNIT#u1#ENR', gsi1sk: 'p1#A' }, scope))!;
    const [payload, tag] = good.split('.') as [string, string];
    // Same well-typed key, but for the unit next door: the MAC covers the payload.
    const forgedPayload = Buffer.from(JSON.stringify({ pk: 'ENR#A', sk: 'ENR', gsi1pk: 'UNIT#u2#ENR', gsi1sk: 'p1#A' })).toString(
      'base64url',
    );
    const otherKey = (await codec().encode({ pk: 'x', sk: 'y' }, scope))!;
    const cases = [
      `${forgedPayload}.${tag}`,
      `${payload}.${tag.slice(0, -2)}AA`,
      otherKey,
      'not a cursor',
      `${payload}`,
      `${payload}.${tag}.x`,
      Buffer.from('[]').toString('base64url'),
    ];
    for (const bad of cases) await expect(c.decode(bad, scope), bad).rejects.toBeInstanceOf(BadCursor);
    await expect(c.decode(good, JSON.stringify(['gsi1', 'UNIT#u2#ENR', 'p1#']))).rejects.toBeInstanceOf(BadCursor);
    expect(await c.decode(good, scope)).toEqual({ pk: 'ENR#A', sk: 'ENR', gsi1pk: 'UNIT#u1#ENR', gsi1sk: 'p1#A' });
  });
});
