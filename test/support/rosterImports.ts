import { idTokenClaims } from '../../infra/local/jwt';
import { postPresignedForm } from '../../infra/local/forms';
import { formClockHeaders } from '../../infra/local/s3front';
import type { S3Event } from 'aws-lambda';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { makeHandler } from '../../functions/rosterImport/handler';
import { buildHttpEvent, lambdaContext } from '../../infra/local/event';
import { fixedClock } from '../../shared/clock';
import { buildDeps, type Deps } from '../../shared/deps';
import type { RunOptions } from '../../shared/enrol/importRun';
import type { HttpHandler } from '../../shared/http/handler';
import { s3Of } from '../../shared/objects/client';
import { putObject } from '../../shared/objects/inspect';
import { objectKeys } from '../../shared/objects/keys';
import type { PresignedUpload } from '../../shared/objects/presign';
import { ROSTER_CONTENT_TYPES } from '../../shared/roster/read';
import { fed, marchClock } from './fixtures';
import { invoke } from './invoke';

/** Helpers for roster imports against the real emulators: create, upload, deliver the S3 event, read results. */
export const CSV = ROSTER_CONTENT_TYPES.csv;
export const XLSX = ROSTER_CONTENT_TYPES.xlsx;

export const createImport = (
  unitId: string,
  body: Record<string, unknown>,
  opts: { claims?: Record<string, string>; deps?: Partial<Deps>; headers?: Record<string, string> } = {},
) =>
  invoke('createRosterImport', {
    params: { unitId },
    body,
    claims: opts.claims ?? fed,
    deps: { clock: marchClock, ...opts.deps },
    headers: opts.headers,
  });

export const getImport = (importId: string, claims: Record<string, string> = fed, deps?: Partial<Deps>) =>
  invoke('getRosterImport', { params: { importId }, claims, ...(deps ? { deps } : {}) });

/** What a browser does with the presigned POST: every field, then the file. */
export const upload = async (up: PresignedUpload, bytes: Uint8Array, contentType: string) => {
  // Posted at the moment the form was made (the app runs on a fixed clock; the S3 front checks the expiry).
  const res = await postPresignedForm(up, { bytes, type: contentType, name: 'roster' }, { headers: formClockHeaders(up.fields) });
  expect(res.status).toBe(204);
};

/** Creates an import for `bytes` (declared size = real size unless given) and uploads it; returns the import id. */
export const createAndUpload = async (
  unitId: string,
  planId: string,
  bytes: Uint8Array,
  contentType: string,
  declared: { sizeBytes?: number; claims?: Record<string, string>; deps?: Partial<Deps> } = {},
) => {
  const r = await createImport(
    unitId,
    { planId, fileName: '职工名册.csv', contentType, sizeBytes: declared.sizeBytes ?? bytes.length },
    { claims: declared.claims, deps: declared.deps },
  );
  expect(r.status, r.text).toBe(201);
  if (declared.sizeBytes !== undefined && declared.sizeBytes < bytes.length) {
    // S3 (and the local S3 front) refuse a form over its content-length-range; the job must not rely on
    // that, so the bytes are put there by a signed writer the policy does not bind.
    const form = new FormData();
    for (const [k, v] of Object.entries(r.body.upload.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([bytes], { type: contentType }), 'roster');
    const refused = await fetch(r.body.upload.url, { method: 'POST', body: form, headers: formClockHeaders(r.body.upload.fields) });
    expect(refused.status).toBe(400);
    const deps = buildDeps(declared.deps ?? {});
    await putObject(s3Of(deps), deps.config.bucketName, r.body.upload.fields.key, bytes, contentType);
  } else await upload(r.body.upload, bytes, contentType);
  return r.body.importId as string;
};

/** The event S3 sends for an upload (key URL-encoded as AWS does). */
export const s3Event = (importId: string, bucket = buildDeps().config.bucketName): S3Event =>
  ({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Post',
        eventTime: new Date().toISOString(),
        s3: { bucket: { name: bucket, arn: `arn:aws:s3:::${bucket}` }, object: { key: objectKeys.rosterImport(importId), size: 1 } },
      },
    ],
  }) as unknown as S3Event;

/** The import job with these deps (default: the test store, March clock), as Lambda would invoke it. */
export const jobDeps = (over: Partial<Deps> = {}) => buildDeps({ clock: marchClock, ...over });
export const runJob = (importId: string, deps: Deps = jobDeps(), opts: RunOptions = {}) =>
  makeHandler(() => deps, opts)(s3Event(importId, deps.config.bucketName));
/** A clock past any lease taken under the March clock. */
export const laterClock = fixedClock('2026-03-10T05:00:00Z');

export interface ResultRow {
  row: number;
  masked: string;
  outcome: string;
  enrolmentId: string;
  code: string;
  message: string;
  line?: number;
  name?: string;
}

/** Downloads the results link and parses it back (BOM and header checked). */
export const fetchResults = async (url: string): Promise<{ text: string; rows: ResultRow[] }> => {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder().decode(bytes);
  const [header, ...records] = parse(text, { bom: true }) as string[][];
  // Each row's message in both languages: 说明 (Chinese), message (English); then the line and the name as sent.
  expect(header).toHaveLength(9);
  const rows = records.map(([row, masked, outcome, enrolmentId, code, messageZh, message, line, name]) => ({
    row: Number(row),
    masked: masked!,
    outcome: outcome!,
    enrolmentId: enrolmentId!,
    code: code!,
    message: message!,
    messageZh: messageZh!,
    // Rejected rows only: the line in the file and the name as sent.
    ...(line ? { line: Number(line) } : {}),
    ...(name ? { name } : {}),
  }));
  return { text, rows };
};

export { listAll } from './fixtures';

/** POST /units/{unitId}/enrolments with a roster file as the body (binary files base64-encoded, as API Gateway passes them). */
export const enrolFile = async (unitId: string, planId: string, bytes: Uint8Array, contentType: string) => {
  const { handler } = (await import('../../functions/enrolMembers/handler')) as { handler: HttpHandler };
  const res = await handler.withDeps({ clock: marchClock })(
    buildHttpEvent({
      method: 'POST',
      routePath: '/units/{unitId}/enrolments',
      rawPath: `/units/${unitId}/enrolments`,
      rawQueryString: `planId=${planId}`,
      headers: { 'content-type': contentType },
      pathParameters: { unitId },
      body: Buffer.from(bytes),
      claims: idTokenClaims(fed),
    }),
    lambdaContext('enrolMembers'),
  );
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
