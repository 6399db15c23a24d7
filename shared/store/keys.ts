/**
 * Key builders: the only place that spells a key. See ./README.md for the
 * design and the access pattern each key serves.
 */

/** `root/office/unit/`: an org path as a sort-key prefix. The trailing slash keeps `off1` from matching `off10`. */
const pathPrefix = (path: readonly string[]) => `${path.join('/')}/`;

/** Shards of a unit's enrolment list on gsi1. */
export const ENROLMENT_SHARDS = 8;

/**
 * The shard of an enrolment: 32-bit FNV-1a of its id (UTF-16 code units; ids are ASCII) mod ENROLMENT_SHARDS.
 * Stable across runtimes and releases; enrolment ids are already keyed hashes, so shards fill evenly.
 */
export const enrolmentShard = (enrolmentId: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < enrolmentId.length; i++) h = Math.imul(h ^ enrolmentId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % ENROLMENT_SHARDS;
};

export const keys = {
  pathPrefix,
  org: (id: string) => ({ pk: `ORG#${id}`, sk: 'ORG' }),
  orgChildren: (parentId: string) => `CHILDREN#${parentId}`,
  orgChildSort: (id: string) => `ORG#${id}`,
  target: (orgId: string, year: number) => ({ pk: `ORG#${orgId}`, sk: `TARGET#${year}` }),
  /** gsi1: every org's target of a year (the report's one read of targets). */
  targetsOfYear: (year: number) => `TARGETS#${year}`,
  /** gsi2: the whole org tree, sorted by path (subtree reads). */
  orgTree: 'ORGS',
  plan: (id: string) => ({ pk: `PLAN#${id}`, sk: 'PLAN' }),
  planList: 'PLANS',
  planListSort: (coverageStart: string, id: string) => `${coverageStart}#${id}`,
  /**
   * The enrolment id is a keyed hash of (person, plan) (PiiVault.enrolmentId), so this key
   * exists iff the person is enrolled in the plan: a conditional put on it is the uniqueness rule.
   */
  enrolment: (enrolmentId: string) => ({ pk: `ENR#${enrolmentId}`, sk: 'ENR' }),
  /** A cancelled enrolment as it was, kept when the person's key is freed for a correct re-enrolment (audit). */
  cancelledEnrolment: (enrolmentId: string, at: string) => ({ pk: `ENR#${enrolmentId}`, sk: `CANCELLED#${at}` }),
  /**
   * gsi1: a unit's enrolments, in ENROLMENT_SHARDS partitions (a 10,000-row roster would need ~2,000 WCU/s on
   * one partition; see ./README.md "Hot partitions"). The shard is a stable hash of the enrolment id: never
   * change `enrolmentShard` or ENROLMENT_SHARDS without re-indexing (`npm run reconcile -- --reindex`).
   */
  unitEnrolments: (unitId: string, enrolmentId: string) => `UNIT#${unitId}#ENR#${enrolmentShard(enrolmentId)}`,
  /**
   * Every partition a unit's enrolment list reads, merged by sort key: its shards, then the unsharded
   * partition items written before sharding keep until `--reindex` moves them (empty afterwards: one cheap Query).
   */
  unitEnrolmentPartitions: (unitId: string) => [
    ...Array.from({ length: ENROLMENT_SHARDS }, (_, s) => `UNIT#${unitId}#ENR#${s}`),
    `UNIT#${unitId}#ENR`,
  ],
  /** The partition enrolments were listed in before sharding (what `--reindex` moves them out of). */
  unitEnrolmentsUnsharded: (unitId: string) => `UNIT#${unitId}#ENR`,
  unitEnrolmentSort: (planId: string, enrolmentId: string) => `${planId}#${enrolmentId}`,
  /**
   * Exact per-unit, per-plan counters: one bucket per Asia/Shanghai day of the write (immutable once the day
   * is over), sharded so parallel writers do not contend on one item. See ./counters.ts.
   */
  unitPlanCounter: (unitId: string, planId: string, day: string, shard: number) => ({
    pk: `ORG#${unitId}`,
    sk: `COUNT#PLAN#${planId}#${day}#${shard}`,
  }),
  unitPlanCounterPrefix: (planId: string) => `COUNT#PLAN#${planId}#`,
  /** gsi2: a plan's day buckets, by day then unit path (a day range of the whole tree, or one day of a subtree). */
  planCounterDays: (planId: string) => `COUNTDAYS#${planId}`,
  planCounterDaySort: (day: string, unitPath: readonly string[], shard: number) => `${day}#${pathPrefix(unitPath)}#${shard}`,
  /** A unit's cumulative counters in a plan as of the end of a day (written by the report run for that day). */
  unitPlanSnapshot: (unitId: string, planId: string, day: string) => ({ pk: `ORG#${unitId}`, sk: `COUNTSNAP#PLAN#${planId}#${day}` }),
  unitPlanSnapshotPrefix: (planId: string) => `COUNTSNAP#PLAN#${planId}#`,
  /** gsi2: every unit's snapshot of a plan and day. */
  planSnapshot: (planId: string, day: string) => `COUNTSNAP#${planId}#${day}`,
  /** Written after every unit's snapshot of the day: only then does a missing unit mean zero. */
  planSnapshotMark: (planId: string, day: string) => ({ pk: `PLAN#${planId}`, sk: `COUNTSNAP#${day}` }),
  planSnapshotMarkPrefix: 'COUNTSNAP#',
  /** Audited counter corrections made by the reconciliation (SPEC §5), by time. */
  counterCorrection: (at: string, planId: string, unitId: string) => ({ pk: 'AUDIT#COUNTERS', sk: `${at}#${planId}#${unitId}` }),
  counterCorrections: 'AUDIT#COUNTERS',
  /** Identity reveals (SPEC §4.3), one item each; listed by actor org subtree on gsi2. */
  identityAccess: (id: string) => ({ pk: `IDACCESS#${id}`, sk: 'IDACCESS' }),
  /** A claim (SPEC §4.4). Listed by status (gsi1 `CLAIMS#<status>`) and in all statuses (gsi2 `CLAIMS`), both sorted by unit path then id. */
  claim: (claimId: string) => ({ pk: `CLAIM#${claimId}`, sk: 'CLAIM' }),
  claimsByStatus: (status: string) => `CLAIMS#${status}`,
  claimsAll: 'CLAIMS',
  claimSort: (unitPath: readonly string[], claimId: string) => `${pathPrefix(unitPath)}${claimId}`,
  /**
   * One item per person (personKey = HMAC of the ID number, never the number) holding the stays
   * DUPLICATE_STAY judges, across every banded plan: filings under a plan and its overlapping
   * successor conflict on it. (Lump-sum condition facts, per enrolment, will get their own key.)
   */
  personStays: (personKey: string) => ({ pk: `PERSON#${personKey}`, sk: 'STAYS' }),
  /** The conditions a lump-sum enrolment's open or paid claims name (CONDITION_ALREADY_CLAIMED lock, one per enrolment). */
  enrolmentConditions: (enrolmentId: string) => ({ pk: `ENR#${enrolmentId}`, sk: 'CONDITIONS' }),
  /** What a plan simulation replays: one item per approval, per enrolment in approval order (seq). */
  approvalFact: (planId: string, enrolmentId: string, seq: number) => ({
    pk: `PLANFACTS#${planId}`,
    sk: `${enrolmentId}#${String(seq).padStart(6, '0')}`,
  }),
  /** The enrolment id of an approval fact's sort key (its seq follows the last '#'); a reader projects the key, not both. */
  approvalFactSortSplit: (sk: string): number => sk.lastIndexOf('#'),
  /** A roster import (SPEC §4.3 "Large rosters"): its status, counts and resume checkpoint. Read by id only. */
  rosterImport: (importId: string) => ({ pk: `IMPORT#${importId}`, sk: 'IMPORT' }),
  /** An Idempotency-Key's record: the hash of caller (sub, role, org), method, path and key (SPEC §3). One partition each. */
  idempotency: (scopeHash: string) => ({ pk: `IDEMPOTENCY#${scopeHash}`, sk: 'IDEMPOTENCY' }),
  payment: (paymentId: string) => ({ pk: `PAYMENT#${paymentId}`, sk: 'PAYMENT' }),
  /** gsi1: settled payments (completed and rolled forward, or cancelled and released), by creation. */
  paymentList: 'PAYMENTS',
  /** gsi1: payments not yet settled (pending, or completed / cancelled with work left): what the settle step walks. */
  paymentsOpen: 'PAYMENTS#OPEN',
  paymentListSort: (createdAt: string, paymentId: string) => `${createdAt}#${paymentId}`,
  /** The Idempotency-Key of a POST /payments, scoped to the caller (hash of sub, role, org and key). */
  paymentIdempotency: (scopeHash: string) => ({ pk: `PAYIDEM#${scopeHash}`, sk: 'PAYIDEM' }),
  /** Public disclosure (公示) of a paid claim, newest paidDate first. Keyed by the opaque claimRef: the key (and so a list cursor) names no claim. */
  disclosure: (planId: string, paidDate: string, claimRef: string) => ({ pk: `DISCLOSURE#${planId}`, sk: `${paidDate}#${claimRef}` }),
  disclosures: (planId: string) => `DISCLOSURE#${planId}`,
  /** Nightly report of a date (SPEC §5): its index item, listed newest first on gsi1 `REPORTS`. */
  reportIndex: (date: string) => ({ pk: `REPORT#${date}`, sk: 'INDEX' }),
  reportList: 'REPORTS',
  /** Marks that an org's cut files of that date were written from the report generated at `generatedAt`. */
  reportCut: (date: string, orgId: string) => ({ pk: `REPORT#${date}`, sk: `CUT#${orgId}` }),
  /** Evaluations (SPEC §4.5): a year's rules; an evaluation (listed by year on gsi1); the one live evaluation of a checkpoint. */
  evaluationRules: (year: number) => ({ pk: `EVALRULES#${year}`, sk: 'RULES' }),
  evaluation: (evaluationId: string) => ({ pk: `EVAL#${evaluationId}`, sk: 'EVAL' }),
  evaluationsOfYear: (year: number) => `EVALS#${year}`,
  evaluationListSort: (checkpointId: string, evaluationId: string) => `${checkpointId}#${evaluationId}`,
  evaluationSlot: (year: number, checkpointId: string) => ({ pk: `EVALSLOT#${year}#${checkpointId}`, sk: 'SLOT' }),
} as const;

