/**
 * How far a roster file is read (SPEC §4.3): a workbook or CSV is read only as
 * far as its size allows for. Every bound is proportional to the rows the path
 * takes (5,000 for a request, 50,000 for an import), so a hostile file is
 * refused within seconds and without holding more than the bound:
 *
 * - rows, blank rows included (a sheet of a billion `<row/>` is refused at the
 *   bound, not walked to its end);
 * - distinct texts (shared strings), kept in a temp file, never in memory;
 * - bytes unpacked from the ZIP across every part read, and the compression
 *   ratio of each large part (checked against the ZIP directory before
 *   inflating, and counted again while inflating: a directory can lie);
 * - the time spent parsing, checked while parsing (the consumer's time between
 *   rows, e.g. enrolling them, is not counted).
 */
import { RosterFileError } from './errors';

export interface RosterBounds {
  /** Data rows (header and title excluded); more → TOO_MANY_ROWS. */
  maxRows: number;
  /** Rows of any kind (blank, title, header included); more → TOO_MANY_ROWS. */
  maxRawRows: number;
  /** Distinct texts of a workbook (its shared strings). */
  maxTexts: number;
  /** Bytes inflated from the workbook, all parts together. */
  maxUnpackedBytes: number;
  /** Unpacked size over packed size of any part larger than RATIO_FLOOR_BYTES. */
  maxRatio: number;
  /** Milliseconds of parsing (the reader's own time). */
  maxParseMs: number;
}

/** Header and title rows a roster may have above its data (lines.ts MAX_TITLE_ROWS + the header). */
const HEADER_ROWS = 4;
/** Columns a roster row may fill with distinct texts, on average (rosters have 2–10 in practice). */
const TEXTS_PER_ROW = 40;
/** Unpacked bytes a row may take (a styled row of 40 cells is ~2 KiB), plus the fixed parts (styles, theme). */
const BYTES_PER_ROW = 8 * 1024;
const FIXED_BYTES = 16 * 1024 * 1024;
/** Real sheets compress 5–50×; a billion `<row/>` compresses ~1000×. */
const MAX_RATIO = 200;
/** Parts smaller than this are not judged by their ratio (a tiny XML of repeated tags compresses well and harms nobody). */
export const RATIO_FLOOR_BYTES = 1024 * 1024;

export const rosterBounds = (maxRows: number, overrides: Partial<RosterBounds> = {}): RosterBounds => ({
  maxRows,
  maxRawRows: maxRows + HEADER_ROWS,
  maxTexts: Math.max(1000, maxRows * TEXTS_PER_ROW),
  maxUnpackedBytes: FIXED_BYTES + maxRows * BYTES_PER_ROW,
  maxRatio: MAX_RATIO,
  // A 50,000-row workbook parses in ~3 s on a Lambda core; ten times that for a loaded machine.
  maxParseMs: Math.max(10_000, Math.ceil(maxRows * 0.6)),
  ...overrides,
});

const overTime = () => new RosterFileError('FILE_TOO_COMPLEX', { key: 'tooSlow' });

/**
 * The reader's own time: runs while the reader works (`resume`…`pause`),
 * stops while the consumer holds a row. `check()` is called inside the
 * reader's loops, so a part that never yields a row is stopped too.
 */
export class ParseClock {
  #spent = 0;
  #since: number | null = null;
  constructor(
    private readonly maxMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}
  resume(): void {
    this.#since ??= this.now();
  }
  pause(): void {
    if (this.#since === null) return;
    this.#spent += this.now() - this.#since;
    this.#since = null;
  }
  check(): void {
    const running = this.#since === null ? 0 : this.now() - this.#since;
    if (this.#spent + running > this.maxMs) throw overTime();
  }
  /** Time spent waiting for the source (S3, a socket) is not parsing. */
  async outside<T>(f: () => Promise<T>): Promise<T> {
    const was = this.#since !== null;
    this.pause();
    try {
      return await f();
    } finally {
      if (was) this.resume();
    }
  }
}

/** Rows of a reader, timed: the clock runs only while the reader computes the next row. */
export async function* timed<T>(rows: AsyncIterable<T>, clock: ParseClock): AsyncGenerator<T> {
  const it = rows[Symbol.asyncIterator]();
  try {
    for (;;) {
      clock.resume();
      let r: IteratorResult<T>;
      try {
        r = await it.next();
        clock.check();
      } finally {
        clock.pause();
      }
      if (r.done) return;
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
}

/** Counts bytes inflated from a part and stops at the budget shared by every part of the file. */
export class UnpackBudget {
  #used = 0;
  constructor(readonly max: number) {}
  take(n: number): void {
    if ((this.#used += n) > this.max) throw tooBigUnpacked(this.max);
  }
  get used(): number {
    return this.#used;
  }
}

export const tooBigUnpacked = (max: number) =>
  new RosterFileError('FILE_TOO_COMPLEX', { key: 'unpackedTooBig', mib: Math.round(max / 2 ** 20) });
