import type { RouteDef } from '../route';

export const health = {
  method: 'GET',
  path: '/health',
  auth: false,
  tag: 'meta',
  summary: 'Liveness',
  responses: { 200: { description: 'alive', schema: 'Health' } },
  problems: [],
  permissions: {},
} satisfies RouteDef;

export const openapi = {
  method: 'GET',
  path: '/openapi.json',
  auth: false,
  tag: 'meta',
  summary: 'This document (OpenAPI 3.1)',
  responses: { 200: { description: 'OpenAPI 3.1 document', schema: 'OpenApiDocument' } },
  problems: [],
  permissions: {},
} satisfies RouteDef;
