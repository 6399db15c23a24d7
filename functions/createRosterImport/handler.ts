import { newId } from '../../shared/ids';
import { todayIn } from '../../shared/clock';
import { subsidyProblem } from '../../shared/domain/enrolment';
import { backdatedEnrolment, enrolmentOpenOn, unitInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { withRecord } from '../../shared/http/idempotency';
import { createRosterImport } from '../../shared/http/routes/rosterImports';
import { notFound, unprocessable } from '../../shared/http/problem';
import { objectKeys } from '../../shared/objects/keys';
import { presignUpload } from '../../shared/objects/presign';
import { s3Of } from '../../shared/objects/client';

/**
 * Starts a roster import (SPEC §4.3 "Large rosters"): the same request checks
 * as the synchronous API, then a record awaiting its upload and a presigned
 * S3 POST (≤ 15 minutes) pinning the key (imports/<importId>/roster: ids
 * only), the content type and a size of at most the declared one. The upload
 * itself starts the job (functions/rosterImport), which checks what arrived.
 * The import enrols as this caller, on today's date (or the backdated `?enrolledDate=`), however late it runs.
 */
export const handler = httpHandler(
  'createRosterImport',
  createRosterImport,
  async ({ params, query, body, principal, deps, idempotency }) => {
    // Access before work (SPEC §3): another unit's import is 403 whatever plan it names.
    const unit = await unitInScope(deps, principal, params.unitId, 'enrol');
    const plan = await deps.plans.get(body.planId);
    if (!plan) throw notFound('plan', body.planId);
    const now = deps.clock.now();
    const today = todayIn(deps.clock);
    enrolmentOpenOn(plan, today);
    // Backdating (SPEC §4.3): checked now, against today; the run enrols every row on that day.
    const enrolledDate = backdatedEnrolment(principal, query.enrolledDate, plan, today);
    // Refused now, not when the upload runs: an import that could enrol nobody is not started.
    const subsidy = subsidyProblem(plan, body.funding);
    if (subsidy) throw unprocessable('SUBSIDY_TOO_HIGH', subsidy(false));
    const importId = newId();
    // Presigned before the record is written: the answer must be whole before its Idempotency-Key record rides in the write.
    const upload = await presignUpload(s3Of(deps), deps.config.bucketName, {
      key: objectKeys.rosterImport(importId),
      contentType: body.contentType,
      maxBytes: body.sizeBytes,
      now,
    });
    const reply = { status: 201, body: { importId, upload }, headers: { location: `/roster-imports/${importId}` } };
    await deps.rosterImports.create(
      {
        importId,
        unitId: unit.id,
        planId: plan.id,
        fileName: body.fileName,
        contentType: body.contentType,
        sizeBytes: body.sizeBytes,
        ...(body.funding ? { funding: body.funding } : {}),
        status: 'awaiting_upload',
        rows: 0,
        accepted: 0,
        rejected: 0,
        progressPermille: 0,
        lastRow: 0,
        parts: 0,
        resultBytes: 0,
        enrolmentDate: today,
        ...(enrolledDate ? { enrolledDate } : {}),
        createdBy: principal.sub,
        createdByRole: principal.role,
        createdByOrg: principal.orgId,
        createdAt: now.toISOString(),
        runs: 0,
        version: 1,
      },
      withRecord(idempotency, reply),
    );
    return reply;
  },
);
