import { clientId, isoDate, ListQuery, optional, schema } from './common';
import * as z from './zod';

const orgId = () => optional(clientId(), "the subtree to report on (default: the caller's org)");

export const ReportsQuery = /* @__PURE__ */ schema(() => z.extend(ListQuery, { orgId: orgId() }));
export const ReportParams = /* @__PURE__ */ schema(() => z.strictObject({ date: isoDate() }));
export const ReportQuery = /* @__PURE__ */ schema(() =>
  z.strictObject({
    orgId: orgId(),
    planId: optional(clientId(), 'answer with this plan only (the linked files always hold every plan of the subtree)'),
  }),
);
