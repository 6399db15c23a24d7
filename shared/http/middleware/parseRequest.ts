import type { MiddlewareObj } from '@middy/core';
import { HttpProblem, validationFailed, type FieldError } from '../problem';
import type { RouteDef } from '../route';
import { XLS_HINT, XLS_MEDIA_TYPE, XLSX_MEDIA_TYPE } from '../../roster/formats';
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

export const zodErrors = (where: string, error: z.core.$ZodError): FieldError[] =>
  error.issues
    .flatMap((i) => flatten(i, []))
    .map((i) => ({
      path: [where, ...i.path.map(String)].join('.'),
      message: i.message,
    }));

const check = (where: string, schema: Schema | undefined, value: unknown, errors: FieldError[]): unknown => {
  if (!schema) return value;
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  errors.push(...zodErrors(where, r.error));
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
        errors.push({ path: 'body', message: 'a JSON body is required' });
      } else if (media !== '' && media !== 'application/json' && !media.endsWith('+json')) {
        if (media === XLS_MEDIA_TYPE && route.rawBodyTypes?.includes(XLSX_MEDIA_TYPE)) {
          // An old .xls workbook: say how to make one this route reads (SPEC §4.3), not just which types it takes.
          throw new HttpProblem(415, 'XLS_NOT_SUPPORTED', XLS_HINT);
        }
        const accepted = ['application/json', ...(route.rawBodyTypes ?? [])].join(', ');
        throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', `Send the body as ${accepted}.`);
      } else {
        let parsed: unknown;
        try {
          parsed = parseJsonStrict(text);
        } catch (e) {
          // Never echo the parser's message: newer V8 quotes the input, which may hold personal data.
          const at = /position (\d+)/.exec((e as Error).message)?.[1];
          const why = (e as Error).message.startsWith('forbidden key')
            ? (e as Error).message
            : `is not valid JSON${at ? ` (at position ${at})` : ''}`;
          throw validationFailed([{ path: 'body', message: why }], 'The body is not valid JSON.');
        }
        body = check('body', route.body, parsed, errors);
      }
    }
    const idemKey = event.headers?.['idempotency-key'];
    if (route.idempotent && idemKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idemKey)) {
      errors.push({ path: 'headers.idempotency-key', message: 'must be 1–255 visible ASCII characters' });
    }
    if (errors.length > 0) throw validationFailed(errors);
    (event as ParsedEvent).parsed = { params, query, body, rawBody, mediaType: media, contentType: event.headers?.['content-type'] ?? '' };
  },
});
