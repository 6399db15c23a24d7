/**
 * CSV bytes to text (SPEC §4.3): UTF-8 with or without BOM, else GB18030
 * (a superset of GBK, what Excel on Chinese Windows writes for "CSV (逗号分隔)").
 *
 * Streaming without buffering the file: ASCII decodes the same in both, so it
 * passes straight through; the first non-ASCII byte starts a sample that is
 * judged once SAMPLE_BYTES have arrived (or the file ends). A GBK pair can be
 * valid UTF-8 by chance (牛 = C5 A3), so the sample is long enough to
 * outvote that. Every byte is then decoded with `fatal: true`, so text that
 * changes encoding midway is refused rather than garbled.
 */
import { TextDecoder } from 'node:util';
import { RosterFileError } from './errors';

export type TextEncodingName = 'utf-8' | 'gb18030';

const SAMPLE_BYTES = 4096;
export const SAVE_AS_CSV = 'save it from Excel as "CSV UTF-8 (逗号分隔)" or "CSV (逗号分隔)" and upload that';

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) out.set(p, (at += p.length) - p.length);
  return out;
};

const startsWith = (b: Uint8Array, sig: readonly number[]) => sig.every((x, i) => b[i] === x);

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

const isUtf8 = (sample: Uint8Array, final: boolean): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !final });
    return true;
  } catch {
    return false;
  }
};

/** The first bytes of files that are not CSV text at all. */
const sniff = (head: Uint8Array): void => {
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) {
    throw new RosterFileError('CSV_UNREADABLE', { key: 'xlsxNotCsv' });
  }
  if (startsWith(head, [0xd0, 0xcf, 0x11, 0xe0])) {
    throw new RosterFileError('CSV_UNREADABLE', { key: 'xlsNotCsv' });
  }
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) {
    throw new RosterFileError('ENCODING_UNKNOWN', { key: 'utf16' });
  }
};

const unknownEncoding = () => new RosterFileError('ENCODING_UNKNOWN', { key: 'encoding' });

/** Push bytes, get text; `end()` flushes. Throws RosterFileError. */
export class RosterTextDecoder {
  /** The detected encoding; 'ascii' while every byte so far was ASCII. */
  encoding: TextEncodingName | 'ascii' = 'ascii';
  #head: Uint8Array | null = new Uint8Array(0);
  #decoder: TextDecoder | null = null;
  #sample: Uint8Array[] = [];
  #sampleBytes = 0;

  push(chunk: Uint8Array): string {
    return this.#take(chunk, false);
  }

  end(): string {
    return this.#take(new Uint8Array(0), true);
  }

  #take(chunk: Uint8Array, final: boolean): string {
    if (this.#head) {
      // Hold back the first 4 bytes: enough to see a BOM or a binary signature.
      const head = concat([this.#head, chunk]);
      if (head.length < 4 && !final) {
        this.#head = head;
        return '';
      }
      this.#head = null;
      sniff(head);
      if (startsWith(head, [0xef, 0xbb, 0xbf])) {
        this.encoding = 'utf-8';
        this.#decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
        return this.#decode(head.subarray(3), final);
      }
      chunk = head;
    }
    if (this.#decoder) return this.#decode(chunk, final);
    let prefix = '';
    if (this.#sampleBytes === 0) {
      const i = chunk.findIndex((b) => b >= 0x80);
      if (i < 0) return this.#ascii(chunk);
      prefix = this.#ascii(chunk.subarray(0, i));
      chunk = chunk.subarray(i);
    }
    this.#sample.push(chunk);
    this.#sampleBytes += chunk.length;
    if (this.#sampleBytes < SAMPLE_BYTES && !final) return prefix;
    const sample = concat(this.#sample);
    this.#sample = [];
    // Judge on the first SAMPLE_BYTES only, so that what follows is checked, not just decoded.
    const judged = sample.subarray(0, SAMPLE_BYTES);
    this.encoding = isUtf8(judged, final && judged.length === sample.length) ? 'utf-8' : 'gb18030';
    this.#decoder = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true });
    return prefix + this.#decode(sample, final);
  }

  #ascii(bytes: Uint8Array): string {
    if (bytes.includes(0)) throw unknownEncoding();
    return latin1(bytes);
  }

  #decode(bytes: Uint8Array, final: boolean): string {
    let text: string;
    try {
      text = this.#decoder!.decode(bytes, { stream: !final });
    } catch {
      throw unknownEncoding();
    }
    // NUL never occurs in a roster; it means UTF-16 without a BOM or a binary file.
    if (text.includes('\0')) throw unknownEncoding();
    return text;
  }
}

export async function* decodeRosterText(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new RosterTextDecoder();
  for await (const chunk of source) {
    const text = decoder.push(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
