import { clientId, ListQuery, optional, serverId, schema } from './common';
import * as z from './zod';

/**
 * A roster row. At run time only its shape is checked here: its values are
 * judged row by row (SPEC §4.3 row codes), so a bad or missing ID number
 * rejects that row, not the request. The OpenAPI document still describes
 * the fields a client must send, with their types (via `meta`).
 */
const documented = (meta: Record<string, unknown>) => z.optional(z.unknown()).check(z.meta(meta));

const MemberRow = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      idNumber: documented({
        type: 'string',
        description: 'resident ID number (18 characters, GB 11643); judged per row (INVALID_ID_NUMBER)',
        example: '11010519491231002X',
      }),
      name: documented({ type: 'string', description: 'full name as on the ID card; judged per row (INVALID_NAME)' }),
      shares: documented({ type: 'integer', minimum: 1, description: 'shares bought, 1..maxShares (default 1); judged per row' }),
      phone: documented({ type: 'string', description: 'mobile or landline; judged per row' }),
    })
    .check(z.meta({ id: 'RosterRow', required: ['idNumber', 'name'] })),
);

export const EnrolBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      planId: clientId(),
      members: z.array(MemberRow).check(z.minLength(1), z.maxLength(5000)),
    })
    .check(z.meta({ id: 'EnrolRoster' })),
);

export const EnrolParams = /* @__PURE__ */ schema(() => z.strictObject({ unitId: clientId() }));
/** For roster files (CSV, Excel) the plan comes in the query. */
export const EnrolQuery = /* @__PURE__ */ schema(() => z.strictObject({ planId: z.optional(clientId()) }));

export const ListEnrolmentsQuery = /* @__PURE__ */ schema(() => z.extend(ListQuery, { planId: z.optional(clientId()) }));
export const EnrolmentParams = /* @__PURE__ */ schema(() => z.strictObject({ id: serverId() }));
export const TransferBody = /* @__PURE__ */ schema(() => z.strictObject({ toUnitId: clientId() }).check(z.meta({ id: 'Transfer' })));

export const IdentityPurpose = /* @__PURE__ */ schema(() => z.enum(['claim_review', 'member_service', 'correction']));
export const IdentityQuery = /* @__PURE__ */ schema(() => z.strictObject({ purpose: IdentityPurpose }));
export const IdentityAccessQuery = /* @__PURE__ */ schema(() =>
  z.extend(ListQuery, {
    orgId: optional(clientId(), "accesses by actors in this org's subtree (default: all)"),
    from: optional(z.iso.date(), 'first day (Asia/Shanghai), inclusive'),
    to: optional(z.iso.date(), 'last day (Asia/Shanghai), inclusive'),
  }),
);
