/**
 * Hostile workbooks and CSVs (SPEC §4.3: a file is read only as far as its
 * size allows for). Each bomb is built in the test, small on disk: a sheet of
 * a billion bytes is ~1 MiB of repeated deflate blocks (writers.ts). Each is
 * refused with a RosterFileError within seconds, on the request path
 * (readRosterBuffer, 5,000 rows) and the import path (readRoster, 50,000).
 */
import { describe, expect, it } from 'vitest';
import { repeatedDeflate, workbookWith } from '../../test/fixtures/writers';
import { computeCheckChar } from '../domain/idNumber';
import { ParseClock, rosterBounds, timed } from './bounds';
import { RosterFileError } from './errors';
import { type ReadRosterOptions, readRoster, readRosterBuffer } from './read';

const REQUEST = { maxRows: 5000 };
const IMPORT = { maxRows: 50_000 };

const inline = (s: string) => `<c t="inlineStr"><is><t>${s}</t></is></c>`;
const HEADER = `<row>${inline('身份证号')}${inline('姓名')}</row>`;
const first17 = '11010519491231002';
const ID = first17 + computeCheckChar(first17);
const MEMBER = `<row>${inline(ID)}${inline('王明')}</row>`;
const sheet = (rows: string) => `<worksheet><sheetData>${rows}</sheetData></worksheet>`;

const MiB = 2 ** 20;
/** `<row/>` repeated to `bytes`, around a header: 1 GiB by default, as the issue's bomb. */
const rowBomb = (units = 1024) =>
  repeatedDeflate({
    head: `<worksheet><sheetData>${HEADER}`,
    unit: '<row/>'.repeat(MiB / 2),
    times: Math.round(units / 3),
    tail: '</sheetData></worksheet>',
  });

async function* chunks(bytes: Uint8Array) {
  for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
}
const viaImport = async (bytes: Uint8Array, format: 'csv' | 'xlsx', options: ReadRosterOptions = IMPORT) => {
  let n = 0;
  for await (const _ of readRoster(chunks(bytes), format, options)) n++;
  return n;
};

/** The code it is refused with, and how long that took. */
const refusal = async (read: () => Promise<unknown>) => {
  const started = performance.now();
  try {
    await read();
  } catch (e) {
    if (!(e instanceof RosterFileError)) throw e;
    return { code: e.code, message: e.message, ms: performance.now() - started };
  }
  throw new Error('expected the file to be refused');
};

