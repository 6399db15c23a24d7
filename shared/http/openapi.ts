import type { RouteDef } from './route';
import { routeEntries } from './routes';
import { GatewayMessage, Problem, responseSchemas } from './schemas/responses';
import type { Schema } from './schemas/zod';
import * as z from './schemas/zod';

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

type JsonSchema = Record<string, unknown>;
const COMPONENTS = '#/components/schemas/';
const uri = (id: string) => `${COMPONENTS}${id}`;

/** The id a schema was given with `z.meta({ id })`: what makes it a named component. */
const idOf = (schema: Schema, what: string): string => {
  const id = z.globalRegistry.get(schema)?.id;
  if (typeof id !== 'string') throw new Error(`${what} has no id (z.meta({ id })), so it cannot be a component`);
  return id;
};
const ref = (schema: Schema, what: string) => ({ $ref: uri(idOf(schema, what)) });

/**
 * What zod writes that a reader does not need: the safe-integer bounds of
 * every integer, the long pattern beside `format: date`, and (for answers)
 * `additionalProperties: false` on objects zod strips, which would make a
 * strict client refuse a field added later.
 */
const tidy =
  (io: 'input' | 'output') =>
  ({ zodSchema, jsonSchema }: { zodSchema: { _zod: { def: { type: string; catchall?: unknown } } }; jsonSchema: JsonSchema }) => {
    if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
    if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
    if (jsonSchema.format === 'date') delete jsonSchema.pattern;
    if (io === 'output' && zodSchema._zod.def.type === 'object' && !zodSchema._zod.def.catchall) delete jsonSchema.additionalProperties;
  };
const jsonOptions = (io: 'input' | 'output') => ({
  target: 'draft-2020-12' as const,
  io,
  unrepresentable: 'any' as const,
  override: tidy(io),
});

/** Every named schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect), request side as zod reads it, answer side as zod writes it. */
const namedSchemas = (io: 'input' | 'output') => {
  const { schemas } = z.toJSONSchema(z.globalRegistry, { ...jsonOptions(io), uri });
  return Object.fromEntries(Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest as JsonSchema]));
};

/** The component ids `roots` name and, through $ref, everything they reach. */
const reachable = (roots: string[], all: Record<string, JsonSchema>): Set<string> => {
  const seen = new Set<string>();
  const visit = (id: string) => {
    if (seen.has(id)) return;
    if (!all[id]) throw new Error(`no schema ${id}`);
    seen.add(id);
    JSON.stringify(all[id], (k, v) => {
      if (k === '$ref' && typeof v === 'string' && v.startsWith(COMPONENTS)) visit(v.slice(COMPONENTS.length));
      return v;
    });
  };
  roots.forEach(visit);
  return seen;
};

/** Path or query parameters from an object schema: each field, with its description lifted onto the parameter. */
const parametersOf = (schema: Schema, where: 'path' | 'query') => {
  const js = z.toJSONSchema(schema, jsonOptions('input')) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
  }));
};

const idempotencyKey = {
  name: 'idempotency-key',
  in: 'header',
  required: false,
  description: 'retry-safe creation (SPEC §3)',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

/** Every operation: the language of problem `detail`, `errors[].message` and roster row messages (SPEC §3). */
const acceptLanguage = {
  name: 'accept-language',
  in: 'header',
  required: false,
  description:
    'Language of every problem `detail`, `errors[].message` and roster row `message`: Chinese (zh-CN) by default, English when the most preferred supported tag (q-values honoured) is `en*`. Codes never change.',
  schema: { type: 'string', examples: ['zh-CN', 'en', 'en-GB,en;q=0.9,zh;q=0.5'] },
};

const bearerScheme = {
  type: 'http',
  scheme: 'bearer',
  bearerFormat: 'JWT',
  description:
    'In AWS: a Cognito **ID token** of the Huzhu user pool (it carries `custom:role` and `custom:org`; access tokens do not). ' +
    'Locally: a token from `npm run token -- --role <role> --org <orgId>` (claims `sub`, `role`, `org`). ' +
    'API Gateway checks it before any function runs and answers 401 with its own body.',
};

/** Response headers a route documents (RouteResponse.headers: name → description). */
const documentedHeaders = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([name, description]) => [name, { description, schema: { type: 'string' } }]));

