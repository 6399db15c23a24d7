import { msg } from '../messages/catalogue';
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { TransactItem } from '../store/counters';
import type { IdempotencyRecord, IdempotencyRepo } from '../store/idempotency';
import { HttpProblem } from './problem';

/**
 * Idempotency-Key (SPEC §3), our own: the key's record is committed in the
 * same transaction as what the request creates (shared/store/idempotency.ts),
 * so a function that dies between its write and its answer leaves either
 * both or neither, and a retry either replays the first answer or runs as
 * the first time. A key belongs to the caller as sub, role and org together
 * (a user whose role or org changed holds other keys), and to the method and
 * path; the record holds a hash of the request (query and body) and the
 * first answer exactly as sent.
 *
 * The business function builds its answer before its final write and passes
 * `input.idempotency.record(answer)` (see `withRecord`) to the store creator,
 * which adds it to the creation's transaction. A creation spread over several
 * transactions (a roster's chunks) marks what it writes with `source` and
 * recognises it on a re-run; its record is then written last, alone.
 */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

/** An answer as sent: the body's exact JSON text. */
export interface Rendered {
  status: number;
  text: string;
  headers?: Record<string, string>;
}

/** What an idempotent request's business function may use (absent without an Idempotency-Key). */
export interface IdempotentRequest {
  /** The transaction item that records `reply` as this key's answer; a store creator adds it to its transaction. */
  record(reply: { status: number; body: unknown; headers?: Record<string, string> }): TransactItem;
  /** The same for every retry of this key and request: marks items it creates, so a re-run knows them as its own. */
  readonly source: string;
}

/** The extra transaction items of a creation: the key's record, when the request has a key. */
export const withRecord = (
  idem: IdempotentRequest | undefined,
  reply: { status: number; body: unknown; headers?: Record<string, string> },
): TransactItem[] => (idem ? [idem.record(reply)] : []);

export const render = (r: { status: number; body: unknown; headers?: Record<string, string> }): Rendered => ({
  status: r.status,
  text: JSON.stringify(r.body),
  ...(r.headers ? { headers: r.headers } : {}),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Whose key it is and where it was sent: the record's key. */
export const scopeHash = (caller: { sub: string; role: string; orgId: string } | null, method: string, rawPath: string, key: string) =>
  sha256(JSON.stringify([caller?.sub ?? '', caller?.role ?? '', caller?.orgId ?? '', method, rawPath, key]));

/** What a replay must match: the query string (order-insensitive, e.g. ?planId= of a CSV roster) and the body. */
export const requestHash = (rawQuery: string, body: unknown) => {
  const query = [...new URLSearchParams(rawQuery)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256(JSON.stringify([query, body ?? null]));
};

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

export const packReply = (r: Rendered): StoredReply => {
  const base = { status: r.status, ...(r.headers ? { headers: r.headers } : {}) };
  return r.text.length < GZIP_ABOVE_BYTES ? { ...base, text: r.text } : { ...base, gz: gzipSync(r.text).toString('base64') };
};

export const unpackReply = (s: StoredReply): Rendered => ({
  status: s.status,
  text: s.gz === undefined ? (s.text ?? '') : gunzipSync(Buffer.from(s.gz, 'base64')).toString('utf8'),
  ...(s.headers ? { headers: s.headers } : {}),
});

export interface KeyedRequest {
  scope: string;
  request: string;
  now: Date;
}

/**
 * Runs `run` at most once per key and request, answering a retry with the
 * first answer: before running, a strongly consistent read (same request →
 * replay; another → 422 IDEMPOTENCY_KEY_REUSED). When `run` fails, a
 * concurrent request with the same key may have won (its record failed our
 * record's condition, or its creation changed what we judged): if the key
 * now has a record, that is the answer. Failures are not recorded: they
 * created nothing, so a retry runs again.
 */
export const answerOnce = async (
  store: IdempotencyRepo,
  k: KeyedRequest,
  run: (idem: IdempotentRequest) => Promise<Rendered>,
): Promise<Rendered> => {
  const replay = (r: IdempotencyRecord): Rendered => {
    if (r.requestHash !== k.request) throw new HttpProblem(422, 'IDEMPOTENCY_KEY_REUSED', msg('IDEMPOTENCY_KEY_REUSED'));
    return unpackReply(r);
  };
  const first = await store.get(k.scope, k.now);
  if (first) return replay(first);

  const expiresAt = Math.floor(k.now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS;
  const recordOf = (r: Rendered): IdempotencyRecord => ({
    requestHash: k.request,
    ...packReply(r),
    createdAt: k.now.toISOString(),
    expiresAt,
  });
  let recorded: Rendered | undefined;
  const idem: IdempotentRequest = {
    source: `idem:${sha256(`${k.scope}:${k.request}`).slice(0, 32)}`,
    record: (reply) => {
      recorded = render(reply);
      return store.recordItem(k.scope, recordOf(recorded), k.now);
    },
  };

  let answer: Rendered;
  try {
    answer = await run(idem);
  } catch (e) {
    const winner = await store.get(k.scope, k.now);
    if (winner) return replay(winner);
    throw e;
  }
  // Recorded in the creation's own transaction, which committed (run returned): that text is the answer, now and on replay.
  if (recorded) return recorded;
  // Nothing carried the record (a roster's chunks, or nothing was written): the record alone, last.
  if (await store.put(k.scope, recordOf(answer), k.now)) return answer;
  const winner = await store.get(k.scope, k.now);
  return winner ? replay(winner) : answer;
};
