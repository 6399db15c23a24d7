import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildXlsx, type XCell, zip } from '../../test/fixtures/writers';
import { RosterFileError } from './errors';
import type { Cell } from './lines';
import { xlsxRowsFromBuffer, xlsxRowsFromStream } from './xlsx';

const collect = async (rows: AsyncIterable<Cell[]>) => {
  const out: Cell[][] = [];
  for await (const r of rows) out.push([...r]); // spread turns holes into undefined
  return out;
};
async function* inChunks(bytes: Uint8Array, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}
const both = async (bytes: Uint8Array) => {
  const fromBuffer = await collect(xlsxRowsFromBuffer(bytes));
  expect(await collect(xlsxRowsFromStream(inChunks(bytes, 7)))).toEqual(fromBuffer);
  return fromBuffer;
};
const fault = async (bytes: Uint8Array) => {
  try {
    await collect(xlsxRowsFromBuffer(bytes));
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFileError);
    return (e as RosterFileError).code;
  }
  throw new Error('expected a RosterFileError');
};

const rows: XCell[][] = [
  ['身份证号', '姓名'],
  ['11010519491231002X', '王明'],
];

describe('reading the first sheet of a workbook', () => {
  it('reads shared strings, numbers, inline strings and rich text without its phonetic guide', async () => {
    const bytes = buildXlsx([{ name: 'a', rows: [['x', 2.5, { inline: ' y ' }, { runs: ['欧阳', '娜娜'], phonetic: 'ouyang' }]] }]);
    expect(await both(bytes)).toEqual([['x', 2.5, ' y ', '欧阳娜娜']]);
  });
  it('places cells by their reference, leaving gaps empty', async () => {
    expect(await both(buildXlsx([{ name: 'a', rows: [[null, 'b', null, 'd']] }]))).toEqual([[undefined, 'b', undefined, 'd']]);
  });
  it('takes the first sheet in tab order, not the first file', async () => {
    const bytes = buildXlsx(
      [
        { name: '名册', rows, file: 'sheet2.xml' },
        { name: '说明', rows: [['not this']], file: 'sheet1.xml' },
      ],
      { zipOrder: ['sheet1.xml', 'sheet2.xml'] },
    );
    expect(await both(bytes)).toEqual(rows);
  });
  it('reads shared strings stored before or after the sheet', async () => {
    expect(await both(buildXlsx([{ name: 'a', rows }], { stringsFirst: true }))).toEqual(rows);
    expect(await both(buildXlsx([{ name: 'a', rows }]))).toEqual(rows);
  });
  it('reads elements with a namespace prefix (x:row), as some writers make them', async () => {
    expect(await both(buildXlsx([{ name: 'a', rows }], { prefix: 'x:' }))).toEqual(rows);
  });
  it('reads uncompressed entries', async () => {
    const deflated = buildXlsx([{ name: 'a', rows }]);
    const { fromBufferPromise } = await import('yauzl');
    const z = await fromBufferPromise(Buffer.from(deflated), { lazyEntries: true, autoClose: false });
    const files: [string, Uint8Array][] = [];
    for await (const e of z.eachEntry()) {
      const chunks: Buffer[] = [];
      for await (const c of await z.openReadStreamPromise(e)) chunks.push(c as Buffer);
      files.push([e.fileName, Buffer.concat(chunks)]);
    }
    z.close();
    expect(await both(zip(files, { store: true }))).toEqual(rows);
  });
  it.each([
    [
      'an old .xls (or password-protected) workbook',
      Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      'NOT_A_WORKBOOK',
    ],
    ['a CSV sent as a workbook', new TextEncoder().encode('身份证号,姓名\n'), 'NOT_A_WORKBOOK'],
    ['a truncated workbook', buildXlsx([{ name: 'a', rows }]).subarray(0, 300), 'NOT_A_WORKBOOK'],
    ['a ZIP that is not a workbook', zip([['hello.txt', new TextEncoder().encode('hi')]]), 'NOT_A_WORKBOOK'],
    [
      'a workbook whose sheet is not XML',
      zip([
        ['xl/workbook.xml', new TextEncoder().encode('<workbook xmlns:r="r"><sheets><sheet r:id="rId1"/></sheets></workbook>')],
        [
          'xl/_rels/workbook.xml.rels',
          new TextEncoder().encode('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>'),
        ],
        ['xl/worksheets/sheet1.xml', new TextEncoder().encode('<worksheet><sheetData><row><c><v>1</v></row>')],
      ]),
      'WORKBOOK_UNREADABLE',
    ],
  ])('refuses %s', async (_l, bytes, code) => {
    expect(await fault(bytes)).toBe(code);
  });
  it('spools a streamed workbook to a temp dir and removes it, also when the reader stops early', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'xlsx-test-'));
    const many = buildXlsx([{ name: 'a', rows: Array.from({ length: 500 }, (_, i) => [`r${i}`, i]) }]);
    for await (const _row of xlsxRowsFromStream(inChunks(many, 4096), dir)) break;
    expect(await collect(xlsxRowsFromStream(inChunks(many, 4096), dir))).toHaveLength(500);
    await expect(collect(xlsxRowsFromStream(inChunks(new Uint8Array(10), 4096), dir))).rejects.toThrow(RosterFileError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
