/**
 * THE route table. Read by the CDK stack (one Lambda + one route per entry,
 * grants from `permissions`), by the local gateway, by the OpenAPI generator
 * and by the tests. The key is the function's folder:
 * `functions/<key>/handler.ts`.
 *
 * Each route is its own export in the module of its resource, and a handler
 * imports only its own (`httpHandler('getClaim', getClaim, …)`): its bundle
 * then builds only the schemas it validates, not every route's
 * (cold start; bench/results.md §5).
 */
import * as claims from './claims';
import * as enrolment from './enrolment';
import * as evaluations from './evaluations';
import * as meta from './meta';
import * as orgs from './orgs';
import * as payments from './payments';
import * as plans from './plans';
import * as reports from './reports';
import * as rosterImports from './rosterImports';

export const routes = { ...meta, ...orgs, ...plans, ...enrolment, ...claims, ...payments, ...reports, ...rosterImports, ...evaluations };

export type RouteName = keyof typeof routes;
export const routeEntries = Object.entries(routes) as [RouteName, (typeof routes)[RouteName]][];
