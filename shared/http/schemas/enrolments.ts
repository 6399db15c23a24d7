import { PLAN_LIMITS } from '../../domain/plan';
import { clientId, intIn, ListQuery, optional, serverId, schema, text } from './common';
import { validatePersonName } from '../../domain/names';
import { normalisePhone } from '../../domain/roster';
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

const perShare = (who: string) =>
  optional(
    intIn(0, PLAN_LIMITS.maxFen, 'must be an integer number of fen, 0 or more'),
    `fen per share paid by the unit's ${who} (default 0)`,
  );

/**
 * Co-funding (行政支持一点、工会筹措一点、职工拿一点, SPEC §4.3): what the unit's administration and its union
 * pay per share; the worker pays the rest. Their sum may not exceed the plan's lowest per-share price (422 SUBSIDY_TOO_HIGH).
 */
export const FundingPerShare = /* @__PURE__ */ schema(() =>
  z
    .strictObject({ administrationPerShareFen: perShare('administration (行政)'), unionPerShareFen: perShare('union (工会)') })
    .check(z.meta({ id: 'FundingPerShare' })),
);

/** The same two per-share amounts as query parameters (roster files: CSV, Excel). */
const perShareQuery = (who: string) =>
  optional(
    z.coerce.number().check(z.int(), z.minimum(0), z.maximum(PLAN_LIMITS.maxFen)),
    `co-funding: fen per share paid by the unit's ${who} (default 0)`,
  );

export const EnrolBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      planId: clientId(),
      members: z.array(MemberRow).check(z.minLength(1), z.maxLength(5000)),
      funding: z.optional(FundingPerShare),
      enrolledDate: optional(
        z.iso.date(),
        'backdating (office_staff, federation_admin only; a unit_admin gets 403): the day the member enrolled on paper, within [enrolmentOpen, today] (else 422 ENROLLED_DATE_OUT_OF_RANGE). Sets benefitStartDate; counters count it on the day it is recorded',
      ),
    })
    .check(z.meta({ id: 'EnrolRoster' })),
);

export const EnrolParams = /* @__PURE__ */ schema(() => z.strictObject({ unitId: clientId() }));
/** For roster files (CSV, Excel) the plan comes in the query. */
export const EnrolQuery = /* @__PURE__ */ schema(() =>
  z.strictObject({
    planId: z.optional(clientId()),
    administrationPerShareFen: perShareQuery('administration (行政)'),
    unionPerShareFen: perShareQuery('union (工会)'),
    enrolledDate: optional(z.iso.date(), 'roster files: backdating, as `enrolledDate` in a JSON roster (office or federation staff only)'),
  }),
);

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

/** PATCH /enrolments/{id} (SPEC §4.3): a typing error in the name or phone corrected; the ID number is never patched. */
export const PatchEnrolmentBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      name: optional(
        z.string().check(
          z.refine((n) => validatePersonName(n).ok, {
            message: "must be a person's name as on the ID card (1–50 characters, no digits)",
          }),
        ),
        'the name as on the ID card',
      ),
      phone: optional(
        z.nullable(
          z
            .string()
            .check(z.refine((p) => normalisePhone(p) !== null, { message: 'must be an 11-digit mainland mobile number starting with 1' })),
        ),
        'an 11-digit mainland mobile number starting with 1; null removes it',
      ),
    })
    .check(
      z.refine((o) => o.name !== undefined || o.phone !== undefined, { message: 'give name or phone' }),
      z.meta({ id: 'PatchEnrolment' }),
    ),
);

/** POST /enrolments/{id}/cancel (SPEC §4.3): why it was made in error; kept in the enrolment's history. */
export const CancelEnrolmentBody = /* @__PURE__ */ schema(() =>
  z.strictObject({ reason: text(500) }).check(z.meta({ id: 'CancelEnrolment' })),
);

/** POST /enrolments/lookup (SPEC §4.3): the ID number travels in the body, never in a URL. */
export const LookupBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      idNumber: z.string().check(z.minLength(1), z.maxLength(32)),
      planId: optional(clientId(), 'only this plan (default: every plan)'),
    })
    .check(z.meta({ id: 'EnrolmentLookup' })),
);
