import type { MiddlewareObj } from '@middy/core';
import { isMessageKey, type Msg, msg } from '../../messages/catalogue';
import { HttpProblem, validationFailed, type FieldError } from '../problem';
import type { RouteDef } from '../route';
import { XLS_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../roster/formats';
import type { Schema } from '../schemas/zod';
import type * as z from '../schemas/zod';
import type { HttpEvent, HttpResult } from '../types';

/** What parseRequest leaves on the event for the handler. */
export interface ParsedRequest {
  params: unknown;
  query: unknown;
  body: unknown;
  /** The undecoded body bytes, for routes that accept a raw media type (a CSV or Excel roster, any encoding). */
  rawBody?: Buffer;
  mediaType?: string;
  /** The whole Content-Type header (a multipart body's boundary is one of its parameters). */
  contentType?: string;
}
export type ParsedEvent = HttpEvent & { parsed: ParsedRequest };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** JSON.parse that refuses prototype-polluting keys instead of quietly accepting them. */
export const parseJsonStrict = (text: string): unknown =>
  JSON.parse(text, function reviver(key, value) {
    if (FORBIDDEN_KEYS.has(key)) throw new SyntaxError(`forbidden key "${key}"`);
    return value;
  });

type Issue = z.core.$ZodIssue;

/**
 * A union that matched no branch (a claim body, a plan's benefit) is judged
 * by the branch it came closest to: the one with the fewest issues, so a
 * 400 names the bad fields of the body the client meant, not "invalid input".
 */
const flatten = (i: Issue, prefix: PropertyKey[]): Issue[] => {
  const path = [...prefix, ...i.path];
  if (i.code === 'invalid_union' && i.errors.length > 0) {
    const closest = i.errors.reduce((best, e) => (e.length < best.length ? e : best));
    if (closest.length > 0) return closest.flatMap((e) => flatten(e, path));
  }
  return [{ ...i, path } as Issue];
};

const at = (value: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined), value);

const sizeOf = (origin: string, bound: 'min' | 'max', n: number): Msg => {
  if (origin === 'string') return bound === 'min' ? msg('FIELD.tooShort', { min: n }) : msg('FIELD.tooLong', { max: n });
  if (origin === 'array' || origin === 'set') return bound === 'min' ? msg('FIELD.tooFew', { min: n }) : msg('FIELD.tooMany', { max: n });
  return bound === 'min' ? msg('FIELD.tooSmall', { min: n }) : msg('FIELD.tooBig', { max: n });
};

/**
 * A zod issue → the catalogue message a clerk reads (never zod's English, never
 * a regex). A schema names its own message by catalogue key (`matching(re,
 * 'FIELD.clientId')`), or passes one as `params.msg` (custom issues); else the
 * issue's kind decides. `value` is the input the issue's path points into.
 */
export const issueMessage = (i: Issue, value: unknown): Msg => {
  const params = (i as { params?: { msg?: Msg } }).params;
  if (params?.msg && isMessageKey(params.msg.key)) return params.msg;
  if (isMessageKey(i.message)) return { key: i.message };
  switch (i.code) {
    case 'invalid_type':
      if (at(value, i.path) === undefined) return msg('FIELD.required');
      return i.expected === 'int' ? msg('FIELD.integer') : msg('FIELD.type', { expected: i.expected });
    case 'too_small':
      return sizeOf(i.origin, 'min', Number(i.minimum));
    case 'too_big':
      return sizeOf(i.origin, 'max', Number(i.maximum));
    case 'invalid_format':
      return i.format === 'date' ? msg('FIELD.date') : msg('FIELD.format');
    case 'invalid_value':
      return msg('FIELD.oneOf', { values: i.values.map(String) });
    case 'unrecognized_keys':
      return msg('FIELD.unknownKeys', { keys: i.keys });
    default:
      return msg('FIELD.invalid');
  }
};

export const zodErrors = (where: string, error: z.core.$ZodError, value?: unknown): FieldError[] =>
  error.issues
    .flatMap((i) => flatten(i, []))
    .map((i) => ({
      path: [where, ...i.path.map(String)].join('.'),
      message: issueMessage(i, value),
    }));

const check = (where: string, schema: Schema | undefined, value: unknown, errors: FieldError[]): unknown => {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  errors.push(...zodErrors(where, r.error, value));
  return undefined;
};

const mediaTypeOf = (event: HttpEvent): string => (event.headers?.['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();

const bodyBytes = (event: HttpEvent): Buffer | undefined => {
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
};

/**
 * Decodes and validates path, query and body against the route's zod schemas.
 * Every bad field is named in one 400 VALIDATION_FAILED.
 */
export const parseRequest = (route: RouteDef): MiddlewareObj<HttpEvent, HttpResult> => ({
  before: (request) => {
    const event = request.event;
    const errors: FieldError[] = [];
    const params = check('params', route.params, event.pathParameters ?? {}, errors);
    const query = check('query', route.query, event.queryStringParameters ?? {}, errors);
    let body: unknown;
    let rawBody: Buffer | undefined;
    const media = mediaTypeOf(event);
    const bytes = bodyBytes(event);
    const text = bytes?.toString('utf8');
    if (route.rawBodyTypes?.includes(media)) {
      rawBody = bytes ?? Buffer.alloc(0);
    } else if (route.body) {
      if (text === undefined) {
        errors.push({ path: 'body', message: msg('FIELD.bodyRequired') });
      } else if (media !== '' && media !== 'application/json' && !media.endsWith('+json')) {
        if (media === XLS_MEDIA_TYPE && route.rawBodyTypes?.includes(XLSX_MEDIA_TYPE)) {
          // An old .xls workbook: say how to make one this route reads (SPEC §4.3), not just which types it takes.
          throw new HttpProblem(415, 'XLS_NOT_SUPPORTED', msg('XLS_NOT_SUPPORTED'));
        }
        const accepted = ['application/json', ...(route.rawBodyTypes ?? [])];
        throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', msg('UNSUPPORTED_MEDIA_TYPE', { accepted }));
      } else {
        let parsed: unknown;
        try {
          parsed = parseJsonStrict(text);
        } catch (e) {
          // Never echo the parser's message: newer V8 quotes the input, which may hold personal data.
          const position = /position (\d+)/.exec((e as Error).message)?.[1];
          const why = (e as Error).message.startsWith('forbidden key')
            ? msg('FIELD.forbiddenKey')
            : msg('FIELD.json', position === undefined ? {} : { at: Number(position) });
          throw validationFailed([{ path: 'body', message: why }], msg('VALIDATION_FAILED.json'));
        }
        body = check('body', route.body, parsed, errors);
      }
    }
    const idemKey = event.headers?.['idempotency-key'];
    if (route.idempotent && idemKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idemKey)) {
      errors.push({ path: 'headers.idempotency-key', message: msg('FIELD.idempotencyKey') });
    }
    if (errors.length > 0) throw validationFailed(errors);
    (event as ParsedEvent).parsed = { params, query, body, rawBody, mediaType: media, contentType: event.headers?.['content-type'] ?? '' };
  },
});
