import { z } from 'zod';
import { clientId, ListQuery, listOf, serverId } from './common';

/**
 * A roster row is only checked for shape here; its values are judged row by
 * row (SPEC §4.3 row codes), so a bad ID number rejects that row, not the request.
 */
const MemberRow = z.strictObject({
  idNumber: z.unknown(),
  name: z.unknown(),
  shares: z.unknown().optional(),
  phone: z.unknown().optional(),
});

export const EnrolBody = z
  .strictObject({
    planId: clientId(),
    members: z.array(MemberRow).min(1).max(5000),
  })
  .meta({ id: 'EnrolRoster' });

export const EnrolParams = z.strictObject({ unitId: clientId() });
/** For `text/csv` bodies the plan comes in the query. */
export const EnrolQuery = z.strictObject({ planId: clientId().optional() });

export const RowCode = z.enum([
  'INVALID_ID_NUMBER',
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
    rejected: z.array(z.object({ row: z.number().int(), idNumberMasked: z.string(), code: RowCode, message: z.string() })),
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
    birthDate: z.string(),
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
