/**
 * The XML parts of a workbook this reader needs, parsed with saxes as they
 * stream: relationships (which file is what), the workbook (which sheet is
 * first), the shared strings and the first sheet's rows. Element names are
 * matched without their namespace prefix (some writers use `x:row`).
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { RosterFileError } from './errors';
import type { Cell } from './lines';
import { MAX_CELL_CHARS, type SharedStrings } from './sharedStrings';

/** Excel's last column is XFD (16,384). */
const MAX_COLUMNS = 16_384;

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** OOXML escapes control characters as `_x000D_`. */
const unescapeOoxml = (s: string): string =>
  s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : s;

const broken = () => new RosterFileError('WORKBOOK_UNREADABLE', { key: 'damaged' });

interface Handlers {
  open(tag: SaxesTagPlain): void;
  close(tag: SaxesTagPlain): void;
  text(text: string): void;
}

/** A parser whose errors become RosterFileErrors; saxes messages can quote the document. */
class Xml {
  #p = new SaxesParser();
  constructor(h: Handlers) {
    this.#p.on('opentag', (t) => h.open(t));
    this.#p.on('closetag', (t) => h.close(t));
    this.#p.on('text', (t) => h.text(t));
    this.#p.on('cdata', (t) => h.text(t));
  }
  write(chunk: string): void {
    this.#guard(() => this.#p.write(chunk));
  }
  close(): void {
    this.#guard(() => this.#p.close());
  }
  #guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      if (e instanceof RosterFileError) throw e;
      throw broken();
    }
  }
}

const parseAll = async (xml: AsyncIterable<string>, h: Handlers): Promise<void> => {
  const p = new Xml(h);
  for await (const chunk of xml) p.write(chunk);
  p.close();
};

const nothing = () => {};

export interface Relationship {
  id: string;
  type: string;
  target: string;
}

export const readRelationships = async (xml: AsyncIterable<string>): Promise<Relationship[]> => {
  const out: Relationship[] = [];
  await parseAll(xml, {
    open: (t) => {
      const a = t.attributes;
      if (local(t.name) === 'Relationship' && a.Id && a.Target) out.push({ id: a.Id, type: a.Type ?? '', target: a.Target });
    },
    close: nothing,
    text: nothing,
  });
  return out;
};

/** The relationship id of the workbook's first sheet, in tab order. */
export const readFirstSheetId = async (xml: AsyncIterable<string>): Promise<string | undefined> => {
  let id: string | undefined;
  await parseAll(xml, {
    open: (t) => {
      if (id !== undefined || local(t.name) !== 'sheet') return;
      const key = Object.keys(t.attributes).find((k) => k.endsWith(':id'));
      id = key === undefined ? undefined : t.attributes[key];
    },
    close: nothing,
    text: nothing,
  });
  return id;
};

/** Each `<si>`: plain or rich text runs, without phonetic guides (`<rPh>`, furigana/pinyin). */
export const readSharedStrings = async (xml: AsyncIterable<string>, into: SharedStrings): Promise<void> => {
  let text = '';
  let inText = false;
  let phonetic = 0;
  await parseAll(xml, {
    open: (t) => {
      const n = local(t.name);
      if (n === 'si') text = '';
      else if (n === 'rPh') phonetic++;
      else if (n === 't' && phonetic === 0) inText = true;
    },
    close: (t) => {
      const n = local(t.name);
      if (n === 't') inText = false;
      else if (n === 'rPh') phonetic--;
      else if (n === 'si') into.add(unescapeOoxml(text));
    },
    text: (s) => {
      if (inText && text.length < MAX_CELL_CHARS) text += s;
    },
  });
};

const columnOf = (ref: string | undefined, previous: number): number => {
  if (!ref) return previous + 1;
  let col = 0;
  for (const ch of ref) {
    const c = ch.charCodeAt(0);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return col > 0 ? col - 1 : previous + 1;
};

/** Rows of a worksheet as they are parsed: `feed()` XML, `take()` the rows completed so far. */
export class SheetRows implements Handlers {
  done = false;
  #ready: Cell[][] = [];
  #cells: (Cell[] & { line?: number }) | null = null;
  #line = 0;
  #col = -1;
  #type = 'n';
  #text = '';
  #inValue = false;
  #inInline = false;
  #phonetic = 0;
  #xml = new Xml(this);

  constructor(private readonly strings: SharedStrings) {}

  feed(chunk: string): void {
    this.#xml.write(chunk);
  }
  finish(): void {
    this.#xml.close();
  }
  take(): Cell[][] {
    const rows = this.#ready;
    this.#ready = [];
    return rows;
  }

  open(t: SaxesTagPlain): void {
    switch (local(t.name)) {
      case 'row': {
        // `r` is the row's number as Excel shows it (rows with nothing in them are not written at all).
        const r = Number(t.attributes.r);
        this.#line = Number.isSafeInteger(r) && r > this.#line ? r : this.#line + 1;
        this.#cells = Object.assign([], { line: this.#line });
        this.#col = -1;
        break;
      }
      case 'c':
        this.#col = columnOf(t.attributes.r, this.#col);
        this.#type = t.attributes.t ?? 'n';
        this.#text = '';
        break;
      case 'v':
        this.#inValue = true;
        break;
      case 'is':
        this.#inInline = true;
        break;
      case 'rPh':
        this.#phonetic++;
        break;
      case 't':
        if (this.#inInline && this.#phonetic === 0) this.#inValue = true;
        break;
    }
  }

  close(t: SaxesTagPlain): void {
    switch (local(t.name)) {
      case 'v':
      case 't':
        this.#inValue = false;
        break;
      case 'is':
        this.#inInline = false;
        break;
      case 'rPh':
        this.#phonetic--;
        break;
      case 'c':
        if (this.#cells && this.#col < MAX_COLUMNS) this.#cells[this.#col] = this.#value();
        break;
      case 'row':
        if (this.#cells) this.#ready.push(this.#cells);
        this.#cells = null;
        break;
      case 'sheetData':
        this.done = true;
        break;
    }
  }

  text(s: string): void {
    if (this.#inValue && this.#text.length < MAX_CELL_CHARS) this.#text += s;
  }

  #value(): Cell {
    const v = this.#text;
    // A cell with a type but no value (`<c t="s"/>`) is empty, not shared string 0.
    if (v === '' && this.#type !== 'inlineStr' && this.#type !== 'str') return undefined;
    switch (this.#type) {
      case 's': {
        const s = this.strings.get(Number(v));
        if (s === undefined) throw broken();
        return s;
      }
      case 'inlineStr':
      case 'str':
        return unescapeOoxml(v);
      case 'b':
        return v === '1' ? 'TRUE' : v === '0' ? 'FALSE' : v;
      case 'e':
      case 'd':
        return v;
      default: {
        const n = Number(v);
        return Number.isFinite(n) && v.trim() !== '' ? n : v;
      }
    }
  }
}
