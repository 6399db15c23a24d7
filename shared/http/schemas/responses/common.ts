import { described } from '../common';
import * as z from '../zod';

export { described, int, intIn, optional } from '../common';

/** A page of a list (SPEC §3): the items and the cursor of the next page, or null. */
export const listOf = <T extends z.ZodMiniType>(item: T, id: string) =>
  z.object({ items: z.array(item), nextCursor: z.nullable(z.string()) }).check(z.meta({ id }));

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.string(),
    errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
  })
  .check(z.meta({ id: 'Problem', description: 'RFC 9457 problem details' }));

export const Health = z.object({ status: z.literal('ok'), time: z.string() }).check(z.meta({ id: 'Health' }));

/** What API Gateway itself answers before any function runs (401 from the JWT authorizer, 429 from throttling). */
export const GatewayMessage = z.object({ message: z.string() }).check(
  z.meta({
    id: 'GatewayMessage',
    description: 'API Gateway\'s own body, e.g. {"message":"Unauthorized"} or {"message":"Too Many Requests"}',
  }),
);

/** GET /openapi.json: an OpenAPI 3.1 document (described loosely: it describes itself). */
export const OpenApiDocument = z
  .looseObject({
    openapi: z.string(),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .check(z.meta({ id: 'OpenApiDocument' }));

/** A presigned S3 POST: send every field, then the file. */
export const presignedPost = () =>
  z.object({
    method: z.literal('POST'),
    url: z.string(),
    fields: described(z.record(z.string(), z.string()), 'send every field before the file'),
    expiresAt: z.string(),
  });
