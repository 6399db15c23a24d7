import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import type { ReplayFact } from '../domain/simulation';
import type { StoreContext } from './items';
import { keys } from './keys';
import { withRetries } from './retry';

/**
 * Reading a plan's approval facts (`PLANFACTS#<planId>` / `<enrolmentId>#<seq>`,
 * written in each approval's transaction: ./claimApproval.ts) for a plan
 * simulation (SPEC §4.6). Cost grows with the plan's approvals only: one
 * partition, only what a replay needs projected, strongly consistent.
 *
 * The partition is read as `segments` disjoint sort-key ranges, eight in
 * flight, split on the first two characters of the enrolment id (ids are
 * Crockford base32: uniform), so each range holds whole enrolments, still in
 * approval order, and a replay per range can be merged. Callers size the
 * ranges to about one page each: DynamoDB Local appears to pay for a page in
 * proportion to the rest of its range (its pagination re-reads), which made
 * few long ranges quadratic in claims (bench/results.md §9); on DynamoDB a
 * range is one more Query, nothing else. Pages are handed to `visit` as they
 * come; nothing holds the whole plan in memory.
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Every two-character Crockford prefix, in key order (1,024). */
const PREFIXES = [...CROCKFORD].flatMap((a) => [...CROCKFORD].map((b) => a + b));
export const MAX_FACT_RANGES = PREFIXES.length;
const TOP = '\uffff\uffff';

/**
 * `segments` (1..1,024) inclusive sort-key ranges covering every key, in key order, split on the
 * two-character prefixes of the enrolment ids; the first starts below any character an id can hold.
 */
export const factRanges = (segments: number): [string, string][] => {
  const n = Math.max(1, Math.min(MAX_FACT_RANGES, Math.floor(segments)));
  const starts = Array.from({ length: n }, (_, i) => (i === 0 ? ' ' : PREFIXES[Math.floor((i * MAX_FACT_RANGES) / n)]!));
  return starts.map((from, i) => {
    const next = starts[i + 1];
    // Everything below the next start: its last character lowered by one, followed by the highest there is.
    const to = next === undefined ? TOP : `${next.slice(0, -1)}${String.fromCharCode(next.charCodeAt(next.length - 1) - 1)}\uffff`;
    return [from, to];
  });
};

/** Queries in flight: enough that the store works on some while this process replays others. */
export const FACT_READS_IN_FLIGHT = 8;

export interface ReadCount {
  calls: number;
  items: number;
}

/**
 * Fills `f` from one projected item (the sort key carries the enrolment id and seq). One scratch object per range,
 * reused for every fact: a replay reads it during the call and keeps nothing of it but strings.
 */
const fill = (f: ReplayFact, i: Record<string, unknown>): ReplayFact => {
  const sk = String(i.sk);
  const hash = keys.approvalFactSortSplit(sk);
  if (hash < 0) throw new Error('an approval fact without its sort key');
  f.enrolmentId = sk.slice(0, hash);
  f.seq = Number(sk.slice(hash + 1));
  f.shares = Number(i.shares);
  f.benefitFen = Number(i.benefitFen);
  if (i.kind === 'lump_sum') {
    f.kind = 'lump_sum';
    f.conditionCode = String(i.conditionCode);
    f.baseFen = undefined;
  } else {
    f.kind = undefined;
    f.conditionCode = undefined;
    f.baseFen = i.baseFen === undefined ? undefined : Number(i.baseFen);
  }
  return f;
};

/** Reads one range page by page, in key order, handing each fact to `visit` (the same object each time: see fill). */
const readRange = async (
  ctx: StoreContext,
  planId: string,
  [from, to]: [string, string],
  visit: (fact: ReplayFact) => void,
  counted?: ReadCount,
) => {
  const scratch: ReplayFact = { enrolmentId: '', seq: 0, shares: 0, benefitFen: 0 };
  let start: Record<string, unknown> | undefined;
  do {
    const r = await withRetries('approval facts read', () =>
      ctx.db.send(
        new QueryCommand({
          TableName: ctx.tableName,
          ConsistentRead: true,
          KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
          // Only what a replay needs (the enrolment id and seq ride in the sort key): less for the store to send.
          ProjectionExpression: 'sk, #s, #b, #f, #k, #c',
          ExpressionAttributeNames: {
            '#s': 'shares',
            '#b': 'baseFen',
            '#f': 'benefitFen',
            '#k': 'kind',
            '#c': 'conditionCode',
          },
          ExpressionAttributeValues: { ':p': keys.approvalFact(planId, '', 0).pk, ':a': from, ':b': to },
          ExclusiveStartKey: start,
        }),
      ),
    );
    const items = r.Items ?? [];
    if (counted) {
      counted.calls++;
      counted.items += items.length;
    }
    for (const i of items) visit(fill(scratch, i));
    start = r.LastEvaluatedKey;
  } while (start);
};

/**
 * Every approval fact of the plan, as `segments` parallel streams: `visitor(i)`
 * makes the fact visitor of range i (ranges hold whole enrolments, each in
 * approval order; the fact object is reused, valid during the call only).
 */
export const readApprovalFacts = async (
  ctx: StoreContext,
  planId: string,
  visitor: (range: number) => (fact: ReplayFact) => void,
  opts: { segments?: number; concurrency?: number; counted?: ReadCount } = {},
): Promise<void> => {
  const ranges = factRanges(opts.segments ?? 4);
  const limit = pLimit(opts.concurrency ?? FACT_READS_IN_FLIGHT);
  await Promise.all(ranges.map((range, i) => limit(() => readRange(ctx, planId, range, visitor(i), opts.counted))));
};
