/**
 * The first sheet of an Excel workbook (.xlsx), row by row.
 *
 * A workbook is a ZIP whose directory sits at its end, and Excel writes the
 * shared strings after the sheets, so a forward-only reader must park the
 * sheet somewhere anyway. A streamed upload is therefore spooled, compressed
 * as it came, to a temp file, then read by yauzl from the ZIP's central
 * directory (authoritative sizes, no guessing where an entry ends) and
 * parsed with saxes as it inflates. Memory stays flat: the shared strings
 * go to a temp file too (see sharedStrings.ts), on both paths. A buffer (the
 * HTTP path) is read in place. Every part is read within the file's bounds
 * (bounds.ts): unpacked bytes and ratio from the directory before inflating,
 * then counted while inflating, and the parse clock checked at every chunk.
 */
import type { RosterReason } from '../messages/en';
import { mkdtemp, open as openFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { type Entry, fromBufferPromise, openPromise, type Options, type ZipFile } from 'yauzl';
import { type ParseClock, RATIO_FLOOR_BYTES, type RosterBounds, rosterBounds, tooBigUnpacked, UnpackBudget } from './bounds';
import { RosterFileError } from './errors';
import type { Cell } from './lines';
import { FileStrings, type SharedStrings } from './sharedStrings';
import { readFirstSheetId, readRelationships, readSharedStrings, type Relationship, SheetRows } from './xlsxParts';

const ZIP_OPTIONS: Options = { autoClose: false, lazyEntries: true, validateEntrySizes: true };
/** Relationships and the workbook part: a few KiB in real files. */
const MAX_SMALL_PART = 8 * 1024 * 1024;
const MAX_ENTRIES = 10_000;

/** How one workbook is read: its bounds, the bytes unpacked so far, the parse clock. */
export interface XlsxLimits {
  bounds: RosterBounds;
  clock?: ParseClock;
}
interface Reading {
  bounds: RosterBounds;
  unpacked: UnpackBudget;
  clock?: ParseClock;
}

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

/** One part as text, inflated within the bounds: judged by the directory first, then by what actually inflates. */
async function* utf8(zip: ZipFile, entry: Entry, max: number, r: Reading): AsyncGenerator<string> {
  if (entry.uncompressedSize > Math.min(max, r.bounds.maxUnpackedBytes - r.unpacked.used)) throw tooBigUnpacked(r.bounds.maxUnpackedBytes);
  if (entry.uncompressedSize > RATIO_FLOOR_BYTES && entry.uncompressedSize > r.bounds.maxRatio * Math.max(1, entry.compressedSize)) {
    throw new RosterFileError('FILE_TOO_COMPLEX', { key: 'ratio', max: r.bounds.maxRatio });
  }
  const stream = await zip.openReadStreamPromise(entry);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      // Counted as it inflates: a directory that understates a size is caught here (and by yauzl's size check).
      r.unpacked.take(chunk.length);
      r.clock?.check();
      const text = decoder.decode(chunk, { stream: true });
      if (text !== '') yield text;
    }
  } finally {
    stream.destroy();
  }
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** `Target` of a relationship, resolved against the folder of the part that owns it. */
const resolveTarget = (baseDir: string, target: string): string =>
  target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(baseDir, target));

