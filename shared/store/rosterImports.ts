import type { Msg } from '../messages/catalogue';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Role } from '../domain/scope';
import { isConditionalCheckFailed } from './errors';
import type { TransactItem } from './counters';
import { createNew, getRecord, type StoreContext } from './items';
import type { FundingPerShare } from '../domain/enrolment';
import { inOrder, keys, itemOf } from './keys';
import { withRetries } from './retry';

export type ImportStatus = 'awaiting_upload' | 'processing' | 'done' | 'failed';

/**
 * A roster import (SPEC §4.3 "Large rosters"). Holds no personal data: ids,
 * counts and the file's declared shape; `fileName` is display text only and
 * goes into no key, log or URL. The roster and its results live in S3 under
 * imports/<importId>/.
 */
export interface RosterImportRecord {
  importId: string;
  unitId: string;
  planId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  /** The roster's co-funding per share (SPEC §4.3), checked against the plan when the import was requested. */
  funding?: FundingPerShare;
  status: ImportStatus;
  /** Data rows in the file (known once the file has been read through), 0 before. */
  rows: number;
  accepted: number;
  rejected: number;
  /** Totals rows (合计/小计/总计, no ID number) skipped (SPEC §4.3); absent on imports made before it was counted. */
  skippedRows?: number;
  progressPermille: number;
  /** Checkpoint: every row ≤ lastRow has its outcome in results part ≤ parts - 1. */
  lastRow: number;
  parts: number;
  /** Bytes of the checkpointed result parts (the final CSV's length without its header). */
  resultBytes: number;
  /** The Asia/Shanghai day the import was requested: enrolledDate of every row, however late it runs. */
  enrolmentDate: string;
  /** A backdated import (SPEC §4.3 `?enrolledDate=`, office or federation staff): every row's enrolledDate instead. */
  enrolledDate?: string;
  /** Who asked: the rows are enrolled as this principal (ALREADY_ENROLLED reveals only what they may see). */
  createdBy: string;
  createdByRole: Role;
  createdByOrg: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** The uploaded object's ETag when first read: a replaced file is not resumed. */
  etag?: string;
  /**
   * Why it failed: a stable code and its catalogue message (key + parameters, never a cell), rendered in the
   * reader's language when the import is read. Records written before the catalogue hold English `message` text.
   */
  error?: { code: string; detail?: Msg; message?: string };
  /** The run holding the import, until when (ISO; renewed at every checkpoint). */
  leaseId?: string;
  leaseUntil?: string;
  runs: number;
  version: number;
}

/** Another run holds the import, or took it over: this run must stop writing. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
  constructor(
    readonly importId: string,
    options?: ErrorOptions,
  ) {
    super(`import ${importId} is held by another run`, options);
  }
}

const decode = inOrder<RosterImportRecord>([
  'importId',
  'unitId',
  'planId',
  'fileName',
  'contentType',
  'sizeBytes',
  'funding',
  'status',
  'rows',
  'accepted',
  'rejected',
  'skippedRows',
  'progressPermille',
  'lastRow',
  'parts',
  'resultBytes',
]);

type Fields = Partial<Omit<RosterImportRecord, 'importId' | 'version'>>;

interface Change {
  set?: Fields;
  /** Extra SET clauses over the names and values below (if_not_exists, increments). */
  setRaw?: string[];
  remove?: (keyof RosterImportRecord)[];
  condition: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/** One UpdateItem: fields set, `version + 1`, attributes removed, under a condition. DynamoDB refuses unused names, so only used ones are sent. */
const updateInput = (c: Change) => {
  const names: Record<string, string> = { '#version': 'version', ...c.names };
  const values: Record<string, unknown> = { ':one': 1, ...c.values };
  const sets = Object.entries(c.set ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v], i) => {
      names[`#f${i}`] = k;
      values[`:f${i}`] = v;
      return `#f${i} = :f${i}`;
    });
  const removes = (c.remove ?? []).map((k, i) => {
    names[`#r${i}`] = k;
    return `#r${i}`;
  });
  const expression = `SET ${[...sets, ...(c.setRaw ?? []), '#version = #version + :one'].join(', ')}${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`;
  return {
    UpdateExpression: expression,
    ConditionExpression: c.condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
};

const LEASED = { condition: '#lease = :me', names: { '#lease': 'leaseId' } };

export const rosterImportRepo = (ctx: StoreContext) => {
  /** The record after the change, or undefined when the condition failed. */
  const update = async (importId: string, c: Change): Promise<RosterImportRecord | undefined> => {
    try {
      const r = await withRetries('roster import', () =>
        ctx.db.send(
          new UpdateCommand({ TableName: ctx.tableName, Key: keys.rosterImport(importId), ...updateInput(c), ReturnValues: 'ALL_NEW' }),
        ),
      );
      return decode(r.Attributes ?? {});
    } catch (e) {
      if (isConditionalCheckFailed(e)) return undefined;
      throw e;
    }
  };

  /** Under this run's lease, or LeaseLost. */
  const underLease = async (importId: string, leaseId: string, set: Fields, remove: (keyof RosterImportRecord)[] = []) => {
    const r = await update(importId, { ...LEASED, values: { ':me': leaseId }, set, remove });
    if (!r) throw new LeaseLost(importId);
    return r;
  };

  return {
    /** `extra` items (an Idempotency-Key's record) share its transaction. */
    create: (r: RosterImportRecord, extra: TransactItem[] = []) =>
      createNew(
        ctx,
        itemOf(keys.rosterImport(r.importId), { entity: 'rosterImport', ...r }),
        { entity: 'roster import', id: r.importId },
        extra,
      ),

    get: (importId: string, consistent = false) => getRecord(ctx, keys.rosterImport(importId), decode, consistent),

    /**
     * Takes the import for one run: only if it is not finished and no other
     * run holds an unexpired lease. Undefined when it cannot be taken (read
     * it again to see why). ISO timestamps of one format compare as strings.
     */
    claim: (importId: string, leaseId: string, now: string, leaseUntil: string) =>
      update(importId, {
        set: { status: 'processing', leaseId, leaseUntil },
        setRaw: ['#started = if_not_exists(#started, :now)', '#runs = #runs + :one'],
        condition: '#status IN (:waiting, :processing) AND (attribute_not_exists(#until) OR #until < :now)',
        names: { '#status': 'status', '#until': 'leaseUntil', '#started': 'startedAt', '#runs': 'runs' },
        values: { ':waiting': 'awaiting_upload', ':processing': 'processing', ':now': now },
      }),

    /** A checkpoint, or any change made while holding the lease (which it renews). */
    progress: (importId: string, leaseId: string, set: Fields) => underLease(importId, leaseId, set),

    /** The end of the import: done or failed; the lease is dropped so nothing runs it again. */
    finish: (importId: string, leaseId: string, set: Fields & { status: 'done' | 'failed'; finishedAt: string }) =>
      underLease(importId, leaseId, set, ['leaseId', 'leaseUntil']),

    /** Lets the next delivery take over at once (after a failure this run cannot get past). Best effort. */
    release: (importId: string, leaseId: string) =>
      update(importId, { ...LEASED, values: { ':me': leaseId }, remove: ['leaseId', 'leaseUntil'] }).catch(() => undefined),
  };
};

export type RosterImportRepo = ReturnType<typeof rosterImportRepo>;