const operation = (name: string, r: RouteDef) => {
  const responses: Record<string, unknown> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    responses[status] = {
      description: res.description,
      ...(status === '201' ? { headers: location } : {}),
      ...(res.headers ? { headers: documentedHeaders(res.headers) } : {}),
      ...(res.schema
        ? { content: { [res.contentType ?? 'application/json']: { schema: ref(responseSchemas[res.schema], res.schema) } } }
        : res.contentType
          ? { content: { [res.contentType]: { schema: { type: 'string' } } } }
          : {}),
    };
  }
  const problems = new Set([...r.problems, ...(r.body ? [415] : []), ...(r.permissions.table ? [503] : [])]);
  for (const status of [...problems].filter((s) => s !== 401).sort()) {
    responses[String(status)] = {
      description: PROBLEM_TEXT[status] ?? 'problem',
      ...(status === 503 ? { headers: retryAfter } : {}),
      content: { 'application/problem+json': { schema: ref(Problem, 'Problem') } },
    };
  }
  if (r.auth) {
    responses['401'] = {
      description:
        'missing, invalid or expired token: answered by API Gateway\'s JWT authorizer with its own body `{"message":"Unauthorized"}`',
      content: { 'application/json': { schema: ref(GatewayMessage, 'GatewayMessage') } },
    };
  }
  responses['429'] = {
    description: 'throttled by API Gateway, which answers with its own body `{"message":"Too Many Requests"}`',
    content: { 'application/json': { schema: ref(GatewayMessage, 'GatewayMessage') } },
  };
  const parameters = [
    ...(r.params ? parametersOf(r.params, 'path') : []),
    ...(r.query ? parametersOf(r.query, 'query') : []),
    ...(r.idempotent ? [idempotencyKey] : []),
    acceptLanguage,
  ];
  const roles = r.roles ? ` Roles: ${r.roles.join(', ')}.` : '';
  return {
    operationId: name,
    summary: r.summary,
    description: `${r.summary}.${r.auth ? roles || ' Roles: any (scope still applies).' : ' Public: no token.'}`,
    tags: [r.tag],
    // Public operations say so explicitly (security: []), others need the bearer token.
    security: r.auth ? [{ cognitoIdToken: [] }] : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(r.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: ref(r.body, `the body of ${name}`) },
              ...Object.fromEntries(
                (r.rawBodyTypes ?? []).map((t) => [
                  t,
                  t === 'multipart/form-data'
                    ? {
                        schema: {
                          type: 'object',
                          description: 'one file part (CSV or .xlsx), read like the raw body; no other fields',
                          properties: { file: { type: 'string', format: 'binary' } },
                          required: ['file'],
                        },
                      }
                    : { schema: { type: 'string', ...(t.startsWith('text/') ? {} : { format: 'binary' }) } },
                ]),
              ),
            },
          },
        }
      : {}),
    responses,
  };
};

/**
 * OpenAPI 3.1 from the route table and its zod schemas (zod's own JSON
 * Schema output): nothing is described twice. Components are the named
 * schemas the operations reach: request bodies as zod reads them (a field
 * with a default is optional), answers as zod writes them.
 */
export const openApiDocument = () => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, route] of routeEntries) {
    const r: RouteDef = route;
    paths[r.path] = { ...paths[r.path], [r.method.toLowerCase()]: operation(name, r) };
  }
  const inputs = namedSchemas('input');
  const outputs = namedSchemas('output');
  const bodies = routeEntries.flatMap(([name, r]: [string, RouteDef]) => (r.body ? [idOf(r.body, `the body of ${name}`)] : []));
  const answers = [...Object.keys(responseSchemas), 'Problem', 'GatewayMessage'].map((n) =>
    n in responseSchemas ? idOf(responseSchemas[n as keyof typeof responseSchemas], n) : n,
  );
  const requestSide = reachable(bodies, inputs);
  const answerSide = reachable(answers, outputs);
  const schemas: Record<string, JsonSchema> = {};
  for (const id of [...requestSide, ...answerSide].sort()) {
    const a = requestSide.has(id) ? inputs[id] : undefined;
    const b = answerSide.has(id) ? outputs[id] : undefined;
    if (a && b && JSON.stringify(a) !== JSON.stringify(b))
      throw new Error(`${id} reads differently from how it is written: give each its own id`);
    schemas[id] = (a ?? b)!;
  }
  return {
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
    paths,
    components: { securitySchemes: { cognitoIdToken: bearerScheme }, schemas },
  };
};
