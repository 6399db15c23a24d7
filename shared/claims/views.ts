import pLimit from 'p-limit';
import { kindOfClaim } from './kinds';
import type { Deps } from '../deps';
import { piiOf } from '../pii/fromConfig';
import type { SealedBlob } from '../pii/vault';
import { batchGetAll, batchKey } from '../store/batch';
import type { EnrolmentRecord, SealedPii } from '../store/enrolments';
import { keys } from '../store/keys';
import type { DocumentContentType } from '../domain/documents';
import { inScope, type Principal } from '../domain/scope';
import type { ClaimDocument, ClaimRecord } from '../store/claimRecord';
import { msg } from '../messages/catalogue';
import { ClaimRuleBroken } from './errors';

/** What S3 says about one declared document (single-claim answers only). */
export interface DocumentState {
  uploaded: boolean;
  downloadUrl?: string;
}

const EXTENSIONS: Record<DocumentContentType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

/**
 * The name a document is shown and downloaded under: kind and id, never the
 * client's file name, which often holds the member's name (张三发票.pdf) and
 * would then sit in clear in the table and in the presigned URL's query.
 */
export const documentFileName = (d: ClaimDocument) => `${d.kind}-${d.documentId}.${EXTENSIONS[d.contentType]}`;

const documentView = (d: ClaimDocument, state?: DocumentState) => ({
  documentId: d.documentId,
  kind: d.kind,
  fileName: documentFileName(d),
  contentType: d.contentType,
  sizeBytes: d.sizeBytes,
  declaredAt: d.declaredAt,
  ...(d.evidence ? { frozenAt: d.evidence.frozenAt } : {}),
  ...(state ? { uploaded: state.uploaded, ...(state.downloadUrl ? { downloadUrl: state.downloadUrl } : {}) } : {}),
});

/** Who the claim is for, as a reviewer sees them (SPEC §4.4): the enrolment's name (unsealed) and masked ID number. */
export interface ClaimMember {
  memberName: string;
  idNumberMasked: string;
}

/**
 * Who each claim is for (SPEC §4.4: every claim endpoint names the member): each enrolment read once (those in
 * `known` not at all: the handler has just read them), its name unsealed for a caller already in scope. Keyed
 * by enrolment id.
 */
export const claimMembers = async (
  deps: Deps,
  claims: readonly ClaimRecord[],
  known: readonly EnrolmentRecord[] = [],
): Promise<Map<string, ClaimMember>> => {
  const sealed = new Map<string, { pii: SealedBlob; idNumberMasked: string }>(known.map((e) => [e.enrolmentId, e]));
  const ids = [...new Set(claims.map((c) => c.enrolmentId))];
  const toRead = ids.filter((id) => !sealed.has(id));
  if (toRead.length > 0) {
    const read = await batchGetAll(
      deps.store,
      toRead.map((id) => keys.enrolment(id)),
    );
    for (const id of toRead) {
      const e = read.get(batchKey(keys.enrolment(id)));
      if (!e) throw new Error(`enrolment ${id} of a claim is missing`);
      sealed.set(id, { pii: e.pii as SealedBlob, idNumberMasked: String(e.idNumberMasked) });
    }
  }
  const members = new Map<string, ClaimMember>();
  const limit = pLimit(16);
  await Promise.all(
    ids.map((id) =>
      limit(async () => {
        const e = sealed.get(id)!;
        const pii = await piiOf(deps).open<SealedPii>(e.pii, id);
        members.set(id, { memberName: pii.name, idNumberMasked: e.idNumberMasked });
      }),
    ),
  );
  return members;
};

/** One claim's member (`enrolment`: when the handler has it at hand, nothing more is read). */
export const claimMember = async (deps: Deps, c: ClaimRecord, enrolment?: EnrolmentRecord): Promise<ClaimMember> =>
  (await claimMembers(deps, [c], enrolment ? [enrolment] : [])).get(c.enrolmentId)!;

/**
 * The kinds this claim needs before submit (SPEC §4.4), each with whether one
 * is uploaded: known from S3 on single-claim answers (`states`), else from
 * what an earlier submit froze. A banded claim whose insurance paid a part
 * needs the settlement statement too, so a clerk sees it before submitting.
 */
export const requiredDocumentsOf = (c: ClaimRecord, states?: ReadonlyMap<string, DocumentState>) =>
  kindOfClaim(c)
    .requiredDocuments(c)
    .map((kind) => ({
      kind,
      uploaded: c.documents.some((d) => d.kind === kind && (states?.get(d.documentId)?.uploaded ?? d.evidence !== undefined)),
    }));

const opt = <K extends string, V>(k: K, v: V | undefined) => (v === undefined ? {} : ({ [k]: v } as Record<K, V>));

/**
 * A claim as every claim endpoint answers it: SPEC §4.4's fields first, in
 * its order, then our additions. Internal attributes (unit path, version,
 * paidDays, approvedDate) stay inside. `member` (claimMember/claimMembers:
 * the name unsealed, the ID number masked) is required, so no endpoint can
 * leave out who the claim is for. `states` (from S3) adds `uploaded` and
 * download links to the documents; lists go without.
 */
export const claimView = (c: ClaimRecord, member: ClaimMember, states?: ReadonlyMap<string, DocumentState>) => ({
  claimId: c.claimId,
  enrolmentId: c.enrolmentId,
  planId: c.planId,
  unitId: c.unitId,
  status: c.status,
  createdBy: c.createdBy,
  memberName: member.memberName,
  idNumberMasked: member.idNumberMasked,
  hospital: c.hospital,
  ...kindOfClaim(c).filedView(c),
  estimatedBenefitFen: c.estimatedBenefitFen,
  ...opt('approvedBenefitFen', c.approvedBenefitFen),
  benefitBreakdown: c.benefitBreakdown,
  requiredDocuments: requiredDocumentsOf(c, states),
  documents: c.documents.map((d) => documentView(d, states?.get(d.documentId))),
  history: c.history,
  ...opt('paymentId', c.paymentId),
  ...opt('paidDate', c.paidDate),
  kind: c.kind,
  ...kindOfClaim(c).decisionView(c),
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  ...opt('firstSubmittedDate', c.firstSubmittedDate),
  ...opt('lastSubmittedDate', c.lastSubmittedDate),
  ...opt('approvedAt', c.approvedAt),
});

/**
 * The claim, if it exists (404, whoever asks) and the caller's scope reaches
 * the unit it was filed in (403). Consistent reads for read-modify-write.
 */
export const claimInScope = async (deps: Deps, p: Principal, claimId: string, consistent = false): Promise<ClaimRecord> =>
  claimReached(p, claimId, await deps.claims.get(claimId, consistent));

/** The claim as read: 404 when absent (whoever asks), 403 when the caller's scope does not reach its unit. */
export const claimReached = (p: Principal, claimId: string, c: ClaimRecord | undefined): ClaimRecord => {
  if (!c) throw new ClaimRuleBroken(404, 'NOT_FOUND', msg('NOT_FOUND', { entity: 'claim', id: claimId }));
  if (!inScope(p, { id: c.unitId, path: c.unitPath }))
    throw new ClaimRuleBroken(403, 'FORBIDDEN', msg('FORBIDDEN.claimScope', { claimId }));
  return c;
};
