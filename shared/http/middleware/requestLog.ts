import type { MiddlewareObj } from '@middy/core';
import { logger } from '../logger';
import type { HttpEvent, HttpResult } from '../types';

const started = 'huzhu.startedAt';

/**
 * Adds the request id and route to every log line of the invocation, and
 * writes one access line at the end (route and status, never the path's
 * query or body: those may hold personal data).
 */
export const requestLog = (routeKey: string): MiddlewareObj<HttpEvent, HttpResult> => {
  const done = (request: { event: HttpEvent; response: HttpResult | undefined; internal: Record<string | symbol, unknown> }) => {
    const t0 = request.internal[started] as number | undefined;
    logger.info('request', {
      status: request.response?.statusCode,
      durationMs: t0 === undefined ? undefined : Math.round(performance.now() - t0),
    });
    logger.resetKeys();
  };
  return {
    before: (request) => {
      (request.internal as Record<string, unknown>)[started] = performance.now();
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: routeKey });
    },
    after: (request) => done(request as never),
    onError: (request) => done(request as never),
  };
};
