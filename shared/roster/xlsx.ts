/**
 * The first sheet of an Excel workbook (.xlsx), row by row.
 *
 * A workbook is a ZIP whose directory sits at its end, and Excel writes the
 * shared strings after the sheets, so a forward-only reader must park the
 * sheet somewhere anyway. A streamed upload is therefore spooled, compressed
 * as it came, to a temp file, then read by yauzl from the ZIP's central
 * directory (authoritative sizes, no guessing where an entry ends) and
 * parsed with saxes as it inflates. Memory stays flat: the shared strings
 * go to a temp file too (see sharedStrings.ts). A buffer (the HTTP path) is
 * read in place.
 */
import type { RosterReason } from '../messages/en';
import { mkdtemp, open as openFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { type Entry, fromBufferPromise, openPromise, type Options, type ZipFile } from 'yauzl';
import { RosterFileError } from './errors';
import type { Cell } from './lines';
import { FileStrings, MemoryStrings, type SharedStrings } from './sharedStrings';
import { readFirstSheetId, readRelationships, readSharedStrings, type Relationship, SheetRows } from './xlsxParts';

const ZIP_OPTIONS: Options = { autoClose: false, lazyEntries: true, validateEntrySizes: true };
/** Unpacked-size ceilings, checked against the directory before inflating anything (zip bombs). */
const MAX_SMALL_PART = 8 * 1024 * 1024;
const MAX_STRINGS_PART = 256 * 1024 * 1024;
const MAX_SHEET_PART = 1024 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

/** What the first bytes say, before the ZIP reader gives a vaguer answer. */
const sniff = (head: Uint8Array): void => {
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new RosterFileError('NOT_A_WORKBOOK', { key: 'oldOrProtected' });
  }
  if (head[0] !== 0x50 || head[1] !== 0x4b) {
    throw new RosterFileError('NOT_A_WORKBOOK', { key: 'notXlsx' });
  }
};

const notAWorkbook = () => new RosterFileError('NOT_A_WORKBOOK', { key: 'unreadableXlsx' });
const unreadable = (what: RosterReason) => new RosterFileError('WORKBOOK_UNREADABLE', what);

async function* utf8(zip: ZipFile, entry: Entry, max: number): AsyncGenerator<string> {
  if (entry.uncompressedSize > max) throw unreadable({ key: 'partTooLarge' });
  const stream = await zip.openReadStreamPromise(entry);
  stream.setEncoding('utf8');
  yield* stream as AsyncIterable<string>;
}

/** `Target` of a relationship, resolved against the folder of the part that owns it. */
const resolveTarget = (baseDir: string, target: string): string =>
  target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(baseDir, target));

async function* firstSheet(zip: ZipFile, strings: SharedStrings): AsyncGenerator<Cell[]> {
  const entries = new Map<string, Entry>();
  for await (const e of zip.eachEntry()) {
    if (entries.size >= MAX_ENTRIES) throw unreadable({ key: 'tooManyParts' });
    entries.set(e.fileName, e);
  }
  const part = (name: string): Entry | undefined => entries.get(name);
  const rels = async (name: string): Promise<Relationship[]> => {
    const e = part(name);
    return e ? readRelationships(utf8(zip, e, MAX_SMALL_PART)) : [];
  };

  const office = (await rels('_rels/.rels')).find((r) => r.type.endsWith('/officeDocument'));
  const workbookName = office ? resolveTarget('', office.target) : 'xl/workbook.xml';
  const workbook = part(workbookName);
  if (!workbook) throw notAWorkbook();
  const sheetId = await readFirstSheetId(utf8(zip, workbook, MAX_SMALL_PART));
  const dir = posix.dirname(workbookName);
  const workbookRels = await rels(posix.join(dir, '_rels', `${posix.basename(workbookName)}.rels`));
  const sheetRel = workbookRels.find((r) => r.id === sheetId);
  const sheet = sheetRel && part(resolveTarget(dir, sheetRel.target));
  if (!sheet) throw unreadable({ key: 'noSheet' });
  const stringsRel = workbookRels.find((r) => r.type.endsWith('/sharedStrings'));
  const stringsPart = stringsRel && part(resolveTarget(dir, stringsRel.target));
  if (stringsPart) await readSharedStrings(utf8(zip, stringsPart, MAX_STRINGS_PART), strings);

  const rows = new SheetRows(strings);
  for await (const chunk of utf8(zip, sheet, MAX_SHEET_PART)) {
    rows.feed(chunk);
    yield* rows.take();
    if (rows.done) return; // nothing after <sheetData> is a row
  }
  rows.finish();
  yield* rows.take();
}

/** Reads the workbook; ZIP and inflate faults become RosterFileErrors. */
async function* readZip(openZip: () => Promise<ZipFile>, strings: SharedStrings): AsyncGenerator<Cell[]> {
  let zip: ZipFile;
  try {
    zip = await openZip();
  } catch {
    strings.close();
    throw notAWorkbook();
  }
  try {
    yield* firstSheet(zip, strings);
  } catch (e) {
    if (e instanceof RosterFileError) throw e;
    throw unreadable({ key: 'damaged' });
  } finally {
    strings.close();
    zip.close();
  }
}

export async function* xlsxRowsFromBuffer(data: Uint8Array): AsyncGenerator<Cell[]> {
  sniff(data);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  yield* readZip(() => fromBufferPromise(buffer, ZIP_OPTIONS), new MemoryStrings());
}

export async function* xlsxRowsFromStream(source: AsyncIterable<Uint8Array>, tmpDir = tmpdir()): AsyncGenerator<Cell[]> {
  const dir = await mkdtemp(join(tmpDir, 'roster-'));
  try {
    const path = join(dir, 'upload.xlsx');
    const file = await openFile(path, 'w');
    const head: number[] = [];
    try {
      for await (const chunk of source) {
        for (let i = 0; i < chunk.length && head.length < 4; i++) head.push(chunk[i]!);
        await file.write(chunk);
      }
    } finally {
      await file.close();
    }
    sniff(Uint8Array.from(head));
    yield* readZip(() => openPromise(path, ZIP_OPTIONS), new FileStrings(join(dir, 'strings')));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
