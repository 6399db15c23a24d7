import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodObject } from 'zod';
import type { RouteDef } from './route';
import { Problem } from './schemas/common';
import { routeEntries } from './routes';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'VALIDATION_FAILED: malformed JSON or schema violation; `errors` names every bad field',
  401: 'missing, invalid or expired token',
  403: 'outside your scope or role (FORBIDDEN)',
  404: 'unknown resource (NOT_FOUND)',
  409: 'conflicting write',
  415: 'unsupported media type',
  422: 'business rule violation (see `code`)',
  503: 'data store busy; retry after `Retry-After` seconds',
};

/** OpenAPI 3.1 from the route table and its zod schemas: nothing is described twice. */
export const openApiDocument = () => {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Cognito (AWS) or `npm run token` (local). Claims: sub, role, org.',
  });
  for (const [name, route] of routeEntries) {
    const r: RouteDef = route;
    const responses: RouteConfig['responses'] = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = {
        description: res.description,
        ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } } : {}),
      };
    }
    const problems = [...r.problems, ...(r.body ? [415] : []), ...(r.permissions.table ? [503] : [])];
    for (const status of new Set(problems)) {
      responses[String(status)] = {
        description: PROBLEM_TEXT[status] ?? 'problem',
        content: { 'application/problem+json': { schema: Problem } },
      };
    }
    registry.registerPath({
      operationId: name,
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      summary: r.summary,
      tags: [r.tag],
      ...(r.auth ? { security: [{ [bearer.name]: [] }] } : {}),
      request: {
        ...(r.params ? { params: r.params as ZodObject } : {}),
        ...(r.query ? { query: r.query as ZodObject } : {}),
        ...(r.idempotent
          ? { headers: z.object({ 'idempotency-key': z.string().max(255).optional().describe('retry-safe creation (SPEC §3)') }) }
          : {}),
        ...(r.body
          ? {
              body: {
                required: true,
                content: {
                  'application/json': { schema: r.body },
                  ...Object.fromEntries((r.rawBodyTypes ?? []).map((t) => [t, { schema: { type: 'string' as const } }])),
                },
              },
            }
          : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Huzhu — workers’ medical mutual-aid API',
      version: '0.1.0',
      description: 'Money is integer fen, rates integer permille, dates YYYY-MM-DD in Asia/Shanghai. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: '/' }],
  });
};
