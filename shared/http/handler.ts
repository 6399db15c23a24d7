import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { z, ZodType } from 'zod';
import { buildDeps, defaultDeps, type Deps } from '../deps';
import type { Principal } from '../domain/scope';
import { idempotencyPayload, makeIdempotentFor, packReply, unpackReply, type IdempotencyPayload, type StoredReply } from './idempotency';
import { authenticate, type AuthedEvent } from './middleware/authenticate';
import { parseRequest, type ParsedEvent } from './middleware/parseRequest';
import { problems } from './middleware/problems';
import { requestLog } from './middleware/requestLog';
import { json } from './respond';
import type { RouteDef } from './route';
import { routes, type RouteName } from './routes';
import type { Context, HttpEvent, HttpResult } from './types';

type Infer<S> = S extends ZodType ? z.output<S> : undefined;

/** What a handler's business function receives: validated input, the caller, the deps. */
export interface Input<R extends RouteDef> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  rawBody: string | undefined;
  mediaType: string | undefined;
  principal: R['auth'] extends true ? Principal : Principal | null;
  deps: Deps;
  event: HttpEvent;
}

/** A business function's answer; rendered as JSON with the security headers. */
export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type BusinessFn<R extends RouteDef> = (input: Input<R>) => Promise<Reply>;

export type HttpHandler = ((event: HttpEvent, context: Context) => Promise<HttpResult>) & {
  /** The same handler with some deps replaced (tests: a fixed clock, a failing client). */
  withDeps(overrides: Partial<Deps>): HttpHandler;
};

/**
 * The middy stack every HTTP function shares, in order:
 * request log → problems (onError) → header normalizer → authenticate
 * → parse + validate → [idempotency] → business function → JSON.
 */
export const httpHandler = <N extends RouteName>(name: N, fn: BusinessFn<(typeof routes)[N]>): HttpHandler =>
  buildHttpHandler(name, routes[name], fn as BusinessFn<RouteDef>);

const buildHttpHandler = <R extends RouteDef>(name: string, route: R, fn: BusinessFn<R>, depsOverride?: () => Deps): HttpHandler => {
  const getDeps = depsOverride ?? defaultDeps;
  let idem: ReturnType<typeof makeIdempotentFor<[IdempotencyPayload, Input<R>], StoredReply>> | undefined;

  const core = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const deps = getDeps();
    const { parsed, principal } = event as ParsedEvent & AuthedEvent;
    const input = {
      params: parsed.params,
      query: parsed.query,
      body: parsed.body,
      rawBody: parsed.rawBody,
      mediaType: parsed.mediaType,
      principal,
      deps,
      event,
    } as Input<R>;
    let reply: Reply;
    if (route.idempotent) {
      idem ??= makeIdempotentFor(name, deps, async (_p: IdempotencyPayload, i: Input<R>) => packReply(await fn(i)));
      const key = event.headers?.['idempotency-key'];
      const payload = idempotencyPayload(principal?.sub, route.method, event.rawPath, key, parsed.rawBody ?? parsed.body);
      reply = unpackReply(await idem.run(context, payload, input));
    } else {
      reply = await fn(input);
    }
    return json(reply.status, reply.body, reply.headers);
  };

  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(requestLog(`${route.method} ${route.path}`))
    .use(problems())
    .use(httpHeaderNormalizer())
    .use(authenticate(route))
    .use(parseRequest(route))
    .handler(core as never);

  const out = ((event: HttpEvent, context: Context) => handler(event, context)) as HttpHandler;
  out.withDeps = (overrides) => {
    let built: Deps | undefined;
    return buildHttpHandler(name, route, fn, () => {
      const base = getDeps();
      return (built ??= buildDeps({ config: base.config, ddb: base.ddb, db: base.db, ...overrides }));
    });
  };
  return out;
};
