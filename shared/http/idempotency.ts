import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * Idempotency-Key (SPEC §3) with Powertools, records kept in the single table
 * (pk = IDEMPOTENCY#<route>, sk = hash of caller + path + key).
 *
 * We wrap the business function with `makeIdempotent` rather than using the
 * middy middleware: the middleware's onError deletes the stored record even
 * when the error was "same key, different body", which would let a third
 * retry run the request twice.
 */
export interface IdempotencyPayload {
  /** null when the request carries no Idempotency-Key: Powertools then skips. */
  key: [string, string, string, string] | null;
  /** What must match for a replay: the query string (e.g. ?planId= of a CSV roster) and the body. */
  request: { query: string; body: unknown };
}

export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

export const idempotencyPayload = (
  sub: string | undefined,
  method: string,
  rawPath: string,
  rawQuery: string,
  header: string | undefined,
  body: unknown,
): IdempotencyPayload => ({
  key: header ? [sub ?? 'anonymous', method, rawPath, header] : null,
  request: { query: [...new URLSearchParams(rawQuery)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).join('&'), body: body ?? null },
});

/**
 * A reply as the idempotency record stores it: the body as the exact text
 * first sent (a DynamoDB map would come back with its fields in another
 * order), gzipped when large (a 5,000-row roster answer can pass the 400 KB
 * item limit as JSON).
 */
export interface StoredReply {
  status: number;
  headers?: Record<string, string>;
  text?: string;
  gz?: string;
}

const GZIP_ABOVE_BYTES = 64 * 1024;

export const packReply = (r: { status: number; text: string; headers?: Record<string, string> }): StoredReply => {
  const base = { status: r.status, ...(r.headers ? { headers: r.headers } : {}) };
  return r.text.length < GZIP_ABOVE_BYTES ? { ...base, text: r.text } : { ...base, gz: gzipSync(r.text).toString('base64') };
};

export const unpackReply = (s: StoredReply): { status: number; text: string; headers?: Record<string, string> } => ({
  status: s.status,
  text: s.gz === undefined ? (s.text ?? '') : gunzipSync(Buffer.from(s.gz, 'base64')).toString('utf8'),
  ...(s.headers ? { headers: s.headers } : {}),
});
