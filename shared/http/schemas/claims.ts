import { CLAIM_STATUSES } from '../../domain/claim';
import { DOCUMENT_CONTENT_TYPES, DOCUMENT_KINDS, MAX_DOCUMENT_BYTES } from '../../domain/documents';
import { PLAN_LIMITS } from '../../domain/plan';
import { claimIdParam, clientId, intIn, isoDate, ListQuery, optional, serverId, text, schema } from './common';
import * as z from './zod';

/** Claim amounts: integer fen, bounded like plan amounts so every product of §6.2 stays exact (never a 500 on a huge number). */
const money = () => intIn(0, PLAN_LIMITS.maxFen, 'must be an integer number of fen');

/** A hospital stay filed against a banded plan (SPEC §4.4). The rules of §4.4 (422 codes) run after this. */
export const FileBandedClaimBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      enrolmentId: serverId(),
      hospital: text(200),
      admissionDate: isoDate(),
      dischargeDate: isoDate(),
      diagnosis: text(500),
      icd10: z.optional(z.string().check(z.trim(), z.regex(/^[A-Za-z]\d{2}(\.[0-9A-Za-z]{1,4})?$/, 'FIELD.icd10'))),
      accident: z.boolean(),
      totalExpenseFen: money(),
      insuranceReimbursedFen: money(),
      selfPaidInScopeFen: money(),
    })
    .check(z.meta({ id: 'FileBandedClaim' })),
);

/** A first diagnosis filed against a lump-sum plan (SPEC §4.4): CONDITION_NOT_COVERED and the rest of §4.4 run after this. */
export const FileLumpSumClaimBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      enrolmentId: serverId(),
      hospital: text(200),
      diagnosisDate: isoDate(),
      conditionCode: text(40),
      accident: z.boolean(),
    })
    .check(z.meta({ id: 'FileLumpSumClaim' })),
);

/**
 * The claim body: one shape per plan kind (the enrolment's plan decides which one applies;
 * a body of the other shape answers 400 naming what the plan's kind needs).
 */
export const FileClaimBody = /* @__PURE__ */ schema(() =>
  z.union([FileBandedClaimBody, FileLumpSumClaimBody]).check(z.meta({ id: 'FileClaim' })),
);

export const ClaimParams = /* @__PURE__ */ schema(() => z.strictObject({ id: claimIdParam() }));
export const DocumentParams = /* @__PURE__ */ schema(() => z.strictObject({ id: claimIdParam(), documentId: serverId() }));

export const ClaimStatus = /* @__PURE__ */ schema(() => z.enum(CLAIM_STATUSES));
export const ListClaimsQuery = /* @__PURE__ */ schema(() =>
  z.extend(ListQuery, {
    orgId: optional(clientId(), "claims of units in this org's subtree (default: your org)"),
    status: z.optional(ClaimStatus),
    planId: z.optional(clientId()),
  }),
);

/** Checked, then not kept: a file name often holds the member's name (the claim shows `<kind>-<documentId>.<ext>`). */
const fileName = () => text(255);

export const DeclareDocumentBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      kind: z.enum(DOCUMENT_KINDS),
      fileName: fileName(),
      contentType: z.enum(DOCUMENT_CONTENT_TYPES),
      sizeBytes: intIn(1, MAX_DOCUMENT_BYTES),
    })
    .check(z.meta({ id: 'DeclareDocument' })),
);

export const DecisionBody = /* @__PURE__ */ schema(() =>
  z
    .strictObject({
      decision: z.enum(['approve', 'reject', 'return']),
      reason: optional(text(1000), 'required to reject or return; recorded in the history'),
      adjustedSelfPaidInScopeFen: optional(money(), 'approve only: a lower base than filed'),
    })
    .check(z.meta({ id: 'ClaimDecision' })),
);
