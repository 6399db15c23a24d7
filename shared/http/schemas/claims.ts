// A namespace import, not `import { z }`: esbuild then bundles only what is used (not every locale: ~360 KB and ~17 ms of cold start).
import * as z from 'zod';
import { CLAIM_STATUSES } from '../../domain/claim';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS, MAX_DOCUMENT_BYTES } from '../../domain/documents';
import { PLAN_LIMITS } from '../../domain/plan';
import { claimIdParam, clientId, isoDate, ListQuery, listOf, serverId, text } from './common';

/** Claim amounts: integer fen, bounded like plan amounts so every product of §6.2 stays exact (never a 500 on a huge number). */
const money = () => z.number().int('must be an integer number of fen').min(0).max(PLAN_LIMITS.maxFen);

/** A hospital stay filed against a banded plan (SPEC §4.4). The rules of §4.4 (422 codes) run after this. */
export const FileClaimBody = z
  .strictObject({
    enrolmentId: serverId(),
    hospital: text(200),
    admissionDate: isoDate(),
    dischargeDate: isoDate(),
    diagnosis: text(500),
    icd10: z
      .string()
      .trim()
      .regex(/^[A-Za-z]\d{2}(\.[0-9A-Za-z]{1,4})?$/, 'must be an ICD-10 code such as K35.8')
      .optional(),
    accident: z.boolean(),
    totalExpenseFen: money(),
    insuranceReimbursedFen: money(),
    selfPaidInScopeFen: money(),
  })
  .meta({ id: 'FileClaim' });

export const ClaimParams = z.strictObject({ id: claimIdParam() });
export const DocumentParams = z.strictObject({ id: claimIdParam(), documentId: serverId() });

export const ClaimStatus = z.enum(CLAIM_STATUSES);
export const ListClaimsQuery = ListQuery.extend({
  orgId: clientId().optional().describe("claims of units in this org's subtree (default: your org)"),
  status: ClaimStatus.optional(),
  planId: clientId().optional(),
});

/** Checked, then not kept: a file name often holds the member's name (the claim shows `<kind>-<documentId>.<ext>`). */
const fileName = () =>
  z
    .string()
    .trim()
    .min(1)
    .max(255)
    .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control characters');

export const DeclareDocumentBody = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS),
    fileName: fileName(),
    contentType: z.enum(DOCUMENT_CONTENT_TYPES),
    sizeBytes: z.number().int().min(1).max(MAX_DOCUMENT_BYTES),
  })
  .meta({ id: 'DeclareDocument' });

export const DecisionBody = z
  .strictObject({
    decision: z.enum(['approve', 'reject', 'return']),
    reason: z.string().max(1000).optional().describe('required to reject or return; recorded in the history'),
    adjustedSelfPaidInScopeFen: money().optional().describe('approve only: a lower base than filed'),
  })
  .meta({ id: 'ClaimDecision' });

const Band = z.object({
  fromFen: z.number().int(),
  uptoFen: z.number().int().nullable(),
  partFen: z.number().int(),
  ratePermille: z.number().int(),
  resultPermilleFen: z.number().int().describe('partFen × ratePermille, exact, in 1/1000 fen'),
});

export const BenefitBreakdown = z
  .object({
    kind: z.literal('banded'),
    baseFen: z.number().int(),
    deductibleBasis: z.enum(['per_stay', 'per_period']),
    deductibleFen: z.number().int(),
    deductibleAppliedFen: z.number().int(),
    eligibleFen: z.number().int(),
    bands: z.array(Band),
    bandedFen: z.number().int(),
    shares: z.number().int(),
    capFen: z.number().int(),
    capRemainingBeforeFen: z.number().int(),
    benefitFen: z.number().int(),
    deductibleConsumedFen: z.number().int(),
    lines: z.array(z.string()).describe('the explanation in zh-CN, one step a line'),
  })
  .meta({ id: 'BenefitBreakdown', description: 'Explanation of benefits (SPEC §6.2): an estimate until approval, then frozen' });

const ClaimEvent = z.object({
  at: z.string(),
  actor: z.string(),
  role: z.enum(['federation_admin', 'office_staff', 'unit_admin']),
  from: ClaimStatus.nullable(),
  to: ClaimStatus,
  note: z.string().optional(),
});

const ClaimDocument = z.object({
  documentId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  fileName: z.string().describe('`<kind>-<documentId>.<ext>`: the name the client sent is not kept, as it often names the member'),
  contentType: z.enum(DOCUMENT_CONTENT_TYPES),
  sizeBytes: z.number().int(),
  declaredAt: z.string(),
  uploaded: z
    .boolean()
    .optional()
    .describe('whether the object is in S3: on GET /claims/{id} and submit answers only (lists skip the S3 calls)'),
  downloadUrl: z.string().optional().describe('presigned GET, valid ≤ 5 minutes, for an uploaded document (GET /claims/{id} and submit)'),
});

export const Claim = z
  .object({
    claimId: z.string(),
    enrolmentId: z.string(),
    planId: z.string(),
    unitId: z.string(),
    status: ClaimStatus,
    createdBy: z.string(),
    hospital: z.string(),
    admissionDate: z.string(),
    dischargeDate: z.string(),
    diagnosis: z.string(),
    icd10: z.string().optional(),
    accident: z.boolean(),
    totalExpenseFen: z.number().int(),
    insuranceReimbursedFen: z.number().int(),
    selfPaidInScopeFen: z.number().int(),
    estimatedBenefitFen: z.number().int().describe('at filing, refreshed at each submission'),
    approvedBenefitFen: z.number().int().optional().describe('once approved'),
    benefitBreakdown: BenefitBreakdown,
    documents: z.array(ClaimDocument),
    history: z.array(ClaimEvent),
    paymentId: z.string().optional(),
    paidDate: z.string().optional(),
    kind: z.literal('banded'),
    adjustedSelfPaidInScopeFen: z.number().int().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
    firstSubmittedDate: z.string().optional(),
    lastSubmittedDate: z.string().optional(),
    approvedAt: z.string().optional(),
  })
  .meta({ id: 'Claim' });

export const ClaimList = listOf(Claim, 'ClaimList');

export const DocumentUpload = z
  .object({
    documentId: z.string(),
    upload: z.object({
      method: z.literal('POST'),
      url: z.string(),
      fields: z.record(z.string(), z.string()).describe('send every field before the file'),
      expiresAt: z.string(),
    }),
  })
  .meta({ id: 'DocumentUpload', description: 'A presigned S3 POST (≤ 15 minutes) pinning key, content type and size' });
