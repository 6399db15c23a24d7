// A namespace import, not `import { z }`: esbuild then bundles only what is used (not every locale: ~360 KB and ~17 ms of cold start).
import * as z from 'zod';
import { clientId, ListQuery, listOf, serverId } from './common';

/**
 * A roster row. At run time only its shape is checked here: its values are
 * judged row by row (SPEC §4.3 row codes), so a bad or missing ID number
 * rejects that row, not the request. The OpenAPI document still describes
 * the fields a client must send, with their types (via `meta`).
 */
const MemberRow = z
  .strictObject({
    idNumber: z.unknown().optional().meta({
      type: 'string',
      description: 'resident ID number (18 characters, GB 11643); judged per row (INVALID_ID_NUMBER)',
      example: '11010519491231002X',
    }),
    name: z.unknown().optional().meta({ type: 'string', description: 'full name as on the ID card; judged per row (INVALID_NAME)' }),
    shares: z
      .unknown()
      .optional()
      .meta({ type: 'integer', minimum: 1, description: 'shares bought, 1..maxShares (default 1); judged per row' }),
    phone: z.unknown().optional().meta({ type: 'string', description: 'mobile or landline; judged per row' }),
  })
  .meta({ id: 'RosterRow', required: ['idNumber', 'name'] });

export const EnrolBody = z
  .strictObject({
    planId: clientId(),
    members: z.array(MemberRow).min(1).max(5000),
  })
  .meta({ id: 'EnrolRoster' });

export const EnrolParams = z.strictObject({ unitId: clientId() });
/** For roster files (CSV, Excel) the plan comes in the query. */
export const EnrolQuery = z.strictObject({ planId: clientId().optional() });

export const RowCode = z.enum([
  'INVALID_ID_NUMBER',
  'ROW_MALFORMED',
  'INVALID_NAME',
  'INVALID_SHARES',
  'INVALID_PHONE',
  'AGE_OUT_OF_RANGE',
  'DUPLICATE_IN_REQUEST',
  'ALREADY_ENROLLED',
]);

export const EnrolResult = z
  .object({
    planId: z.string(),
    unitId: z.string(),
    accepted: z.number().int(),
    enrolments: z.array(z.object({ row: z.number().int(), enrolmentId: z.string() })),
    rejected: z.array(
      z.object({
        row: z.number().int(),
        idNumberMasked: z.string(),
        code: RowCode,
        message: z.string(),
        enrolmentId: z.string().optional().describe('ALREADY_ENROLLED only: the existing enrolment, when it is within your scope'),
      }),
    ),
  })
  .meta({ id: 'EnrolResult' });

export const Enrolment = z
  .object({
    enrolmentId: z.string(),
    planId: z.string(),
    unitId: z.string(),
    idNumberMasked: z.string(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    shares: z.number().int(),
    contributionFen: z.number().int(),
    enrolledDate: z.string(),
    renewal: z.boolean(),
    benefitStartDate: z.string(),
    accidentBenefitStartDate: z.string(),
    capFen: z.number().int(),
    usedFen: z.number().int(),
    remainingFen: z.number().int(),
    deductibleUsedFen: z.number().int(),
    status: z.enum(['active']),
    transfers: z.array(z.object({ at: z.string(), actor: z.string(), fromUnitId: z.string(), toUnitId: z.string() })),
  })
  .meta({ id: 'Enrolment' });

export const EnrolmentList = listOf(Enrolment, 'EnrolmentList');
export const ListEnrolmentsQuery = ListQuery.extend({ planId: clientId().optional() });
export const EnrolmentParams = z.strictObject({ id: serverId() });
export const TransferBody = z.strictObject({ toUnitId: clientId() }).meta({ id: 'Transfer' });

export const IdentityPurpose = z.enum(['claim_review', 'member_service', 'correction']);
export const IdentityQuery = z.strictObject({ purpose: IdentityPurpose });
export const Identity = z
  .object({ idNumber: z.string(), name: z.string(), phone: z.string().nullable() })
  .meta({ id: 'Identity', description: 'The full identity; every reveal is recorded (GET /identity-access)' });

export const IdentityAccess = z
  .object({
    accessId: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.enum(['federation_admin', 'office_staff', 'unit_admin']),
    orgId: z.string().describe("the actor's org"),
    enrolmentId: z.string(),
    unitId: z.string(),
    purpose: IdentityPurpose,
  })
  .meta({ id: 'IdentityAccess' });
export const IdentityAccessList = listOf(IdentityAccess, 'IdentityAccessList');
export const IdentityAccessQuery = ListQuery.extend({
  orgId: clientId().optional().describe("accesses by actors in this org's subtree (default: all)"),
  from: z.iso.date().optional().describe('first day (Asia/Shanghai), inclusive'),
  to: z.iso.date().optional().describe('last day (Asia/Shanghai), inclusive'),
});
