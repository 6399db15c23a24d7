import type { Role } from '../domain/scope';
import type { ResponseSchemaName } from './schemas/responses';
import type { Schema } from './schemas/zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a function may touch; the CDK stack turns this into least-privilege
 * grants (infra/grants.ts) and nothing else.
 */
export interface RoutePermissions {
  /** read: GetItem, BatchGetItem, Query (never Scan); readwrite adds PutItem, UpdateItem, DeleteItem, ConditionCheckItem, BatchWriteItem. */
  table?: 'read' | 'readwrite';
  /** S3 object access by key prefix (shared/objects/keys.ts), e.g. { read: ['claims/'], write: ['claims/'] }. */
  bucket?: { read?: string[]; write?: string[] };
  /**
   * Personal data: `open` may decrypt sealed blobs (kms:Decrypt); `seal` may
   * make data keys (kms:GenerateDataKey); `hmac` may read the ID-number HMAC
   * secret (enrolment ids, person keys).
   */
  pii?: { open?: true; seal?: true; hmac?: true };
  /** Signs and checks list cursors: reads the cursor HMAC secret. */
  cursors?: true;
}

export interface RouteResponse {
  description: string;
  /** The body's schema by name (schemas/responses): named, not held, so no function bundles the schemas of its answers. */
  schema?: ResponseSchemaName;
  contentType?: string;
  /** Response headers worth documenting (Location on 201 is added automatically). */
  headers?: Record<string, string>;
}

/** See RouteDef.scope. */
export type RouteScope = { org: string } | { orgBelow: string } | { claim: string } | { enrolment: string } | { body: string };

/**
 * One row of the route table. The CDK stack makes one Lambda + one HTTP API
 * route of it, the local gateway serves it, the OpenAPI document describes it,
 * and the handler validates against its schemas.
 */
export interface RouteDef {
  method: HttpMethod;
  /** API Gateway syntax: `/orgs/{id}`. */
  path: string;
  /** JWT required (checked by the gateway's authorizer, then by the handler). */
  auth: boolean;
  /** Roles allowed at all (checked before the body is read: a wrong role gets 403, not a schema lesson). Default: every role. */
  roles?: readonly Role[];
  /**
   * What the caller must reach, checked after the role and BEFORE the body is
   * read (SPEC §3 "access before work"; middleware/authorise.ts): the
   * resource a path parameter names — an org in scope, an org strictly below
   * (targets), a claim's or an enrolment's unit in scope. Unknown → 404,
   * outside → 403, whatever the body. `{ body: field }` records a route whose
   * target only its body names (checked by its function once parsed).
   */
  scope?: RouteScope;
  summary: string;
  tag: string;
  params?: Schema;
  query?: Schema;
  body?: Schema;
  /** Extra request body media types accepted besides JSON (e.g. text/csv), described in OpenAPI. */
  rawBodyTypes?: string[];
  /**
   * Honour the Idempotency-Key header (every creating POST, SPEC §3): `true`
   * through the shared wrapper (shared/http/idempotency.ts); `'own'` when the
   * business function keeps its keys itself (the payment protocol) — the
   * wrapper skips it, OpenAPI still documents the header.
   */
  idempotent?: boolean | 'own';
  responses: Record<number, RouteResponse>;
  /** Problem statuses this route can answer, listed in OpenAPI. */
  problems: number[];
  permissions: RoutePermissions;
  memoryMb?: number;
  timeoutSeconds?: number;
  /**
   * Package files the function reads at run time (e.g. `swagger-ui-dist/swagger-ui.css`): the CDK stack copies
   * each into `assets/` beside the bundle; locally they are read from node_modules (./assets.ts).
   */
  files?: readonly string[];
}
