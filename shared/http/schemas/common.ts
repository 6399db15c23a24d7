// A namespace import, not `import { z }`: esbuild then bundles only what is used (not every locale: ~360 KB and ~17 ms of cold start).
import * as z from 'zod';

/** Money: integer fen, never floats (SPEC §3). */
export const fen = () => z.number().int('must be an integer number of fen').min(0).max(Number.MAX_SAFE_INTEGER);
/** Calendar day in Asia/Shanghai, strictly YYYY-MM-DD and a real date. */
export const isoDate = () => z.iso.date({ message: 'must be a real date YYYY-MM-DD' });
/** Client-chosen ids of orgs and plans (SPEC §4.1). */
export const clientId = () => z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'must match ^[A-Za-z0-9][A-Za-z0-9-]{1,39}$');
/** Server-made ids: 26 Crockford base32 characters (ULIDs, or keyed hashes for enrolments). */
export const serverId = () => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a 26-character id');
/** A claim id: a ULID and its enrolment's id (52 Crockford base32 characters; see shared/store/claimRecord.ts). */
export const claimIdParam = () => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{52}$/, 'must be a 52-character claim id');
/** Free text with a sane bound: 100 kB strings are bad input, not work. */
export const text = (max = 200) => z.string().trim().min(1).max(max);

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().min(1).max(2048).optional(),
});

export const listOf = <T extends z.ZodType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const Health = z.object({ status: z.literal('ok'), time: z.string() }).meta({ id: 'Health' });

/** What API Gateway itself answers before any function runs (401 from the JWT authorizer, 429 from throttling). */
export const GatewayMessage = z.object({ message: z.string() }).meta({
  id: 'GatewayMessage',
  description: 'API Gateway\'s own body, e.g. {"message":"Unauthorized"} or {"message":"Too Many Requests"}',
});
