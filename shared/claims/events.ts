import { msg } from '../messages/catalogue';
import type { ClaimAction, ClaimStatus } from '../domain/claim';
import { allowedActions, transition } from '../domain/claim';
import type { Principal } from '../domain/scope';
import type { ClaimDocument, ClaimEvent, ClaimRecord, DocumentAction } from '../store/claimRecord';
import { ClaimRuleBroken } from './errors';

/** The history event of a transition by this caller (SPEC §4.4: { at, actor, role, from, to, note? }). */
export const claimEvent = (p: Principal, from: ClaimStatus | null, to: ClaimStatus, at: string, note?: string): ClaimEvent => ({
  at,
  actor: p.sub,
  role: p.role,
  from,
  to,
  ...(note ? { note } : {}),
});

/** A document declared or removed (SPEC §4.4: recorded in history): not a transition, so from = to = the claim's status. */
export const documentEvent = (
  p: Principal,
  c: ClaimRecord,
  action: DocumentAction,
  d: Pick<ClaimDocument, 'documentId' | 'kind'>,
  at: string,
): ClaimEvent => ({ at, actor: p.sub, role: p.role, from: c.status, to: c.status, action, documentId: d.documentId, documentKind: d.kind });

/** The status `action` leads to from the claim's status, or 409 INVALID_STATE saying what is possible instead. */
export const nextStatus = (c: ClaimRecord, action: ClaimAction): ClaimStatus => {
  const to = transition(c.status, action);
  if (to !== null) return to;
  const can = allowedActions(c.status);
  throw new ClaimRuleBroken(
    409,
    'INVALID_STATE',
    msg('INVALID_STATE', { claimId: c.claimId, status: c.status, action, possible: can }),
    undefined,
    { claimStatus: c.status },
  );
};

/** Documents may be declared or dropped only while the filer still holds the claim. */
export const requireEditable = (c: ClaimRecord): void => {
  if (c.status !== 'draft' && c.status !== 'returned') {
    throw new ClaimRuleBroken(409, 'INVALID_STATE', msg('INVALID_STATE.documents', { claimId: c.claimId, status: c.status }), undefined, {
      claimStatus: c.status,
    });
  }
};
