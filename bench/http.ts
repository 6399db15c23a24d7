import { Agent, request } from 'node:http';

/** A keep-alive HTTP/1.1 client to the local gateway (127.0.0.1 only). */
export const makeClient = (baseUrl: string, maxSockets: number) => {
  const url = new URL(baseUrl);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') throw new Error(`refusing non-local target ${baseUrl}`);
  const agent = new Agent({ keepAlive: true, maxSockets });
  /** Requests sent again because the server had closed an idle keep-alive socket as they went out. */
  let staleSocketRetries = 0;
  const call = (
    method: string,
    path: string,
    token: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
    attempt = 0,
  ): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: Number(url.port),
          method,
          path,
          headers: {
            authorization: `Bearer ${token}`,
            ...extraHeaders,
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(60_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', (e: NodeJS.ErrnoException) => {
        // Node's documented keep-alive race: the server closed an idle socket just as this request reused it, so the
        // server never read the request. Sent once more on a fresh socket (POSTs here carry Idempotency-Keys anyway).
        if (req.reusedSocket && e.code === 'ECONNRESET' && attempt === 0) {
          staleSocketRetries++;
          resolve(call(method, path, token, body, extraHeaders, 1));
        } else reject(e);
      });
      req.end(payload);
    });
  const json = async <T = any>(method: string, path: string, token: string, body?: unknown, expect = 200): Promise<T> => {
    const r = await call(method, path, token, body);
    if (r.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${r.status}: ${r.text.slice(0, 300)}`);
    return JSON.parse(r.text) as T;
  };
  return { call, json, close: () => agent.destroy(), staleSocketRetries: () => staleSocketRetries };
};

export type Client = ReturnType<typeof makeClient>;
