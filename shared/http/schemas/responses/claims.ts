import { DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS } from '../../../domain/documents';
import { ClaimStatus } from '../claims';
import * as z from '../zod';
import { described, int, listOf, optional, presignedPost } from './common';

const Band = z.object({
  fromFen: int(),
  uptoFen: z.nullable(int()),
  partFen: int(),
  ratePermille: int(),
  resultPermilleFen: described(int(), 'partFen × ratePermille, exact, in 1/1000 fen'),
});

export const BandedBreakdown = z
  .object({
    kind: z.literal('banded'),
    baseFen: int(),
    deductibleBasis: z.enum(['per_stay', 'per_period']),
    deductibleFen: int(),
    deductibleAppliedFen: int(),
    eligibleFen: int(),
    bands: z.array(Band),
    bandedFen: int(),
    shares: int(),
    capFen: int(),
    capRemainingBeforeFen: int(),
    benefitFen: int(),
    deductibleConsumedFen: int(),
    lines: described(z.array(z.string()), 'the explanation in zh-CN, one step a line'),
  })
  .check(
    z.meta({ id: 'BandedBreakdown', description: 'Explanation of a banded benefit (SPEC §6.2): an estimate until approval, then frozen' }),
  );

export const LumpSumBreakdown = z
  .object({
    kind: z.literal('lump_sum'),
    conditionCode: z.string(),
    conditionName: z.string(),
    amountPerShareFen: int(),
    shares: int(),
    capFen: int(),
    capRemainingBeforeFen: int(),
    benefitFen: described(int(), 'min(amountPerShareFen × shares, capRemainingBeforeFen)'),
    lines: described(z.array(z.string()), 'the explanation in zh-CN, one step a line'),
  })
  .check(
    z.meta({
      id: 'LumpSumBreakdown',
      description: 'Explanation of a lump-sum benefit (SPEC §4.4): an estimate until approval, then frozen',
    }),
  );

export const BenefitBreakdown = z
  .union([BandedBreakdown, LumpSumBreakdown])
  .check(z.meta({ id: 'BenefitBreakdown', description: 'Explanation of benefits, by plan kind: an estimate until approval, then frozen' }));

const ClaimEvent = z.object({
  at: z.string(),
  actor: z.string(),
  role: z.enum(['federation_admin', 'office_staff', 'unit_admin']),
  from: z.nullable(ClaimStatus),
  to: ClaimStatus,
  note: z.optional(z.string()),
  action: optional(
    z.enum(['document_declared', 'document_removed']),
    'set when the event is not a status change: a document declared or removed (then from = to = the status it happened in)',
  ),
  documentId: optional(z.string(), 'the document an action concerns'),
  documentKind: optional(z.enum(DOCUMENT_KINDS), 'the kind of the document an action concerns'),
});

const ClaimDocument = z.object({
  documentId: z.string(),
  kind: z.enum(DOCUMENT_KINDS),
  fileName: described(z.string(), '`<kind>-<documentId>.<ext>`: the name the client sent is not kept, as it often names the member'),
  contentType: z.enum(DOCUMENT_CONTENT_TYPES),
  sizeBytes: int(),
  declaredAt: z.string(),
  frozenAt: optional(
    z.string(),
    'when submit checked this document and froze it as evidence: every later download returns exactly the checked bytes',
  ),
  uploaded: optional(z.boolean(), 'whether the object is in S3: on GET /claims/{id} and submit answers only (lists skip the S3 calls)'),
  downloadUrl: optional(z.string(), 'presigned GET, valid ≤ 5 minutes, for an uploaded document (GET /claims/{id} and submit)'),
});

export const Claim = z
  .object({
    claimId: z.string(),
    enrolmentId: z.string(),
    planId: z.string(),
    unitId: z.string(),
    status: ClaimStatus,
    createdBy: z.string(),
    memberName: described(
      z.string(),
      'the member’s name, on every claim answer (lists too): the clerk sees whose claim it is, the reviewer checks it against the documents',
    ),
    idNumberMasked: described(z.string(), 'the member’s ID number, masked (e.g. 110105********123X)'),
    hospital: z.string(),
    admissionDate: optional(z.string(), 'banded'),
    dischargeDate: optional(z.string(), 'banded'),
    diagnosis: optional(z.string(), 'banded'),
    icd10: z.optional(z.string()),
    diagnosisDate: optional(z.string(), 'lump_sum: the date of first diagnosis'),
    conditionCode: optional(z.string(), 'lump_sum: the plan’s condition claimed'),
    conditionName: optional(z.string(), 'lump_sum'),
    accident: z.boolean(),
    totalExpenseFen: optional(int(), 'banded'),
    insuranceReimbursedFen: optional(int(), 'banded'),
    selfPaidInScopeFen: optional(int(), 'banded'),
    estimatedBenefitFen: described(int(), 'at filing, refreshed at each submission'),
    approvedBenefitFen: optional(int(), 'once approved'),
    benefitBreakdown: BenefitBreakdown,
    requiredDocuments: described(
      z.array(z.object({ kind: z.enum(DOCUMENT_KINDS), uploaded: z.boolean() })),
      'the document kinds submit requires (a settlement statement whenever insurance paid a part), each with whether one is uploaded',
    ),
    documents: z.array(ClaimDocument),
    history: z.array(ClaimEvent),
    paymentId: z.optional(z.string()),
    paidDate: z.optional(z.string()),
    kind: described(z.enum(['banded', 'lump_sum']), 'the plan kind: which filed fields the claim has'),
    adjustedSelfPaidInScopeFen: z.optional(int()),
    createdAt: z.string(),
    updatedAt: z.string(),
    firstSubmittedDate: z.optional(z.string()),
    lastSubmittedDate: z.optional(z.string()),
    approvedAt: z.optional(z.string()),
  })
  .check(z.meta({ id: 'Claim' }));
export const ClaimList = listOf(Claim, 'ClaimList');

export const DocumentUpload = z
  .object({ documentId: z.string(), upload: presignedPost() })
  .check(z.meta({ id: 'DocumentUpload', description: 'A presigned S3 POST (≤ 15 minutes) pinning key, content type and size' }));
