import { describe, expect, it } from 'vitest';
import { memoizeSuccess, memoizeSuccessBy } from './cache';

describe('memoizeSuccess', () => {
  it('shares one call in flight and keeps the value once it succeeded', async () => {
    let calls = 0;
    const get = memoizeSuccess(async () => ++calls);
    expect(await Promise.all([get(), get(), get()])).toEqual([1, 1, 1]);
    expect(await get()).toBe(1);
    expect(calls).toBe(1);
  });

  it('forgets a failure: the next caller tries again (a throttle must not break every later request)', async () => {
    let calls = 0;
    const get = memoizeSuccess(async () => {
      calls++;
      if (calls === 1) throw new Error('ThrottlingException');
      return 'key';
    });
    await expect(get()).rejects.toThrow('ThrottlingException');
    expect(await get()).toBe('key');
    expect(await get()).toBe('key');
    expect(calls).toBe(2);
  });

  it('per key: each key loaded once, failures retried per key', async () => {
    const seen: string[] = [];
    const get = memoizeSuccessBy(async (k: string) => {
      seen.push(k);
      if (k === 'bad' && seen.filter((s) => s === 'bad').length === 1) throw new Error('once');
      return k.toUpperCase();
    });
    expect(await get('a')).toBe('A');
    expect(await get('a')).toBe('A');
    await expect(get('bad')).rejects.toThrow('once');
    expect(await get('bad')).toBe('BAD');
    expect(seen).toEqual(['a', 'bad', 'bad']);
  });
});
