import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { MiddlewareObj } from '@middy/core';
import { logger } from '../logger';
import type { HttpEvent, HttpResult } from '../types';

const started = 'huzhu.startedAt';

/**
 * Powertools' per-invocation context (function request id; keys reset after
 * each invocation, and scoped per invocation where several run at once, as on
 * the local gateway) plus the API request id and route on every log line, and
 * one access line at the end: route and status, never the query or body
 * (those may hold personal data).
 */
export const requestLog = (routeKey: string): MiddlewareObj<HttpEvent, HttpResult> => {
  const context = injectLambdaContext(logger, { resetKeys: true });
  const done = (request: { response: HttpResult | undefined; internal: Record<string | symbol, unknown> }) => {
    const t0 = request.internal[started] as number | undefined;
    logger.info('request', {
      status: request.response?.statusCode,
      durationMs: t0 === undefined ? undefined : Math.round(performance.now() - t0),
    });
  };
  return {
    before: async (request) => {
      await context.before?.(request as never);
      (request.internal as Record<string, unknown>)[started] = performance.now();
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: routeKey });
    },
    after: async (request) => {
      done(request as never);
      await context.after?.(request as never);
    },
    onError: async (request) => {
      done(request as never);
      await context.onError?.(request as never);
    },
  };
};
