import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { type ZodObject, z } from 'zod';
import type { RouteDef } from './route';
import { routeEntries } from './routes';
import { GatewayMessage, Problem } from './schemas/common';

const PROBLEM_TEXT: Record<number, string> = {
  400: 'VALIDATION_FAILED: malformed JSON or schema violation; `errors` names every bad field',
  403: 'FORBIDDEN: outside your scope, or your role (or its org kind) may not do this',
  404: 'NOT_FOUND: unknown resource',
  409: 'conflicting write (see `code`)',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'business rule violation (see `code`)',
  503: 'SERVICE_UNAVAILABLE: the data store is busy or unreachable; retry after `Retry-After` seconds',
};

const retryAfter = { 'Retry-After': { description: 'seconds to wait before retrying', schema: { type: 'integer' as const, minimum: 1 } } };
const location = { Location: { description: 'the created resource', schema: { type: 'string' as const } } };

/** OpenAPI 3.1 from the route table and its zod schemas: nothing is described twice. */
export const openApiDocument = () => {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'cognitoIdToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'In AWS: a Cognito **ID token** of the Huzhu user pool (it carries `custom:role` and `custom:org`; access tokens do not). ' +
      'Locally: a token from `npm run token -- --role <role> --org <orgId>` (claims `sub`, `role`, `org`). ' +
      'API Gateway checks it before any function runs and answers 401 with its own body.',
  });
  for (const [name, route] of routeEntries) {
    const r: RouteDef = route;
    const responses: RouteConfig['responses'] = {};
    for (const [status, res] of Object.entries(r.responses)) {
      responses[status] = {
        description: res.description,
        ...(status === '201' ? { headers: location } : {}),
        ...(res.schema ? { content: { [res.contentType ?? 'application/json']: { schema: res.schema } } } : {}),
      };
    }
    const problems = new Set([...r.problems, ...(r.body ? [415] : []), ...(r.permissions.table ? [503] : [])]);
    for (const status of [...problems].filter((s) => s !== 401)) {
      responses[String(status)] = {
        description: PROBLEM_TEXT[status] ?? 'problem',
        ...(status === 503 ? { headers: retryAfter } : {}),
        content: { 'application/problem+json': { schema: Problem } },
      };
    }
    if (r.auth) {
      responses['401'] = {
        description:
          'missing, invalid or expired token: answered by API Gateway\'s JWT authorizer with its own body `{"message":"Unauthorized"}`',
        content: { 'application/json': { schema: GatewayMessage } },
      };
    }
    responses['429'] = {
      description: 'throttled by API Gateway, which answers with its own body `{"message":"Too Many Requests"}`',
      content: { 'application/json': { schema: GatewayMessage } },
    };
    const roles = r.roles ? ` Roles: ${r.roles.join(', ')}.` : '';
    registry.registerPath({
      operationId: name,
      method: r.method.toLowerCase() as 'get',
      path: r.path,
      summary: r.summary,
      description: `${r.summary}.${r.auth ? roles || ' Roles: any (scope still applies).' : ' Public: no token.'}`,
      tags: [r.tag],
      // Public operations say so explicitly (security: []), others need the bearer token.
      security: r.auth ? [{ [bearer.name]: [] }] : [],
      request: {
        ...(r.params ? { params: r.params as ZodObject } : {}),
        ...(r.query ? { query: r.query as ZodObject } : {}),
        ...(r.idempotent
          ? { headers: z.object({ 'idempotency-key': z.string().min(1).max(255).optional().describe('retry-safe creation (SPEC §3)') }) }
          : {}),
        ...(r.body
          ? {
              body: {
                required: true,
                content: {
                  'application/json': { schema: r.body },
                  ...Object.fromEntries(
                    (r.rawBodyTypes ?? []).map((t) => [
                      t,
                      { schema: { type: 'string' as const, ...(t.startsWith('text/') ? {} : { format: 'binary' }) } },
                    ]),
                  ),
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
      version: '0.2.0',
      description:
        'Money is integer fen, rates integer permille, dates YYYY-MM-DD in Asia/Shanghai. Errors are RFC 9457 problem+json, ' +
        'except the 401 and 429 answers API Gateway itself sends. Unknown routes answer 404 problem+json, a wrong method 405 with Allow.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Huzhu' },
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'meta', description: 'Health and this document' },
      { name: 'orgs', description: 'The federation, offices, agencies and units, with their targets' },
      { name: 'plans', description: 'Mutual-aid plans, one per period' },
      { name: 'enrolment', description: 'Enrolling members, and their identities' },
      { name: 'claims', description: 'Claims, receipts and review' },
      { name: 'payments', description: 'Payments and public disclosure' },
      { name: 'reports', description: 'The nightly quota report' },
    ],
  });
};
