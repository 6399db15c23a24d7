import type { RouteDef } from '../route';
import { CreatePaymentBody, DisclosureParams, DisclosureQuery, PaymentParams } from '../schemas/payments';
import { FEDERATION, OPEN_PII } from './access';

export const createPayment = {
  method: 'POST',
  path: '/payments',
  auth: true,
  roles: FEDERATION,
  tag: 'payments',
  summary: 'Pay 1–500 approved claims, all or nothing (federation_admin)',
  body: CreatePaymentBody,
  idempotent: 'own',
  responses: { 201: { description: 'the completed payment', schema: 'Payment' } },
  problems: [400, 401, 403, 404, 409, 422],
  // Opens sealed identities to publish masked names (张*).
  permissions: { table: 'readwrite', pii: OPEN_PII },
} satisfies RouteDef;

export const getPayment = {
  method: 'GET',
  path: '/payments/{id}',
  auth: true,
  roles: FEDERATION,
  tag: 'payments',
  summary: 'One payment batch (federation_admin)',
  params: PaymentParams,
  responses: { 200: { description: 'the payment', schema: 'Payment' } },
  problems: [400, 401, 403, 404],
  permissions: { table: 'read' },
} satisfies RouteDef;

export const listDisclosures = {
  method: 'GET',
  path: '/public/plans/{planId}/disclosures',
  auth: false,
  tag: 'payments',
  summary: "A plan's paid claims as published (公示): masked names, newest first. Public: no token",
  params: DisclosureParams,
  query: DisclosureQuery,
  responses: { 200: { description: 'a page of disclosures', schema: 'DisclosureList' } },
  problems: [400, 404],
  permissions: { table: 'read', cursors: true },
} satisfies RouteDef;
