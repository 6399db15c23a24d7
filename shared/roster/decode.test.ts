import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../test/fixtures/writers';
import { decodeRosterText, RosterTextDecoder } from './decode';
import { RosterFileError } from './errors';

const decodeAll = (bytes: Uint8Array, sizes: number[] = [bytes.length || 1]) => {
  const d = new RosterTextDecoder();
  let text = '';
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    text += d.push(bytes.subarray(at, at + n));
    at += n;
  }
  return { text: text + d.end(), encoding: d.encoding };
};

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFileError);
    return (e as RosterFileError).code;
  }
  throw new Error('expected a RosterFileError');
};

const utf8 = (s: string) => new TextEncoder().encode(s);
const ROSTER = '身份证号,姓名\n11010519491231002X,欧阳娜娜\n110105194912310029,王明\n';

describe('RosterTextDecoder', () => {
  it('reads UTF-8 with a BOM, dropping the BOM', () => {
    expect(decodeAll(utf8(`\uFEFF${ROSTER}`))).toEqual({ text: ROSTER, encoding: 'utf-8' });
  });
  it('reads UTF-8 without a BOM', () => {
    expect(decodeAll(utf8(ROSTER))).toEqual({ text: ROSTER, encoding: 'utf-8' });
  });
  it('reads GBK, as Excel on Chinese Windows saves "CSV (逗号分隔)"', () => {
    expect(decodeAll(encodeGbk(ROSTER))).toEqual({ text: ROSTER, encoding: 'gb18030' });
  });
  it('reads a GBK file whose first 100 KB are ASCII, without holding them back', () => {
    const ascii = `idNumber,name\n${'110105194912310029,Wang Ming\n'.repeat(4000)}`;
    expect(ascii.length).toBeGreaterThan(100_000);
    const d = new RosterTextDecoder();
    expect(d.push(encodeGbk(ascii))).toBe(ascii); // ASCII reads the same in both: passed through at once
    // Up to the first non-ASCII byte it still passes through; the rest waits for a verdict.
    expect(d.push(encodeGbk('110105194912310029,欧阳娜娜\n'))).toBe('110105194912310029,');
    expect(d.end()).toBe('欧阳娜娜\n');
    expect(d.encoding).toBe('gb18030');
  });
  it('is not fooled by a GBK pair that happens to be valid UTF-8 (牛 = C5 A3)', () => {
    expect(decodeAll(encodeGbk('姓名,身份证号\n牛,1\n刘牛,2\n'))).toMatchObject({
      encoding: 'gb18030',
      text: '姓名,身份证号\n牛,1\n刘牛,2\n',
    });
  });
  it('stays ASCII for a file without a single non-ASCII byte', () => {
    expect(decodeAll(utf8('idNumber,name\n1,a\n'))).toEqual({ text: 'idNumber,name\n1,a\n', encoding: 'ascii' });
  });
  it('gives the same text whatever the chunk sizes (1–7 bytes)', () => {
    const texts = [ROSTER, `${'a,b\n'.repeat(2000)}${ROSTER}`];
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        (text, gbk, sizes) => {
          const bytes = gbk ? encodeGbk(text) : utf8(text);
          expect(decodeAll(bytes, sizes).text).toBe(text);
        },
      ),
      { numRuns: 50 },
    );
  });
  it.each([
    ['UTF-16 LE with BOM', Uint8Array.from([0xff, 0xfe, 0x61, 0x00]), 'ENCODING_UNKNOWN'],
    ['UTF-16 BE with BOM', Uint8Array.from([0xfe, 0xff, 0x00, 0x61]), 'ENCODING_UNKNOWN'],
    ['UTF-16 without BOM (NUL bytes)', Uint8Array.from([0x61, 0x00, 0x2c, 0x00]), 'ENCODING_UNKNOWN'],
    ['bytes that are neither UTF-8 nor GB18030', Uint8Array.from([0x61, 0x2c, 0x81, 0x20, 0x0a]), 'ENCODING_UNKNOWN'],
    ['an .xlsx sent as CSV', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'CSV_UNREADABLE'],
    ['an .xls sent as CSV', Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]), 'CSV_UNREADABLE'],
  ])('refuses %s', (_l, bytes, code) => {
    expect(codeOf(() => decodeAll(bytes))).toBe(code);
  });
  it('refuses UTF-8 that turns into GBK after the sample, rather than garbling it', () => {
    const bytes = new Uint8Array([...utf8(`${'张'.repeat(3000)}\n`), ...encodeGbk('王明\n')]);
    expect(codeOf(() => decodeAll(bytes))).toBe('ENCODING_UNKNOWN');
  });
  it('says how to save the file, and nothing of its content', () => {
    try {
      decodeAll(Uint8Array.from([0xff, 0xfe, 0x61, 0x00]));
    } catch (e) {
      expect((e as Error).message).toMatch(/CSV UTF-8/);
    }
  });
});

describe('decodeRosterText', () => {
  it('streams an async source', async () => {
    async function* source() {
      for (const b of encodeGbk(ROSTER)) yield Uint8Array.of(b);
    }
    let text = '';
    for await (const t of decodeRosterText(source())) text += t;
    expect(text).toBe(ROSTER);
  });
});
