import { newId } from '../ids';
import type { ClaimStatus } from '../domain/claim';
import type { OpenClaimFact } from '../domain/claimFiling';
import type { DocumentContentType, DocumentKind } from '../domain/documents';
import type { BenefitExplanation } from '../domain/explanation';
import type { Role } from '../domain/scope';
import type { TransactItem } from './counters';
import type { DisclosureRecord } from './disclosures';
import { inOrder, keys, itemOf } from './keys';

/**
 * A claim as stored (SPEC §4.4). One item, everything a claim answer shows
 * (documents and history included: both are short and read together), so
 * every transition is one conditional Update on it. `kind` discriminates
 * the plan kind: a lump-sum claim (later issue) adds its own filed fields
 * and shares everything else.
 */
export interface ClaimEvent {
  at: string;
  actor: string;
  role: Role;
  from: ClaimStatus | null;
  to: ClaimStatus;
  note?: string;
  /**
   * Set on an event that is not a transition (SPEC §4.4: declaring and
   * removing a document are recorded in history): `from` = `to` = the status
   * it happened in, and the document it concerns. A transition has none.
   */
  action?: DocumentAction;
  documentId?: string;
  documentKind?: DocumentKind;
}

export type DocumentAction = 'document_declared' | 'document_removed';

/** What submit checked and froze of a document (SPEC §4.4 "Receipts are evidence for a payout"). */
export interface DocumentEvidence {
  /** The ETag of the checked version: part of the frozen key (objectKeys.claimEvidence). */
  etag: string;
  sizeBytes: number;
  frozenAt: string;
}

export interface ClaimDocument {
  documentId: string;
  kind: DocumentKind;
  // The client's file name is not kept: it often holds the member's name (张三发票.pdf), which is stored only sealed.
  contentType: DocumentContentType;
  sizeBytes: number;
  declaredAt: string;
  declaredBy: string;
  /** Set once submit has checked the upload and copied it to the evidence prefix; never changed after. */
  evidence?: DocumentEvidence;
}

interface ClaimCommon {
  claimId: string;
  enrolmentId: string;
  planId: string;
  /**
   * The member's personKey (HMAC of the ID number, from the enrolment): whose stays this claim's
   * DUPLICATE_STAY lock is part of. Internal: never in an answer (it would link a member's claims).
   */
  personKey: string;
  /** The member's unit when the claim was filed: scope, counters and disclosure follow it. */
  unitId: string;
  unitPath: string[];
  status: ClaimStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  hospital: string;
  accident: boolean;
  /** The benefit as estimated at filing (refreshed at submit). */
  estimatedBenefitFen: number;
  /** The explanation of the estimate; at approval recomputed and frozen. */
  benefitBreakdown: BenefitExplanation;
  approvedBenefitFen?: number;
  approvedAt?: string;
  /** Asia/Shanghai date of approval: a payment may not be dated before it. */
  approvedDate?: string;
  documents: ClaimDocument[];
  history: ClaimEvent[];
  firstSubmittedDate?: string;
  lastSubmittedDate?: string;
  paymentId?: string;
  paidDate?: string;
  /** paidDate − firstSubmittedDate, as added to the paidDaysTotal counter. */
  paidDays?: number;
  /** The opaque public reference of its disclosure (random, see newOpaqueRef), once paid. */
  claimRef?: string;
  /**
   * Held by a payment that has not been rolled forward yet (shared/payments/):
   * the claim stays `approved` and nothing publishes, counts or shows it as
   * paid until its payment completes. What the roll-forward will write is
   * decided here, at reservation, so any process can finish it.
   */
  reservation?: ClaimReservation;
  /** Every write is conditioned on the version read and increments it. */
  version: number;
  /** The request that made the last change, so a retry whose first attempt landed (answer lost) can tell. */
  writeToken?: string;
}

export interface ClaimReservation {
  paymentId: string;
  paidDays: number;
  disclosure: DisclosureRecord;
}

export interface BandedClaimRecord extends ClaimCommon {
  kind: 'banded';
  admissionDate: string;
  dischargeDate: string;
  diagnosis: string;
  icd10?: string;
  totalExpenseFen: number;
  insuranceReimbursedFen: number;
  selfPaidInScopeFen: number;
  /** The reviewer's lower base, when approval adjusted it. */
  adjustedSelfPaidInScopeFen?: number;
}

/** A first diagnosis filed against a lump-sum plan (重大疾病 / 女职工特殊疾病, SPEC §4.4). */
export interface LumpSumClaimRecord extends ClaimCommon {
  kind: 'lump_sum';
  diagnosisDate: string;
  conditionCode: string;
  /** The plan's name of the condition, copied at filing (the plan is immutable). */
  conditionName: string;
}

export type ClaimRecord = BandedClaimRecord | LumpSumClaimRecord;
export type ClaimKindName = ClaimRecord['kind'];

