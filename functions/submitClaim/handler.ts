import { msg } from '../../shared/messages/catalogue';
import { newId } from '../../shared/ids';
import { todayIn } from '../../shared/clock';
import { kindOfClaim } from '../../shared/claims/kinds';
import { judgeDocuments } from '../../shared/domain/documents';
import { claimEvent, nextStatus } from '../../shared/claims/events';
import { documentStates, freezeDocuments, observeDocuments } from '../../shared/claims/documents';
import { claimInScope, claimMember, claimView } from '../../shared/claims/views';
import type { EnrolmentRecord } from '../../shared/store/enrolments';
import { httpHandler } from '../../shared/http/handler';
import { submitClaim } from '../../shared/http/routes/claims';
import { HttpProblem } from '../../shared/http/problem';
import { rerunOnStale } from '../../shared/store/rerun';

/**
 * draft | returned → submitted, once every declared document is in S3 as
 * declared (size, type, magic bytes) and the required kinds are there:
 * 422 DOCUMENT_INVALID naming each bad document (checked first: re-uploading
 * it may also cure a "missing" kind), else 422 DOCUMENTS_MISSING naming each
 * missing kind. The estimate is refreshed against the member's cap as it now is.
 * What was checked is frozen (SPEC §4.4 "Receipts are evidence"): each newly
 * checked upload is copied, exactly that version, to its evidence key before
 * the claim is written naming it, and every later download is of that copy.
 */
export const handler = httpHandler('submitClaim', submitClaim, async ({ params, principal, deps }) => {
  const token = newId();
  /** The enrolment as last read: whose name the answer carries (submitting never changes it). */
  let enrolmentRead: EnrolmentRecord | undefined;
  const { next, observed } = await rerunOnStale('claim submission', async () => {
    const c = await claimInScope(deps, principal, params.id, true);
    // Our own write landed but its answer was lost (the retried transaction then found the claim changed): done.
    if (c.writeToken === token) return { next: c, observed: await observeDocuments(deps, c) };
    const to = nextStatus(c, 'submit');
    const observed = await observeDocuments(deps, c);
    const { missing, invalid } = judgeDocuments(kindOfClaim(c).requiredDocuments(c), c.documents, observed);
    if (invalid.length > 0) {
      throw new HttpProblem(422, 'DOCUMENT_INVALID', msg('DOCUMENT_INVALID', { kinds: [...new Set(invalid.map((d) => d.kind))] }), {
        errors: invalid.map((d) => ({ path: `documents.${d.documentId}`, message: d.message })),
        extra: { invalid, missing },
      });
    }
    if (missing.length > 0) {
      // The detail names each document to upload (SPEC §4.4), e.g. 提交前还需上传：发票、出院小结。
      throw new HttpProblem(422, 'DOCUMENTS_MISSING', msg('DOCUMENTS_MISSING', { kinds: missing }), {
        errors: missing.map((kind) => ({ path: 'documents', message: msg('DOCUMENTS_MISSING.one', { kind }) })),
        extra: { missing },
      });
    }
    const [enrolment, plan] = await Promise.all([deps.enrolments.get(c.enrolmentId, true), deps.plans.get(c.planId)]);
    if (!enrolment || !plan) throw new Error(`claim ${c.claimId} names a missing enrolment or plan`);
    enrolmentRead = enrolment;
    const estimate = kindOfClaim(c).estimate(plan, enrolment, c);
    const today = todayIn(deps.clock);
    const at = deps.clock.now().toISOString();
    const documents = await freezeDocuments(deps, c, observed, at);
    const next = await deps.claims.submit(
      c,
      {
        to,
        event: claimEvent(principal, c.status, to, at),
        set: {
          lastSubmittedDate: today,
          ...(c.firstSubmittedDate ? {} : { firstSubmittedDate: today }),
          estimatedBenefitFen: estimate.benefitFen,
          benefitBreakdown: estimate,
          documents,
        },
        updatedAt: at,
        token,
      },
      today,
    );
    return { next, observed };
  });
  const [member, states] = await Promise.all([claimMember(deps, next, enrolmentRead), documentStates(deps, next, observed)]);
  return { status: 200, body: claimView(next, member, states) };
});
