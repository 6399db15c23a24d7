/**
 * The claim state machine (申请互助金, SPEC §4.4). Pure: the handlers record
 * each transition as an event; this module only says which ones exist.
 *
 *   draft ─submit→ submitted ─approve→ approved ─pay→ paid
 *   submitted ─reject→ rejected
 *   submitted ─return→ returned ─submit→ submitted   (after more documents)
 *   draft | returned ─withdraw→ withdrawn
 *
 * paid, rejected and withdrawn are final.
 */
export const CLAIM_STATUSES = ['draft', 'submitted', 'returned', 'approved', 'paid', 'rejected', 'withdrawn'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];

export const CLAIM_ACTIONS = ['submit', 'approve', 'reject', 'return', 'withdraw', 'pay'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

export const FINAL_STATUSES: readonly ClaimStatus[] = ['paid', 'rejected', 'withdrawn'];

const TRANSITIONS: Readonly<Record<ClaimStatus, Readonly<Partial<Record<ClaimAction, ClaimStatus>>>>> = {
  draft: { submit: 'submitted', withdraw: 'withdrawn' },
  submitted: { approve: 'approved', reject: 'rejected', return: 'returned' },
  returned: { submit: 'submitted', withdraw: 'withdrawn' },
  approved: { pay: 'paid' },
  paid: {},
  rejected: {},
  withdrawn: {},
};

/**
 * The status an action leads to, or null when the action is not allowed
 * from `from`. Own-property lookups only, so an unvalidated string such as
 * 'toString' can never reach an Object.prototype member.
 */
export const transition = (from: ClaimStatus, action: ClaimAction): ClaimStatus | null => {
  if (!Object.hasOwn(TRANSITIONS, from)) return null;
  const row = TRANSITIONS[from];
  return Object.hasOwn(row, action) ? (row[action] ?? null) : null;
};

/** The actions allowed from a status, in CLAIM_ACTIONS order (for the console's buttons and 409 messages). */
export const allowedActions = (from: ClaimStatus): ClaimAction[] => CLAIM_ACTIONS.filter((a) => transition(from, a) !== null);

export const isFinal = (status: ClaimStatus): boolean => FINAL_STATUSES.includes(status);

/**
 * Whether a claim still counts for DUPLICATE_STAY / CONDITION_ALREADY_CLAIMED:
 * every claim that may yet be paid (non-final) and every paid one. A rejected
 * or withdrawn claim frees its dates or condition for a corrected filing.
 */
export const blocksDuplicates = (status: ClaimStatus): boolean => !isFinal(status) || status === 'paid';
