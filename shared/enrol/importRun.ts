/**
 * One run of a roster import (SPEC §4.3 "Large rosters"), started by the
 * upload's S3 event. The file is read twice, streamed both times: first
 * through to the end (every whole-file fault — unreadable, too many rows —
 * is found before anyone is enrolled, and the row count makes progress
 * exact), then in batches through the enrolment pipeline the synchronous API
 * uses. After each batch its outcomes go to S3 and THEN the record's
 * checkpoint moves, so a crash loses at most the batches after the last
 * checkpoint; their rows are re-run, and rows enrolled before the crash come
 * back as this import's own (the enrolment carries `source: importId`).
 */
import { type ImportFailureCode, type Msg, msg } from '../messages/catalogue';
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import type { Deps } from '../deps';
import { logger } from '../http/logger';
import { objectKeys } from '../objects/keys';
import { type RosterFormat, type RosterLine, RosterFileError, readRoster, rosterFormatOf } from '../roster/read';
import { ENROL_CONCURRENCY } from '../store/enrolments';
import { LeaseLost, type RosterImportRecord } from '../store/rosterImports';
import { checkUpload, ImportFileProblem, joinResults, openUpload, putResultPart, resultPart } from './importFiles';
import { type EnrolContext, prepareRows, rememberRows, type RowOutcomes, writePrepared } from './pipeline';

export const IMPORT_MAX_ROWS = 50_000;
/** Ten transactions of 99 rows: a checkpoint every second or so. */
export const IMPORT_BATCH_ROWS = 990;
/** A run renews its lease at every checkpoint; a dead run's import is taken over once it lapses. */
export const IMPORT_LEASE_MS = 5 * 60_000;
/** Batches written at once: the next batch's transactions queue behind this one's, so the writers never idle on a tail. */
const WINDOW = 2;

export type RunOutcome = 'done' | 'failed' | 'ignored' | 'busy' | 'lost';

export interface RunOptions {
  /** How long a delivery waits for another run's lease to end before leaving it (ms, real time). Default 0. */
  waitMs?: number;
  pollMs?: number;
  /** Stop (resumably) after this instant (epoch ms): Lambda's deadline minus a margin. */
  deadline?: number;
  batchRows?: number;
}

/** The run ran out of time: the checkpoint stays, the next delivery resumes. */
class OutOfTime extends Error {
  override name = 'OutOfTime';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaseUntil = (deps: Deps) => new Date(deps.clock.now().getTime() + IMPORT_LEASE_MS).toISOString();

/** Takes the import, waiting while another run holds it; undefined when it is finished or stays busy. */
const claim = async (deps: Deps, importId: string, leaseId: string, opts: RunOptions): Promise<RosterImportRecord | RunOutcome> => {
  const giveUp = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    const taken = await deps.rosterImports.claim(importId, leaseId, deps.clock.now().toISOString(), leaseUntil(deps));
    if (taken) return taken;
    const current = await deps.rosterImports.get(importId, true);
    if (!current) {
      logger.warn('roster import: upload for an unknown import', { importId });
      return 'ignored';
    }
    if (current.status === 'done' || current.status === 'failed') return 'ignored'; // a repeated event
    if (Date.now() + (opts.pollMs ?? 2000) > giveUp) return 'busy';
    await sleep(opts.pollMs ?? 2000);
  }
};

export const runRosterImport = async (deps: Deps, importId: string, opts: RunOptions = {}): Promise<RunOutcome> => {
  const leaseId = randomUUID();
  const claimed = await claim(deps, importId, leaseId, opts);
  if (typeof claimed === 'string') {
    logger.info('roster import not run', { importId, outcome: claimed });
    return claimed;
  }
  const fail = async (code: ImportFailureCode, detail: Msg) => {
    await deps.rosterImports.finish(importId, leaseId, {
      status: 'failed',
      finishedAt: deps.clock.now().toISOString(),
      error: { code, detail },
    });
    logger.warn('roster import failed', { importId, code });
    return 'failed' as const;
  };
  try {
    return await run(deps, claimed, leaseId, opts, fail);
  } catch (e) {
    if (e instanceof LeaseLost) {
      logger.warn('roster import taken over by another run', { importId });
      return 'lost';
    }
    if (e instanceof ImportFileProblem || e instanceof RosterFileError) return fail(e.code, e.detail);
    // The store or S3 failed, or time ran out: the checkpoint stays; the next delivery (Lambda's retry) resumes at once.
    await deps.rosterImports.release(importId, leaseId);
    logger.warn('roster import interrupted', { importId, errorName: (e as Error).name });
    throw e;
  }
};

