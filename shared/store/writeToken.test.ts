import { DynamoDBClient, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { withRetries } from './retry';
import { addWriteTokens } from './writeToken';

/** A client that never reaches a network: it records each TransactWriteItems' token and answers or fails as told. */
const recording = (fail: (n: number) => Error | undefined = () => undefined) => {
  const client = new DynamoDBClient({
    region: 'local',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  addWriteTokens(client);
  const tokens: (string | undefined)[] = [];
  client.middlewareStack.add(
    () => async (args) => {
      tokens.push((args.input as { ClientRequestToken?: string }).ClientRequestToken);
      const e = fail(tokens.length);
      if (e) throw e;
      return { output: { $metadata: {} } as never, response: {} };
    },
    { step: 'initialize', name: 'answer', priority: 'low' },
  );
  const send = (token?: string) =>
    client.send(new TransactWriteItemsCommand({ TransactItems: [], ...(token ? { ClientRequestToken: token } : {}) }));
  return { send, tokens };
};
const timeout = () => Object.assign(new Error('lost'), { name: 'TimeoutError' });

describe('ClientRequestToken per logical write', () => {
  it('is the same on every attempt of one withRetries, and differs between two', async () => {
    const c = recording((n) => (n <= 2 ? timeout() : undefined));
    await withRetries('w', () => c.send());
    await withRetries('w', () => c.send());
    expect(c.tokens).toHaveLength(4);
    expect(c.tokens[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(c.tokens.slice(0, 3)).toEqual([c.tokens[0], c.tokens[0], c.tokens[0]]);
    expect(c.tokens[3]).not.toBe(c.tokens[0]);
  });

  it('gives each transaction of an attempt its own token, the same again on the next attempt', async () => {
    const c = recording((n) => (n === 2 ? timeout() : undefined));
    await withRetries('w', async () => {
      await c.send();
      await c.send();
    });
    const [a1, b1, a2, b2] = c.tokens;
    expect(a1).not.toBe(b1);
    expect([a2, b2]).toEqual([a1, b1]);
    expect(c.tokens.every((t) => t !== undefined && t.length <= 36)).toBe(true);
  });

  it('outside withRetries: a fresh token per send; a token set by the caller is kept', async () => {
    const c = recording();
    await c.send();
    await c.send();
    await c.send('mine');
    expect(c.tokens[0]).not.toBe(c.tokens[1]);
    expect(c.tokens[2]).toBe('mine');
  });
});