/**
 * The item holding the facts a claim is judged against and locks: a banded
 * claim's stay lives with every stay of the same person, whatever the plan
 * (SPEC §4.4: one stay is paid once, even where a plan and its successor
 * overlap); a lump-sum claim's condition lives with the conditions of its
 * enrolment (each condition once per enrolment).
 */
export const factsKeyOf = (c: ClaimRecord) =>
  c.kind === 'lump_sum' ? keys.enrolmentConditions(c.enrolmentId) : keys.personStays(c.personKey);

/** The facts DUPLICATE_STAY / CONDITION_ALREADY_CLAIMED judge a claim by (see claimFiling.ts). */
export const factOf = (c: ClaimRecord): OpenClaimFact =>
  c.kind === 'lump_sum'
    ? { claimId: c.claimId, kind: 'condition', conditionCode: c.conditionCode }
    : { claimId: c.claimId, kind: 'stay', admissionDate: c.admissionDate, dischargeDate: c.dischargeDate };

/** The base of §6.2: the reviewer's lower adjustment, else what was filed. */
export const baseFenOf = (c: BandedClaimRecord): number => c.adjustedSelfPaidInScopeFen ?? c.selfPaidInScopeFen;

/**
 * A claim id is a ULID followed by its enrolment's id (52 Crockford base32
 * characters, still opaque and unguessable): knowing the claim id is knowing
 * where its enrolment is, so a decision reads both in one request
 * (claimRepo.getWithEnrolment) instead of one after the other.
 */
export const newClaimId = (enrolmentId: string): string => `${newId()}${enrolmentId}`;
export const enrolmentIdOfClaim = (claimId: string): string => claimId.slice(26);

export const claimItem = (c: ClaimRecord) =>
  itemOf(keys.claim(c.claimId), {
    entity: 'claim',
    gsi1pk: keys.claimsByStatus(c.status),
    gsi1sk: keys.claimSort(c.unitPath, c.claimId),
    gsi2pk: keys.claimsAll,
    gsi2sk: keys.claimSort(c.unitPath, c.claimId),
    ...c,
  });

export const decodeClaim = inOrder<ClaimRecord>(['claimId', 'kind', 'enrolmentId', 'planId', 'unitId', 'unitPath', 'status']);

/** A status change of one claim, as one TransactWriteItems item. */
export interface ClaimChange {
  to: ClaimStatus;
  event: ClaimEvent;
  /** Further attributes to set (top-level names). */
  set?: Record<string, unknown>;
  /** Attributes to remove. */
  remove?: string[];
  /**
   * What the write is conditioned on. Default: the status and version read
   * (nobody changed the claim since). A payment rollback instead conditions
   * on the claim still naming that payment.
   */
  condition?: { expression: string; values: Record<string, unknown> };
  updatedAt: string;
  /** Stored as writeToken (see ClaimCommon). */
  token?: string;
}

export const claimChangeItem = (tableName: string, c: ClaimRecord, change: ClaimChange): TransactItem => {
  const names: Record<string, string> = { '#status': 'status', '#version': 'version', '#history': 'history' };
  const values: Record<string, unknown> = {
    ':to': change.to,
    ':one': 1,
    ':event': [change.event],
    ':g1': keys.claimsByStatus(change.to),
    ':updatedAt': change.updatedAt,
  };
  const sets = [
    '#status = :to',
    '#version = #version + :one',
    '#history = list_append(#history, :event)',
    'gsi1pk = :g1',
    'updatedAt = :updatedAt',
  ];
  Object.entries({ ...(change.set ?? {}), ...(change.token ? { writeToken: change.token } : {}) }).forEach(([k, v], i) => {
    names[`#s${i}`] = k;
    values[`:s${i}`] = v;
    sets.push(`#s${i} = :s${i}`);
  });
  const removes = (change.remove ?? []).map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  const condition = change.condition ?? {
    expression: '#status = :from AND #version = :version',
    values: { ':from': c.status, ':version': c.version },
  };
  return {
    Update: {
      TableName: tableName,
      Key: keys.claim(c.claimId),
      UpdateExpression: `SET ${sets.join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
      ConditionExpression: condition.expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ...values, ...condition.values },
    },
  };
};

/** The claim as it is after `change` (what the answer shows; the store holds the same). */
export const applyChange = <C extends ClaimRecord>(c: C, change: ClaimChange): C => {
  const next: Record<string, unknown> = {
    ...(c as unknown as Record<string, unknown>),
    status: change.to,
    version: c.version + 1,
    history: [...c.history, change.event],
    updatedAt: change.updatedAt,
    ...(change.set ?? {}),
    ...(change.token ? { writeToken: change.token } : {}),
  };
  for (const k of change.remove ?? []) delete next[k];
  return next as C;
};
