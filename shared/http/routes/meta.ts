import type { RouteDef } from '../route';
import { DocsAssetParams } from '../schemas/docs';

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

/** `/` leads people somewhere useful: a page linking the API reference (the console, once it exists, takes its place). */
export const home = {
  method: 'GET',
  path: '/',
  auth: false,
  tag: 'meta',
  summary: 'Entry point: a page (zh-CN) linking the API reference, the OpenAPI document and the health check',
  responses: { 200: { description: 'the page', contentType: 'text/html' } },
  problems: [],
  permissions: {},
} satisfies RouteDef;

/** The API reference (SPEC §8): Swagger UI over /openapi.json, served from this API, no outside network. */
export const docs = {
  method: 'GET',
  path: '/docs',
  auth: false,
  tag: 'meta',
  summary: 'API reference page (HTML) rendered in the browser from /openapi.json',
  responses: { 200: { description: 'the page', contentType: 'text/html' } },
  problems: [],
  permissions: {},
} satisfies RouteDef;

export const docsAsset = {
  method: 'GET',
  path: '/docs/{file}',
  auth: false,
  tag: 'meta',
  summary: 'A static file of the API reference page (the renderer, its style sheet, its start script)',
  params: DocsAssetParams,
  responses: {
    200: { description: 'the file (JavaScript or CSS), gzip when the client accepts it', contentType: 'application/javascript' },
  },
  problems: [404],
  permissions: {},
  // The renderer ships inside this function's bundle (infra copies these module files next to it).
  files: ['swagger-ui-dist/swagger-ui-bundle.js', 'swagger-ui-dist/swagger-ui.css'],
} satisfies RouteDef;
