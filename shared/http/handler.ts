import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { buildDeps, type Deps, defaultDeps } from '../deps';
import type { Principal } from '../domain/scope';
import type { SecretsManagerFactory } from '../secrets';
import { idempotencyRepo } from '../store/idempotency';
import { answerOnce, type IdempotentRequest, render, requestHash, scopeHash } from './idempotency';
import { type AuthedEvent, authenticate } from './middleware/authenticate';
import { authorise } from './middleware/authorise';
import { type ParsedEvent, parseRequest } from './middleware/parseRequest';
import { problems } from './middleware/problems';
import { requestLog } from './middleware/requestLog';
import { jsonText } from './respond';
import type { RouteDef } from './route';
import type { Schema } from './schemas/zod';
import type * as z from './schemas/zod';
import type { RouteName, routes } from './routes';
import type { Context, HttpEvent, HttpResult } from './types';

type Infer<S> = S extends Schema ? z.output<S> : undefined;

/** What a handler's business function receives: validated input, the caller, the deps. */
export interface Input<R extends RouteDef> {
  params: Infer<R['params']>;
  query: Infer<R['query']>;
  body: Infer<R['body']>;
  rawBody: Buffer | undefined;
  mediaType: string | undefined;
  /** The whole Content-Type header (parameters included: a multipart boundary). */
  contentType: string | undefined;
  principal: R['auth'] extends true ? Principal : Principal | null;
  deps: Deps;
  event: HttpEvent;
  /**
   * When the route is idempotent and the request carries an Idempotency-Key:
   * the key's record, to be written in the creation's transaction
   * (`withRecord(input.idempotency, reply)`), and the request's `source` marker.
   */
  idempotency?: IdempotentRequest;
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
  /** The route it enforces (roles, schemas): tests check that each function holds its own. */
  readonly route: RouteDef;
};

/**
 * The middy stack every HTTP function shares, in order:
 * request log → problems (onError) → header normalizer → authenticate (401,
 * role/org-kind 403) → authorise (the path's resource: 404, scope 403) →
 * parse + validate (400) → [idempotency: replay, or run with the key's
 * record] → business function → JSON. Nothing reads the body before
 * authorise: access before work (SPEC §3), by construction of this stack.
 */
export interface HandlerOptions {
  /**
   * For routes that grant a secret (list cursors, the ID-number HMAC):
   * `secretsManager` from shared/secretsManager.ts. Passed by those handlers
   * only, so no other function bundles the Secrets Manager client.
   */
  secrets?: SecretsManagerFactory;
}

/** Whether a route's grants include a secret, so its handler must pass `{ secrets }`. */
export const readsSecrets = (r: RouteDef): boolean => r.permissions.cursors === true || r.permissions.pii?.hmac === true;

export const httpHandler = <N extends RouteName>(
  name: N,
  route: (typeof routes)[N],
  fn: BusinessFn<(typeof routes)[N]>,
  options: HandlerOptions = {},
): HttpHandler => {
  const r: RouteDef = route;
  if (readsSecrets(r) !== (options.secrets !== undefined))
    throw new Error(`${name}: pass { secrets: secretsManager } exactly when the route grants a secret (cursors or pii.hmac)`);
  return buildHttpHandler(name, r, fn as BusinessFn<RouteDef>, options);
};

const buildHttpHandler = <R extends RouteDef>(
  name: string,
  route: R,
  fn: BusinessFn<R>,
  options: HandlerOptions,
  depsOverride?: () => Deps,
): HttpHandler => {
  const getDeps = depsOverride ?? (() => defaultDeps({ secretsManager: options.secrets }));

  const core = async (event: HttpEvent): Promise<HttpResult> => {
    const deps = getDeps();
    const { parsed, principal } = event as ParsedEvent & AuthedEvent;
    const input = {
      params: parsed.params,
      query: parsed.query,
      body: parsed.body,
      rawBody: parsed.rawBody,
      mediaType: parsed.mediaType,
      contentType: parsed.contentType,
      principal,
      deps,
      event,
    } as Input<R>;
    const key = event.headers?.['idempotency-key'];
    // Without a key there is nothing to remember; `idempotent: 'own'` routes keep their keys themselves.
    if (route.idempotent !== true || key === undefined) {
      const r = render(await fn(input));
      return jsonText(r.status, r.text, r.headers);
    }
    const body = parsed.rawBody === undefined ? parsed.body : parsed.rawBody.toString('base64');
    const keyed = {
      scope: scopeHash(principal, route.method, event.rawPath, key),
      request: requestHash(event.rawQueryString ?? '', body),
      now: deps.clock.now(),
    };
    const r = await answerOnce(idempotencyRepo(deps.store), keyed, async (idempotency) => render(await fn({ ...input, idempotency })));
    return jsonText(r.status, r.text, r.headers);
  };

  const handler = middy<HttpEvent, HttpResult>({ timeoutEarlyInMillis: 0 })
    .use(requestLog(`${route.method} ${route.path}`))
    .use(problems())
    .use(httpHeaderNormalizer())
    .use(authenticate(route, getDeps))
    .use(authorise(route, getDeps))
    .use(parseRequest(route))
    .handler(core as never);

  const out = Object.assign((event: HttpEvent, context: Context) => handler(event, context), {
    route: route as RouteDef,
    withDeps: (overrides: Partial<Deps>): HttpHandler => {
      let built: Deps | undefined;
      return buildHttpHandler(name, route, fn, options, () => {
        const base = getDeps();
        return (built ??= buildDeps({ config: base.config, ddb: base.ddb, db: base.db, secrets: base.secrets, ...overrides }));
      });
    },
  });
  return out;
};
