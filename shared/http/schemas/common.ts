import type { MessageKey } from '../../messages/catalogue';
import * as z from './zod';

/**
 * Declares a module-level schema so that bundles can leave it out. Write
 * `export const X = /* @__PURE__ *\/ schema(() => z.object(…))`: the
 * annotation tells esbuild that the call only returns its value, so a
 * function's bundle drops (and never builds) the schemas its own route does
 * not use. Building schemas is most of what zod costs at cold start
 * (bench/results.md §5); test/bundles checks that it stays that way.
 */
export const schema = <T>(build: () => T): T => build();

/** Integers, as JSON numbers (safe integers only). */
export const int = (message?: string) => z.int(message);

/** An integer in [min, max]. */
export const intIn = (min: number, max: number, message?: string) => z.int(message).check(z.minimum(min), z.maximum(max));

/** Money: integer fen, never floats (SPEC §3). */
export const fen = () => intIn(0, Number.MAX_SAFE_INTEGER, 'FIELD.fen');

/** Calendar day in Asia/Shanghai, strictly YYYY-MM-DD and a real date. */
export const isoDate = () => z.iso.date({ message: 'FIELD.date' });

/**
 * A string matching a pattern, with the catalogue message (shared/messages) a client sees when it does not:
 * what is expected in words, never the bare regex.
 */
export const matching = (re: RegExp, message: MessageKey) => z.string().check(z.regex(re, message));

/** Client-chosen ids of orgs and plans (SPEC §4.1). */
export const clientId = () => matching(/^[A-Za-z0-9][A-Za-z0-9-]{1,39}$/, 'FIELD.clientId');

/** Server-made ids: 26 Crockford base32 characters (ULIDs, or keyed hashes for enrolments). */
export const serverId = () => matching(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'FIELD.serverId');

/** A claim id: a ULID and its enrolment's id (52 Crockford base32 characters; see shared/store/claimRecord.ts). */
export const claimIdParam = () => matching(/^[0-9A-HJKMNP-TV-Z]{52}$/, 'FIELD.claimId');

/**
 * No control characters (NUL, CR/LF, tab…) and no invisible format characters (zero-width spaces and joiners,
 * bidirectional overrides and isolates such as U+202E, the BOM): they hide or reorder what a person reads, e.g.
 * a unit name on the public disclosure (SPEC §3).
 */
export const VISIBLE_TEXT = /^[^\p{Cc}\p{Cf}]*$/u;
export const VISIBLE_TEXT_MESSAGE: MessageKey = 'FIELD.visibleText';

/** Free text (SPEC §3): trimmed, 1..max characters, nothing hidden. 100 kB strings are bad input, not work. */
export const text = (max = 200) =>
  z.string().check(z.trim(), z.minLength(1), z.maxLength(max), z.regex(VISIBLE_TEXT, VISIBLE_TEXT_MESSAGE));

/** A field that may be left out, described in the OpenAPI document. */
export const optional = <T extends z.ZodMiniType>(inner: T, description?: string) =>
  description === undefined ? z.optional(inner) : z.optional(inner).check(z.describe(description));
/** Documentation for any schema (OpenAPI). */
export const described = <T extends z.ZodMiniType>(inner: T, description: string): T => inner.check(z.describe(description));

export const ListQuery = /* @__PURE__ */ schema(() =>
  z.object({
    limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(500)), 50),
    cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(2048))),
  }),
);
