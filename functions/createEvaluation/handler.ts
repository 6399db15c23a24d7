import { msg } from '../../shared/messages/catalogue';
import type { Deps } from '../../shared/deps';
import { totalReward } from '../../shared/domain/evaluation';
import { rowsFromReport, evaluationView, writeRows } from '../../shared/evaluation/evaluate';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { conflict, forbidden, unprocessable } from '../../shared/http/problem';
import { createEvaluation } from '../../shared/http/routes/evaluations';
import { newId } from '../../shared/ids';
import { readStoredReport } from '../../shared/report/generate';
import { type EvaluationRecord, EvaluationRace } from '../../shared/store/evaluations';

const ATTEMPTS = 3;

const refusedOnceApproved = (year: number, checkpointId: string) =>
  conflict('EVALUATION_APPROVED', msg('EVALUATION_APPROVED', { year, checkpointId }));

/**
 * SPEC §4.5: a draft computed from the stored report of the checkpoint's date.
 * Reads the rules, the checkpoint's slot and the report index, computes the
 * rows, stores them in S3, then writes the evaluation in one transaction with
 * the report's lock (conditioned on the generatedAt it read), a check that
 * the rules are unchanged, the slot (replacing a draft, never an approved
 * one) and the Idempotency-Key's record. Anything changed in between: read
 * and compute again (a new transaction, a new token).
 */
export const handler = httpHandler('createEvaluation', createEvaluation, async ({ body, principal, deps, idempotency }) => {
  if (principal.orgId !== deps.config.rootOrgId) throw forbidden(msg('FORBIDDEN.rootOnly', { what: 'evaluationsMade' }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptCreate(deps, body, principal.sub, idempotency);
    } catch (e) {
      if (!(e instanceof EvaluationRace) || attempt >= ATTEMPTS) {
        if (e instanceof EvaluationRace) throw conflict('CONCURRENT_CHANGE', msg('CONCURRENT_CHANGE'));
        throw e;
      }
    }
  }
});

const attemptCreate = async (
  deps: Deps,
  body: { year: number; checkpointId: string },
  sub: string,
  idempotency: Parameters<typeof withRecord>[0],
) => {
  const rules = await deps.evaluations.getRules(body.year, true);
  if (!rules) throw unprocessable('RULES_MISSING', msg('RULES_MISSING', { year: body.year }));
  const checkpoint = rules.checkpoints.find((c) => c.id === body.checkpointId);
  if (!checkpoint) {
    throw unprocessable('CHECKPOINT_UNKNOWN', msg('CHECKPOINT_UNKNOWN', { year: body.year, checkpointId: body.checkpointId }), {
      checkpointIds: rules.checkpoints.map((c) => c.id),
    });
  }
  const slot = await deps.evaluations.getSlot(body.year, checkpoint.id);
  if (slot && slot.status !== 'draft') throw refusedOnceApproved(body.year, checkpoint.id);
  const index = await deps.reports.getIndex(checkpoint.date, true);
  if (!index) {
    throw conflict('REPORT_MISSING', msg('REPORT_MISSING', { date: checkpoint.date }), {
      date: checkpoint.date,
    });
  }
  const report = await readStoredReport(deps, index.files.json);
  if (report.generatedAt !== index.generatedAt) throw new EvaluationRace('report');
  const rows = rowsFromReport(report, rules, checkpoint.requiredCompletionPermille);
  const evaluationId = newId();
  const rowsKey = await writeRows(deps, evaluationId, rows);
  const record: EvaluationRecord = {
    evaluationId,
    year: body.year,
    checkpointId: checkpoint.id,
    date: checkpoint.date,
    status: 'draft',
    createdBy: sub,
    createdAt: deps.clock.now().toISOString(),
    totalRewardFen: totalReward(rows),
    reportGeneratedAt: index.generatedAt,
    rowsKey,
  };
  // The creator is the federation: the answer is the whole tree.
  const view = await evaluationView(deps, record, deps.config.rootOrgId, rows);
  const reply = { status: 201, body: view, headers: { location: `/evaluations/${evaluationId}` } };
  try {
    await deps.evaluations.create(
      record,
      { rulesUpdatedAt: rules.updatedAt, ...(slot ? { replacesDraft: slot.evaluationId } : {}) },
      withRecord(idempotency, reply),
    );
  } catch (e) {
    if (e instanceof EvaluationRace && e.what === 'slot') {
      const now = await deps.evaluations.getSlot(body.year, checkpoint.id);
      if (now && now.status !== 'draft') throw refusedOnceApproved(body.year, checkpoint.id);
    }
    throw e;
  }
  return reply;
};
