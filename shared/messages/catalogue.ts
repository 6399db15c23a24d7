/**
 * The message catalogue (SPEC §3): every problem `detail`, `errors[].message`
 * and roster row `message`, in Chinese (the default) and English. Errors carry
 * a `Msg` (key + parameters), never text; the HTTP layer renders it in the
 * reader's language (Accept-Language) when it answers. No AWS imports: the
 * domain and the roster code use it too.
 */
import { en } from './en';
import { zh } from './zh';

/** Every problem `code` an answer can carry. HttpProblem and the typed errors are typed against it. */
export const PROBLEM_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'SAME_PERSON',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'UNSUPPORTED_MEDIA_TYPE',
  'CONFLICT',
  'ALREADY_EXISTS',
  'REPORT_LOCKED',
  'INVALID_STATE',
  'IDEMPOTENCY_KEY_REUSED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL',
  'PAYMENT_IN_PROGRESS',
  'PAYMENT_CANCELLED',
  'NOT_A_UNIT',
  'SAME_UNIT',
  'ENROLMENT_CLOSED',
  'SUBSIDY_TOO_HIGH',
  'PREDECESSOR_UNKNOWN',
  'PARENT_UNKNOWN',
  'PARENT_IS_UNIT',
  'TOO_MANY_DOCUMENTS',
  'DOCUMENTS_MISSING',
  'DOCUMENT_INVALID',
  'DATES_INVALID',
  'OUTSIDE_COVERAGE',
  'WAITING_PERIOD',
  'CLAIM_DEADLINE_PASSED',
  'AMOUNTS_INCONSISTENT',
  'CONDITION_NOT_COVERED',
  'CONDITION_ALREADY_CLAIMED',
  'DUPLICATE_STAY',
  'CAP_EXHAUSTED',
  'ADJUSTMENT_NOT_LOWER',
  'RULES_LOCKED',
  'RULES_MISSING',
  'CHECKPOINT_UNKNOWN',
  'REPORT_MISSING',
  'EVALUATION_APPROVED',
  'CONCURRENT_CHANGE',
  'PAID_DATE_IN_FUTURE',
  'PAID_DATE_TOO_EARLY',
  'REPORT_TOO_LARGE',
  'PAYLOAD_TOO_LARGE',
  'XLS_NOT_SUPPORTED',
  'ENROLLED_DATE_OUT_OF_RANGE',
  'ENROLMENT_IN_FORCE',
  'ENROLMENT_CANCELLED',
  'BENEFIT_KIND_MISMATCH',
  'SIMULATION_OUT_OF_RANGE',
  'SIMULATION_MISMATCH',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Roster row codes (SPEC §4.3). */
export const ROW_CODES = [
  'INVALID_ID_NUMBER',
  'ROW_MALFORMED',
  'INVALID_NAME',
  'INVALID_SHARES',
  'INVALID_PHONE',
  'AGE_OUT_OF_RANGE',
  'DUPLICATE_IN_REQUEST',
  'ALREADY_ENROLLED',
] as const;
export type RowCode = (typeof ROW_CODES)[number];

/** Why a roster import `failed` (its `error.code`): the file's faults, rendered with the ROSTER_FILE message. */
export const IMPORT_FAILURE_CODES = [
  'ENCODING_UNKNOWN',
  'HEADER_INVALID',
  'CSV_UNREADABLE',
  'NOT_A_WORKBOOK',
  'WORKBOOK_UNREADABLE',
  'TOO_MANY_ROWS',
  'FILE_TOO_LARGE',
  'UPLOAD_MISSING',
  'EMPTY_FILE',
  'NOT_A_CSV',
  'FILE_REPLACED',
  'NO_DATA_ROWS',
  'NOT_FOUND',
  'FILE_TOO_COMPLEX',
] as const;
export type ImportFailureCode = (typeof IMPORT_FAILURE_CODES)[number];

export type Catalogue = { readonly [K in MessageKey]: (p: Params[K]) => string };
export type MessageKey = keyof typeof en;
export type Params = { [K in MessageKey]: Parameters<(typeof en)[K]> extends [infer P] ? P : undefined };

/** A message to render later: its key and parameters. Make one with `msg`. */
export interface Msg {
  readonly key: MessageKey;
  readonly params?: unknown;
}

export const msg = <K extends MessageKey>(key: K, ...params: Params[K] extends undefined ? [] : [Params[K]]): Msg => ({
  key,
  ...(params.length ? { params: params[0] } : {}),
});

export type Lang = 'zh' | 'en';
export type { Entity } from './en';
export const CATALOGUES: Readonly<Record<Lang, Catalogue>> = { zh, en };

export const isMessageKey = (k: unknown): k is MessageKey => typeof k === 'string' && Object.hasOwn(en, k);

export const render = (m: Msg, lang: Lang): string => (CATALOGUES[lang][m.key] as (p: unknown) => string)(m.params);

/**
 * The answer's language from an Accept-Language header: the most preferred
 * of the tags we speak (q-values honoured, q=0 refused); English when that is
 * an `en*` tag, Chinese otherwise and by default.
 */
export const languageOf = (header: string | undefined): Lang => {
  if (!header) return 'zh';
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...opts] = part.trim().toLowerCase().split(';');
    const qOpt = opts.map((o) => o.trim()).find((o) => o.startsWith('q='));
    const q = qOpt === undefined ? 1 : Number(qOpt.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const lang: Lang | undefined = tag === 'en' || tag.startsWith('en-') ? 'en' : tag === 'zh' || tag.startsWith('zh-') ? 'zh' : undefined;
    if (lang && (best === undefined || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? 'zh';
};

/** The language of an event's headers (any case of the name). */
export const languageOfHeaders = (headers: Record<string, string | undefined> | undefined): Lang => {
  if (!headers) return 'zh';
  const name = Object.keys(headers).find((h) => h.toLowerCase() === 'accept-language');
  return languageOf(name === undefined ? undefined : headers[name]);
};

// Every problem code and row code has a message of its own (its key is the code); a code without one fails here.
type CodesWithoutMessage = Exclude<ProblemCode | RowCode, MessageKey>;
export const EVERY_CODE_HAS_A_MESSAGE: [CodesWithoutMessage] extends [never] ? true : CodesWithoutMessage = true;
