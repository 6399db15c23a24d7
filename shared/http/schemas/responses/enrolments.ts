import { ROW_CODES } from '../../../messages/catalogue';
import { IdentityPurpose } from '../enrolments';
import * as z from '../zod';
import { described, int, listOf, optional } from './common';

export const RowCode = z.enum(ROW_CODES);

export const EnrolResult = z
  .object({
    planId: z.string(),
    unitId: z.string(),
    accepted: int(),
    skippedRows: described(int(), 'totals rows (合计/小计/总计 and no ID number) skipped, not judged'),
    enrolments: z.array(z.object({ row: int(), enrolmentId: z.string() })),
    rejected: z.array(
      z.object({
        row: int(),
        line: optional(int(), 'roster files: the line in the CSV, or the row in the sheet, as a spreadsheet numbers it'),
        name: optional(z.string(), 'the name as sent (runs of six or more digits masked)'),
        idNumberMasked: z.string(),
        code: RowCode,
        message: z.string(),
        enrolmentId: optional(z.string(), 'ALREADY_ENROLLED only: the existing enrolment, when it is within your scope'),
      }),
    ),
  })
  .check(z.meta({ id: 'EnrolResult' }));

export const Enrolment = z
  .object({
    enrolmentId: z.string(),
    planId: z.string(),
    unitId: z.string(),
    idNumberMasked: z.string(),
    name: z.string(),
    gender: z.enum(['male', 'female']),
    shares: int(),
    contributionFen: int(),
    funding: z
      .object({ administrationFen: int(), unionFen: int(), workerFen: int() })
      .check(z.meta({ id: 'Funding', description: 'who pays contributionFen (co-funding, SPEC §4.3); always sums to it' })),
    enrolledDate: z.string(),
    renewal: z.boolean(),
    benefitStartDate: z.string(),
    accidentBenefitStartDate: z.string(),
    capFen: int(),
    usedFen: int(),
    remainingFen: int(),
    deductibleUsedFen: int(),
    paidConditions: optional(z.array(z.string()), 'lump-sum plans: the conditions approved under this enrolment (each is paid once)'),
    status: described(z.enum(['active', 'cancelled']), 'cancelled: made in error and cancelled (POST /enrolments/{id}/cancel)'),
    transfers: z.array(z.object({ at: z.string(), actor: z.string(), fromUnitId: z.string(), toUnitId: z.string() })),
    history: described(
      z.array(
        z.object({
          at: z.string(),
          actor: z.string(),
          role: z.enum(['federation_admin', 'office_staff', 'unit_admin']),
          action: z.enum(['corrected', 'cancelled']),
          note: optional(z.string(), 'corrected: the fields changed (never their values); cancelled: the reason'),
        }),
      ),
      'corrections and the cancellation, oldest first',
    ),
  })
  .check(z.meta({ id: 'Enrolment' }));

export const EnrolmentLookupResult = z
  .object({
    items: z.array(
      z.object({
        enrolmentId: z.string(),
        planId: z.string(),
        planName: z.string(),
        unitId: z.string(),
        unitName: z.string(),
        idNumberMasked: z.string(),
        status: z.enum(['active', 'cancelled']),
        enrolledDate: z.string(),
        benefitStartDate: z.string(),
        capFen: int(),
        usedFen: int(),
        remainingFen: int(),
      }),
    ),
  })
  .check(
    z.meta({
      id: 'EnrolmentLookupResult',
      description: "The person's enrolments within your scope, by plan coverage (masked ID number, no name)",
    }),
  );
export const EnrolmentList = listOf(Enrolment, 'EnrolmentList');

export const Identity = z
  .object({ idNumber: z.string(), name: z.string(), phone: z.nullable(z.string()) })
  .check(z.meta({ id: 'Identity', description: 'The full identity; every reveal is recorded (GET /identity-access)' }));

export const IdentityAccess = z
  .object({
    accessId: z.string(),
    at: z.string(),
    actor: z.string(),
    role: z.enum(['federation_admin', 'office_staff', 'unit_admin']),
    orgId: described(z.string(), "the actor's org"),
    enrolmentId: z.string(),
    unitId: z.string(),
    purpose: IdentityPurpose,
  })
  .check(z.meta({ id: 'IdentityAccess' }));
export const IdentityAccessList = listOf(IdentityAccess, 'IdentityAccessList');