const run = async (
  deps: Deps,
  rec: RosterImportRecord,
  leaseId: string,
  opts: RunOptions,
  fail: (code: ImportFailureCode, detail: Msg) => Promise<'failed'>,
): Promise<RunOutcome> => {
  const { importId } = rec;
  const started = Date.now();
  const key = objectKeys.rosterImport(importId);
  const format = rosterFormatOf(rec.contentType) as RosterFormat;
  const [plan, unit] = await Promise.all([deps.plans.get(rec.planId), deps.orgs.get(rec.unitId)]);
  if (!plan || !unit) return fail('NOT_FOUND', msg('NOT_FOUND.importGone'));
  await checkUpload(deps, key, { sizeBytes: rec.sizeBytes, format });
  const read = async function* () {
    const { body, etag } = await openUpload(deps, key, rec.etag);
    rec.etag ??= etag;
    try {
      yield* readRoster(body, format, { maxRows: IMPORT_MAX_ROWS, maxBytes: rec.sizeBytes });
    } finally {
      body.destroy();
    }
  };

  let state = {
    rows: rec.rows,
    accepted: rec.accepted,
    rejected: rec.rejected,
    skippedRows: rec.skippedRows ?? 0,
    lastRow: rec.lastRow,
    parts: rec.parts,
    resultBytes: rec.resultBytes,
  };
  if (state.rows === 0) {
    let rows = 0;
    for await (const _ of read()) rows++;
    if (rows === 0) return fail('NO_DATA_ROWS', msg('NO_DATA_ROWS'));
    state.rows = rows;
    await deps.rosterImports.progress(importId, leaseId, { rows, etag: rec.etag, leaseUntil: leaseUntil(deps) });
  }

  const ctx: EnrolContext = {
    deps,
    plan,
    unit,
    principal: { sub: rec.createdBy, role: rec.createdByRole, orgId: rec.createdByOrg },
    today: rec.enrolmentDate,
    ...(rec.enrolledDate ? { enrolledDate: rec.enrolledDate } : {}),
    now: deps.clock.now(),
    seen: new Map(),
    source: importId,
    limit: pLimit(ENROL_CONCURRENCY),
    funding: rec.funding,
  };
  const commit = async (n: number, lines: RosterLine[], out: RowOutcomes, maskedOf: Map<string, string>) => {
    if (n !== state.parts || out.enrolments.length + out.rejected.length + out.skippedRows !== lines.length) {
      throw new Error(`roster import ${importId}: batch ${n} does not follow the checkpoint`);
    }
    const text = resultPart(out, maskedOf);
    await putResultPart(deps, importId, n, text);
    const lastRow = lines.at(-1)!.row;
    const next = {
      ...state,
      accepted: state.accepted + out.enrolments.length,
      rejected: state.rejected + out.rejected.length,
      skippedRows: state.skippedRows + out.skippedRows,
      lastRow,
      parts: n + 1,
      resultBytes: state.resultBytes + Buffer.byteLength(text),
    };
    // 1000 only once the results file is there.
    const progressPermille = Math.min(999, Math.floor((lastRow * 1000) / state.rows));
    await deps.rosterImports.progress(importId, leaseId, { ...next, progressPermille, leaseUntil: leaseUntil(deps) });
    state = next;
  };

  if (state.lastRow < state.rows) {
    const writes = new Set<Promise<unknown>>();
    const commits: Promise<void>[] = [];
    let chain: Promise<void> = Promise.resolve();
    const launch = async (lines: RosterLine[], n: number) => {
      // Rows already checkpointed: their outcomes are in S3; remember who they were (DUPLICATE_IN_REQUEST later on).
      if (lines.at(-1)!.row <= state.lastRow) return rememberRows(ctx, lines);
      if (opts.deadline !== undefined && Date.now() > opts.deadline) throw new OutOfTime('time budget spent; the next delivery resumes');
      ctx.now = deps.clock.now();
      // Prepared in file order (the `seen` map decides who is first), written while the next batch is prepared.
      const prepared = await prepareRows(ctx, lines);
      const written = writePrepared(ctx, prepared);
      writes.add(written);
      written.catch(() => undefined).finally(() => writes.delete(written)); // awaited through the chain; no unhandled rejection meanwhile
      const maskedOf = new Map(prepared.records.map((r) => [r.enrolmentId, r.idNumberMasked]));
      chain = chain.then(async () => commit(n, lines, await written, maskedOf));
      chain.catch(() => undefined);
      commits.push(chain);
      if (commits.length >= WINDOW) await commits.shift();
    };
    try {
      const batchRows = opts.batchRows ?? IMPORT_BATCH_ROWS;
      let batch: RosterLine[] = [];
      let n = 0;
      for await (const line of read()) {
        batch.push(line);
        if (batch.length === batchRows) {
          await launch(batch, n++);
          batch = [];
        }
      }
      if (batch.length > 0) await launch(batch, n++);
      await chain;
    } finally {
      // Whatever happened, no transaction of this run is still in flight when it returns.
      await Promise.allSettled([...writes, chain]);
    }
  }
  if (state.lastRow !== state.rows) throw new Error(`roster import ${importId}: read ${state.lastRow} of ${state.rows} rows`);

  await joinResults(deps, importId, state.parts, state.resultBytes);
  await deps.rosterImports.finish(importId, leaseId, {
    status: 'done',
    finishedAt: deps.clock.now().toISOString(),
    progressPermille: 1000,
  });
  logger.info('roster import done', {
    importId,
    rows: state.rows,
    accepted: state.accepted,
    rejected: state.rejected,
    ms: Date.now() - started,
  });
  return 'done';
};
