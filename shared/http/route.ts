import type { ZodType } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a function may touch; the CDK stack turns this into least-privilege grants. */
export interface RoutePermissions {
  table?: 'read' | 'readwrite';
  bucket?: 'read' | 'readwrite';
  /** Needs the personal-data keys (HMAC secret, KMS data key). */
  personalData?: boolean;
}

export interface RouteResponse {
  description: string;
  schema?: ZodType;
  contentType?: string;
}

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
  summary: string;
  tag: string;
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
  /** Extra request body media types accepted besides JSON (e.g. text/csv), described in OpenAPI. */
  rawBodyTypes?: string[];
  /** Honour the Idempotency-Key header (every creating POST, SPEC §3). */
  idempotent?: boolean;
  responses: Record<number, RouteResponse>;
  /** Problem statuses this route can answer, listed in OpenAPI. */
  problems: number[];
  permissions: RoutePermissions;
  memoryMb?: number;
  timeoutSeconds?: number;
}

export const defineRoute = <R extends RouteDef>(r: R): R => r;
