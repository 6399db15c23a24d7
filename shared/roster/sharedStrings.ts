/**
 * A workbook's shared-string table: every distinct text of the workbook, which
 * cells refer to by index. It must be complete before the sheet is read, and
 * its size grows with the file, so for a streamed import it lives in a temp
 * file with only an 8-byte offset per string in memory; small workbooks
 * (the HTTP path) keep it in memory.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { RosterFileError } from './errors';

/** Excel itself stops at 32,767 characters per cell. */
export const MAX_CELL_CHARS = 32_767;
/** 50,000 rows × 40 columns of distinct texts; beyond that the file is not a roster (bounds.ts sets less for fewer rows). */
const MAX_STRINGS = 2_000_000;

export interface SharedStrings {
  add(s: string): void;
  /** undefined for an index the table does not have. */
  get(i: number): string | undefined;
  close(): void;
}

const tooMany = (max: number) => new RosterFileError('FILE_TOO_COMPLEX', { key: 'tooManyTexts', max });

/** In memory: tests and tiny tables only; a request's workbook spills to FileStrings like an import's. */
export class MemoryStrings implements SharedStrings {
  #all: string[] = [];
  constructor(private readonly max = MAX_STRINGS) {}
  add(s: string): void {
    if (this.#all.length >= this.max) throw tooMany(this.max);
    this.#all.push(s);
  }
  get(i: number): string | undefined {
    return this.#all[i];
  }
  close(): void {
    this.#all = [];
  }
}

export class FileStrings implements SharedStrings {
  #fd: number;
  /** Start of string i at [i], end of the last at [count]. */
  #offsets = new Float64Array(1024);
  #count = 0;
  #pending = Buffer.allocUnsafe(64 * 1024);
  #pendingBytes = 0;
  #written = 0;
  #scratch = Buffer.allocUnsafe(1024);

  constructor(
    path: string,
    private readonly max = MAX_STRINGS,
  ) {
    this.#fd = openSync(path, 'w+');
  }

  add(s: string): void {
    if (this.#count >= this.max) throw tooMany(this.max);
    const bytes = Buffer.from(s, 'utf8');
    if (this.#pendingBytes + bytes.length > this.#pending.length) this.#flush();
    if (bytes.length > this.#pending.length) writeSync(this.#fd, bytes, 0, bytes.length, this.#written);
    else bytes.copy(this.#pending, (this.#pendingBytes += bytes.length) - bytes.length);
    if (this.#count + 1 >= this.#offsets.length) {
      const grown = new Float64Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    this.#written += bytes.length;
    this.#offsets[++this.#count] = this.#written;
  }

  get(i: number): string | undefined {
    if (!Number.isInteger(i) || i < 0 || i >= this.#count) return undefined;
    this.#flush();
    const start = this.#offsets[i]!;
    const length = this.#offsets[i + 1]! - start;
    if (length > this.#scratch.length) this.#scratch = Buffer.allocUnsafe(length);
    readSync(this.#fd, this.#scratch, 0, length, start);
    return this.#scratch.toString('utf8', 0, length);
  }

  close(): void {
    if (this.#fd >= 0) closeSync(this.#fd);
    this.#fd = -1;
  }

  #flush(): void {
    if (this.#pendingBytes === 0) return;
    writeSync(this.#fd, this.#pending, 0, this.#pendingBytes, this.#written - this.#pendingBytes);
    this.#pendingBytes = 0;
  }
}
