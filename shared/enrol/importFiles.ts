/**
 * The S3 side of a roster import: the uploaded file (checked, then read with
 * its ETag) and the per-row results, written one part per batch and joined
 * into objectKeys.rosterImportResults at the end. Parts are plain CSV rows;
 * the joined file gets the BOM and the header, so Excel on Chinese Windows
 * opens it with Chinese intact.
 */
import { type Msg, msg, render } from '../messages/catalogue';
import type { RosterReason } from '../messages/en';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { stringify } from 'csv-stringify/sync';
import type { Deps } from '../deps';
import { inspectObject, ObjectNotFound, putObject } from '../objects/inspect';
import { objectKeys } from '../objects/keys';
import { neutralise } from '../report/csv';
import type { RosterFormat } from '../roster/read';
import type { RowOutcomes } from './pipeline';
import { s3Of } from '../objects/client';

export const RESULTS_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** imports/<id>/results/00000.csv: the outcomes of batch n (derived from the results key, so ids are checked there). */
export const resultPartKey = (importId: string, n: number) =>
  `${objectKeys.rosterImportResults(importId).replace(/\.csv$/, '')}/${String(n).padStart(5, '0')}.csv`;

/** Each row's message in both languages (说明 Chinese, message English): the file is written once, for whoever reads it. */
const HEADER = [
  '行号/row',
  '身份证号(脱敏)/idNumberMasked',
  '结果/outcome',
  '参保编号/enrolmentId',
  '代码/code',
  '说明',
  'message',
  '文件行/line',
  '姓名/name',
];
const BOM = '\uFEFF';
const csv = (rows: (string | number)[][]) => stringify(rows, { record_delimiter: 'windows' });
export const RESULTS_HEAD = BOM + csv([HEADER]);

/**
 * One batch's outcomes as CSV rows, in row order. Masked IDs and names of rejected rows come from the file, so
 * they are neutralised as formulas. A rejected row also names its line in the file and its name as sent (SPEC §4.3);
 * totals rows (skippedRows) have no line here, only their count on the import.
 */
export const resultPart = (out: RowOutcomes, maskedOf: Map<string, string>): string => {
  const lines: [number, (string | number)[]][] = [
    ...out.enrolments.map((e): [number, (string | number)[]] => [
      e.row,
      [e.row, maskedOf.get(e.enrolmentId) ?? '', '已参加', e.enrolmentId, '', '', '', '', ''],
    ]),
    ...out.rejected.map((r): [number, (string | number)[]] => [
      r.row,
      [
        r.row,
        neutralise(r.idNumberMasked),
        '未参加',
        r.enrolmentId ?? '',
        r.code,
        neutralise(render(r.message, 'zh')),
        neutralise(render(r.message, 'en')),
        r.line ?? '',
        neutralise(r.name ?? ''),
      ],
    ]),
  ];
  return csv(lines.sort((a, b) => a[0] - b[0]).map(([, cells]) => cells));
};

/** Why an uploaded file is refused before a row is read: a stable code and a message for the clerk. */
export class ImportFileProblem extends Error {
  override name = 'ImportFileProblem';
  readonly detail: Msg;
  constructor(
    readonly code: 'UPLOAD_MISSING' | 'EMPTY_FILE' | 'FILE_TOO_LARGE' | 'NOT_A_WORKBOOK' | 'NOT_A_CSV' | 'FILE_REPLACED',
    reason: RosterReason,
  ) {
    const detail = msg('ROSTER_FILE', { reason });
    super(render(detail, 'en'));
    this.detail = detail;
  }
}

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

/**
 * What arrived is what was declared: present, not larger than the declared
 * size (the POST policy says so; the app does not rely on it), of the declared
 * type, and its first bytes fit it (a workbook is a ZIP; a CSV is text).
 */
export const checkUpload = async (deps: Deps, key: string, declared: { sizeBytes: number; format: RosterFormat }) => {
  const info = await inspectObject(s3Of(deps), deps.config.bucketName, key, 64);
  if (!info.exists) throw new ImportFileProblem('UPLOAD_MISSING', { key: 'uploadMissing' });
  if (info.sizeBytes === 0) throw new ImportFileProblem('EMPTY_FILE', { key: 'emptyFile' });
  if (info.sizeBytes > declared.sizeBytes) {
    throw new ImportFileProblem('FILE_TOO_LARGE', { key: 'uploadLarger', bytes: info.sizeBytes ?? 0, declared: declared.sizeBytes });
  }
  const head = info.firstBytes;
  if (declared.format === 'xlsx' && !startsWith(head, ZIP)) {
    throw new ImportFileProblem('NOT_A_WORKBOOK', startsWith(head, OLE) ? { key: 'oldOrProtected' } : { key: 'notXlsx' });
  }
  if (declared.format === 'csv' && (startsWith(head, ZIP) || startsWith(head, OLE) || head.includes(0))) {
    throw new ImportFileProblem(
      'NOT_A_CSV',
      startsWith(head, ZIP) || startsWith(head, OLE) ? { key: 'workbookNotCsv' } : { key: 'notText' },
    );
  }
};

/** The uploaded roster as a stream, refused if it is not the object first read (a second upload replaced it). */
export const openUpload = async (deps: Deps, key: string, etag: string | undefined) => {
  try {
    const got = await s3Of(deps).send(new GetObjectCommand({ Bucket: deps.config.bucketName, Key: key }));
    const body = got.Body as Readable | undefined;
    if (!body) throw new ObjectNotFound(key);
    if (etag !== undefined && got.ETag !== etag) {
      body.destroy();
      throw new ImportFileProblem('FILE_REPLACED', { key: 'fileReplaced' });
    }
    return { body, etag: got.ETag ?? '' };
  } catch (e) {
    const err = e as { name?: string };
    if (err.name === 'NoSuchKey' || err.name === 'NotFound' || e instanceof ObjectNotFound) {
      throw new ImportFileProblem('UPLOAD_MISSING', { key: 'uploadMissing' });
    }
    throw e;
  }
};

export const putResultPart = (deps: Deps, importId: string, n: number, text: string) =>
  putObject(s3Of(deps), deps.config.bucketName, resultPartKey(importId, n), text, RESULTS_CONTENT_TYPE);

/** BOM + header + every part, streamed part after part into one object of known length (never the whole file in memory). */
export const joinResults = async (deps: Deps, importId: string, parts: number, partBytes: number): Promise<void> => {
  const bucket = deps.config.bucketName;
  async function* body() {
    yield Buffer.from(RESULTS_HEAD);
    for (let n = 0; n < parts; n++) {
      const got = await s3Of(deps).send(new GetObjectCommand({ Bucket: bucket, Key: resultPartKey(importId, n) }));
      yield* got.Body as Readable;
    }
  }
  await s3Of(deps).send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: objectKeys.rosterImportResults(importId),
      Body: Readable.from(body()),
      ContentLength: Buffer.byteLength(RESULTS_HEAD) + partBytes,
      ContentType: RESULTS_CONTENT_TYPE,
    }),
  );
};