/** Keys every item carries; stripped before items become domain records. */
export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'expiresAt', 'entity'] as const;

const KEY_SET: ReadonlySet<string> = new Set(KEY_ATTRIBUTES);

/** A copy without the key attributes (built key by key, not by `delete`, which slows every later read of the object). */
export const stripKeys = <T extends Record<string, unknown>>(item: T): Omit<T, (typeof KEY_ATTRIBUTES)[number]> => {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(item)) if (!KEY_SET.has(k)) out[k] = item[k];
  return out as Omit<T, (typeof KEY_ATTRIBUTES)[number]>;
};

/**
 * Item → record with a stable field order: `first` in that order, then any
 * other non-key attribute alphabetically. DynamoDB returns attributes in any
 * order; answers (and idempotent replays) must not depend on it.
 */
export const inOrder = <T>(first: readonly string[]) => {
  const leading = first.filter((k) => !KEY_SET.has(k));
  const skip: ReadonlySet<string> = new Set([...KEY_ATTRIBUTES, ...leading]);
  return (item: Record<string, unknown>): T => {
    const out: Record<string, unknown> = {};
    for (const k of leading) if (k in item) out[k] = item[k];
    for (const k of Object.keys(item)
      .filter((k) => !skip.has(k))
      .sort())
      out[k] = item[k];
    return out as T;
  };
};

/**
 * An item: its key, then its other attributes. The key goes in as literal
 * properties, never as a leading spread: V8 builds `{ ...key, a, ...record }`
 * some 30 times slower than `{ pk, sk, ...rest }` (a claim item: 22 µs
 * against 0.8 µs, measured in the bundle), and every write builds one.
 */
export const itemOf = <T extends object>(key: { pk: string; sk: string }, rest: T) => ({ pk: key.pk, sk: key.sk, ...rest });