describe('hostile workbooks', () => {
  it('a 1 MiB workbook whose sheet inflates to 1 GiB of <row/> is refused at once on both paths (its directory says so)', async () => {
    const bomb = workbookWith(rowBomb());
    expect(bomb.length).toBeLessThan(2 * MiB);
    for (const read of [() => readRosterBuffer(bomb, 'xlsx', REQUEST), () => viaImport(bomb, 'xlsx')]) {
      const r = await refusal(read);
      expect(r.code).toBe('FILE_TOO_COMPLEX');
      expect(r.ms).toBeLessThan(3000);
    }
  });

  it('the same bomb with a directory that understates its size is stopped while inflating, within seconds', async () => {
    const packed = rowBomb();
    const lying = workbookWith({ ...packed, size: 4 * MiB }); // small enough for any bound and ratio
    for (const read of [() => readRosterBuffer(lying, 'xlsx', REQUEST), () => viaImport(lying, 'xlsx')]) {
      const r = await refusal(read);
      expect(['FILE_TOO_COMPLEX', 'WORKBOOK_UNREADABLE', 'TOO_MANY_ROWS']).toContain(r.code);
      expect(r.ms).toBeLessThan(5000);
    }
  });

  it('counts blank rows: a member, 10,000 <row/> and another member is past the 5,000 rows of a request', async () => {
    const bytes = workbookWith(sheet(`${HEADER}${MEMBER}${'<row/>'.repeat(10_000)}${MEMBER}`));
    const r = await refusal(() => readRosterBuffer(bytes, 'xlsx', REQUEST));
    expect(r.code).toBe('TOO_MANY_ROWS');
    expect(r.message).toContain('blank rows included');
    // The import's 50,000 take it (the second member is a duplicate for the judge, not for the reader).
    expect(await viaImport(bytes, 'xlsx')).toBe(2);
  });

  it('a ratio no roster has is refused from the directory, below the unpacked bound', async () => {
    // 32 MiB of `<row/>` packs ~1000×: under the import's 416 MiB, over the ratio of 200.
    const r = await refusal(() => viaImport(workbookWith(rowBomb(32)), 'xlsx'));
    expect(r.code).toBe('FILE_TOO_COMPLEX');
    expect(r.message).toContain('200 times');
  });

  it('shared strings: 250 MiB of 32,767-character texts in a small workbook is refused before any is kept', async () => {
    const text = 'A'.repeat(32_767);
    const strings = repeatedDeflate({ head: '<sst>', unit: `<si><t>${text}</t></si>`.repeat(32), times: 250, tail: '</sst>' });
    const bytes = workbookWith(sheet(`${HEADER}<row><c t="s"><v>0</v></c></row>`), strings);
    expect(bytes.length).toBeLessThan(2 * MiB);
    for (const read of [() => readRosterBuffer(bytes, 'xlsx', REQUEST), () => viaImport(bytes, 'xlsx')]) {
      const r = await refusal(read);
      expect(r.code).toBe('FILE_TOO_COMPLEX');
      expect(r.ms).toBeLessThan(3000);
    }
  });

  it('shared strings: more distinct texts than the rows allow for (40 a row) is refused', async () => {
    // 200,001 tiny texts: fine for an import (2,000,000), too many for a request of 5,000 rows.
    const strings = `<sst>${Array.from({ length: 200_001 }, (_, i) => `<si><t>${i}</t></si>`).join('')}</sst>`;
    const bytes = workbookWith(sheet(`${HEADER}${MEMBER}`), strings);
    const r = await refusal(() => readRosterBuffer(bytes, 'xlsx', REQUEST));
    expect(r.code).toBe('FILE_TOO_COMPLEX');
    expect(r.message).toContain('200000 distinct texts');
    expect(await viaImport(bytes, 'xlsx')).toBe(1);
  });

  it('one row of endless empty cells yields no row, yet is stopped by the unpacked bound', async () => {
    const cells = repeatedDeflate({
      head: `<worksheet><sheetData>${HEADER}<row>`,
      unit: '<c/>'.repeat(MiB / 4),
      times: 512,
      tail: '</row></sheetData></worksheet>',
    });
    // Honest about its size but under the ratio: only the counting while inflating can stop it.
    const bytes = workbookWith({ ...cells, size: 8 * MiB });
    const r = await refusal(() => readRosterBuffer(bytes, 'xlsx', { maxRows: 5000, bounds: { maxRatio: 1e9 } }));
    expect(['FILE_TOO_COMPLEX', 'WORKBOOK_UNREADABLE']).toContain(r.code);
    expect(r.ms).toBeLessThan(10_000);
  });

  it('the time budget is checked while parsing, inside a part that yields no row', async () => {
    let t = 0;
    const now = () => (t += 100); // every look at the clock: 100 ms later
    const bytes = workbookWith(sheet(`${HEADER}<row>${'<c/>'.repeat(200_000)}</row>${MEMBER}`));
    const r = await refusal(() => readRosterBuffer(bytes, 'xlsx', { maxRows: 5000, now, bounds: { maxParseMs: 1000 } }));
    expect(r.code).toBe('FILE_TOO_COMPLEX');
    expect(r.message).toContain('too long to read');
    // A CSV too.
    const csv = new TextEncoder().encode(`身份证号,姓名\n${`${ID},王明\n`.repeat(50)}`);
    expect((await refusal(() => readRosterBuffer(csv, 'csv', { maxRows: 5000, now, bounds: { maxParseMs: 1000 } }))).code).toBe(
      'FILE_TOO_COMPLEX',
    );
  });
});

describe('the parse clock', () => {
  it('counts the reader’s time, not the consumer’s', async () => {
    let t = 0;
    const clock = new ParseClock(50, () => t);
    async function* reader() {
      for (let i = 0; i < 10; i++) {
        t += 4; // the reader works 4 ms a row: 40 ms in all, under 50
        yield i;
      }
    }
    const got: number[] = [];
    for await (const i of timed(reader(), clock)) {
      t += 1000; // the consumer (enrolling the row) takes a second: not counted
      got.push(i);
    }
    expect(got).toHaveLength(10);
    async function* slow() {
      for (let i = 0; i < 10; i++) {
        t += 6; // 60 ms in all: over
        yield i;
      }
    }
    await expect(async () => {
      for await (const _ of timed(slow(), new ParseClock(50, () => t)));
    }).rejects.toThrow(RosterFileError);
  });
  it('bounds follow the rows of the path', () => {
    expect(rosterBounds(5000)).toMatchObject({ maxRawRows: 5004, maxTexts: 200_000, maxUnpackedBytes: 16 * MiB + 5000 * 8192 });
    expect(rosterBounds(50_000).maxUnpackedBytes).toBe(16 * MiB + 50_000 * 8192);
  });
});