async function* firstSheet(zip: ZipFile, strings: SharedStrings, r: Reading): AsyncGenerator<Cell[]> {
  const entries = new Map<string, Entry>();
  for await (const e of zip.eachEntry()) {
    if (entries.size >= MAX_ENTRIES) throw unreadable({ key: 'tooManyParts' });
    entries.set(e.fileName, e);
  }
  const part = (name: string): Entry | undefined => entries.get(name);
  const rels = async (name: string): Promise<Relationship[]> => {
    const e = part(name);
    return e ? readRelationships(utf8(zip, e, MAX_SMALL_PART, r)) : [];
  };

  const office = (await rels('_rels/.rels')).find((r) => r.type.endsWith('/officeDocument'));
  const workbookName = office ? resolveTarget('', office.target) : 'xl/workbook.xml';
  const workbook = part(workbookName);
  if (!workbook) throw notAWorkbook();
  const sheetId = await readFirstSheetId(utf8(zip, workbook, MAX_SMALL_PART, r));
  const dir = posix.dirname(workbookName);
  const workbookRels = await rels(posix.join(dir, '_rels', `${posix.basename(workbookName)}.rels`));
  const sheetRel = workbookRels.find((r) => r.id === sheetId);
  const sheet = sheetRel && part(resolveTarget(dir, sheetRel.target));
  if (!sheet) throw unreadable({ key: 'noSheet' });
  const stringsRel = workbookRels.find((r) => r.type.endsWith('/sharedStrings'));
  const stringsPart = stringsRel && part(resolveTarget(dir, stringsRel.target));
  if (stringsPart) await readSharedStrings(utf8(zip, stringsPart, r.bounds.maxUnpackedBytes, r), strings);

  const rows = new SheetRows(strings);
  for await (const chunk of utf8(zip, sheet, r.bounds.maxUnpackedBytes, r)) {
    rows.feed(chunk);
    yield* rows.take();
    if (rows.done) return; // nothing after <sheetData> is a row
  }
  rows.finish();
  yield* rows.take();
}

/** Reads the workbook; ZIP and inflate faults become RosterFileErrors. */
async function* readZip(openZip: () => Promise<ZipFile>, strings: SharedStrings, r: Reading): AsyncGenerator<Cell[]> {
  let zip: ZipFile;
  try {
    zip = await openZip();
  } catch {
    strings.close();
    throw notAWorkbook();
  }
  try {
    yield* firstSheet(zip, strings, r);
  } catch (e) {
    if (e instanceof RosterFileError) throw e;
    throw unreadable({ key: 'damaged' });
  } finally {
    strings.close();
    zip.close();
  }
}

const reading = (limits: XlsxLimits | undefined): Reading => {
  const bounds = limits?.bounds ?? rosterBounds(50_000);
  return { bounds, unpacked: new UnpackBudget(bounds.maxUnpackedBytes), ...(limits?.clock ? { clock: limits.clock } : {}) };
};

export async function* xlsxRowsFromBuffer(data: Uint8Array, limits?: XlsxLimits, tmpDir = tmpdir()): AsyncGenerator<Cell[]> {
  sniff(data);
  const buffer = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const r = reading(limits);
  // The shared strings spill to a temp file here too: a small workbook can hold hundreds of MiB of texts.
  const dir = await mkdtemp(join(tmpDir, 'roster-'));
  try {
    yield* readZip(() => fromBufferPromise(buffer, ZIP_OPTIONS), new FileStrings(join(dir, 'strings'), r.bounds.maxTexts), r);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function* xlsxRowsFromStream(
  source: AsyncIterable<Uint8Array>,
  tmpDir = tmpdir(),
  limits?: XlsxLimits,
): AsyncGenerator<Cell[]> {
  const r = reading(limits);
  const dir = await mkdtemp(join(tmpDir, 'roster-'));
  try {
    const path = join(dir, 'upload.xlsx');
    const file = await openFile(path, 'w');
    const head: number[] = [];
    const spool = async () => {
      try {
        for await (const chunk of source) {
          for (let i = 0; i < chunk.length && head.length < 4; i++) head.push(chunk[i]!);
          await file.write(chunk);
        }
      } finally {
        await file.close();
      }
    };
    // Waiting for S3 is not parsing.
    await (r.clock ? r.clock.outside(spool) : spool());
    sniff(Uint8Array.from(head));
    yield* readZip(() => openPromise(path, ZIP_OPTIONS), new FileStrings(join(dir, 'strings'), r.bounds.maxTexts), r);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
