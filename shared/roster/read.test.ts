import { msg } from '../messages/catalogue';
import { render } from '../messages/catalogue';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildXlsx, encodeGbk, type XCell } from '../../test/fixtures/writers';
import { type RosterFormat, type RosterLine, RosterFileError, readRoster, readRosterBuffer, rosterFormatOf } from './read';

const utf8 = (s: string) => new TextEncoder().encode(s);
const csv = (text: string) => readRosterBuffer(utf8(text), 'csv');
const xlsx = (rows: XCell[][]) => readRosterBuffer(buildXlsx([{ name: 'a', rows }]), 'xlsx');

async function* inChunks(bytes: Uint8Array, sizes: readonly number[]) {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + n);
    at += n;
  }
}
const streamed = async (bytes: Uint8Array, format: RosterFormat, sizes: readonly number[]) => {
  const out: RosterLine[] = [];
  for await (const line of readRoster(inChunks(bytes, sizes), format)) out.push(line);
  return out;
};
const fault = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFileError);
    return e as RosterFileError;
  }
  throw new Error('expected a RosterFileError');
};

describe('rosterFormatOf', () => {
  it.each([
    ['text/csv', 'csv'],
    ['text/csv; charset=gbk', 'csv'],
    ['Text/CSV', 'csv'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name="名册.xlsx"', 'xlsx'],
    ['application/json', null],
    ['application/vnd.ms-excel', null],
    ['', null],
  ])('%s → %s', (type, format) => expect(rosterFormatOf(type)).toBe(format));
});

describe('CSV rosters', () => {
  it('numbers data rows from 1, skipping blank lines, and reads values as the row judge expects', async () => {
    const text =
      '序号,身份证号,姓名,份数,手机号,部门\r\n1,11010519491231002x,"欧阳,娜娜",2,13800138000,工会\r\n,,,,,\r\n\r\n2,\'110105194912310029," 王明 ",,,\r\n3,="110105194912310029",李,1.5,\'0755-1234567,\r\n';
    expect(await csv(text)).toEqual([
      { row: 1, line: 2, idNumber: '11010519491231002x', name: '欧阳,娜娜', shares: 2, phone: '13800138000' },
      { row: 2, line: 5, idNumber: '110105194912310029', name: '王明', shares: undefined, phone: undefined },
      { row: 3, line: 6, idNumber: '110105194912310029', name: '李', shares: '1.5', phone: '0755-1234567' },
    ]);
  });
  it('flags a line with too few or too many cells as malformed, and goes on', async () => {
    expect(await csv('身份证号,姓名\na,b\nc\nd,e,f\ng,h\n')).toEqual([
      { row: 1, line: 2, idNumber: 'a', name: 'b', shares: undefined, phone: undefined },
      { row: 2, line: 3, malformed: true, message: msg('ROW_MALFORMED', { reason: { key: 'cells', cells: 1, width: 2 } }) },
      { row: 3, line: 4, malformed: true, message: msg('ROW_MALFORMED', { reason: { key: 'cells', cells: 3, width: 2 } }) },
      { row: 4, line: 5, idNumber: 'g', name: 'h', shares: undefined, phone: undefined },
    ]);
  });
  it('numbers lines as a text editor does, also after quoted cells holding line breaks (LF or CR LF)', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = ['标题', '身份证号,姓名,备注', `a,b,"one${eol}two"`, '', `c,d,"x${eol}y${eol}z"`, 'e,f,g', ''].join(eol);
      expect((await csv(text)).map((l) => [l.row, l.line])).toEqual([
        [1, 3],
        [2, 6],
        [3, 9],
      ]);
    }
  });
  it('yields a totals row (合计/小计/总计 in any cell, no ID number) as totals, wherever the label is', async () => {
    expect(await csv('序号,身份证号,姓名,份数\n1,a,b,1\n合 计,,,1\n,,小计：,2\n总计,c,d,3\n')).toEqual([
      { row: 1, line: 2, idNumber: 'a', name: 'b', shares: 1, phone: undefined },
      { row: 2, line: 3, totals: true },
      { row: 3, line: 4, totals: true },
      // With an ID number it is a member's row, judged as such.
      { row: 4, line: 5, idNumber: 'c', name: 'd', shares: 3, phone: undefined },
    ]);
  });
  it('skips a row that has nothing in the roster columns (only 序号, as templates pre-number)', async () => {
    expect(await csv('序号,身份证号,姓名\n1,a,b\n2,,\n3,c,d\n')).toMatchObject([{ row: 1 }, { row: 2, idNumber: 'c' }]);
  });
  it('skips up to 3 title lines above the header', async () => {
    expect(await csv('2026年度职工医疗互助名册,,\n填报单位：某某厂,,\n身份证号,姓名,\na,b,\n')).toMatchObject([
      { row: 1, idNumber: 'a', name: 'b' },
    ]);
  });
  it('reads GBK the same as UTF-8', async () => {
    const text = '身份证号,姓名\n11010519491231002X,欧阳娜娜\n';
    expect(await readRosterBuffer(encodeGbk(text), 'csv')).toEqual(await csv(`\uFEFF${text}`));
  });
  it.each([
    ['an empty file', '', 'HEADER_INVALID'],
    ['no header', '11010519491231002X,欧阳娜娜\n', 'HEADER_INVALID'],
    ['an unclosed quote', '身份证号,姓名\n"a,b\n', 'CSV_UNREADABLE'],
    ['a workbook sent as CSV', 'PK\u0003\u0004rest', 'CSV_UNREADABLE'],
    ['a runaway line', `身份证号,姓名\n"${'a'.repeat(70_000)}`, 'CSV_UNREADABLE'],
  ])('refuses %s', async (_l, text, code) => {
    expect((await fault(csv(text))).code).toBe(code);
  });
  it('refuses UTF-16, saying how to save the file instead', async () => {
    const e = await fault(readRosterBuffer(Uint8Array.from([0xff, 0xfe, 0x61, 0x00, 0x2c, 0x00]), 'csv'));
    expect(e.code).toBe('ENCODING_UNKNOWN');
    expect(e.message).toMatch(/CSV UTF-8/);
  });
  it('stops at maxRows with TOO_MANY_ROWS, and at maxBytes with FILE_TOO_LARGE', async () => {
    const text = `身份证号,姓名\n${'a,b\n'.repeat(6)}`;
    expect(await readRosterBuffer(utf8(text), 'csv', { maxRows: 6 })).toHaveLength(6);
    expect((await fault(readRosterBuffer(utf8(text), 'csv', { maxRows: 5 }))).code).toBe('TOO_MANY_ROWS');
    expect((await fault(readRosterBuffer(utf8(text), 'csv', { maxBytes: 10 }))).code).toBe('FILE_TOO_LARGE');
    expect((await fault(readRoster(inChunks(utf8(text), [3]), 'csv', { maxBytes: 10 }).next())).code).toBe('FILE_TOO_LARGE');
  });
});

describe('workbook rosters', () => {
  it('treats missing trailing cells as empty, and a value beyond the header as malformed', async () => {
    expect(
      await xlsx([
        ['序号', '身份证号', '姓名', '份数', '手机号'],
        [1, 'a', 'b'],
        [2, 'c', 'd', 1, null, null, null],
        [3, 'e', 'f', 1, '138', '备注'],
        [],
        [4, 'g', 'h', 3],
      ]),
    ).toEqual([
      { row: 1, line: 2, idNumber: 'a', name: 'b', shares: undefined, phone: undefined },
      { row: 2, line: 3, idNumber: 'c', name: 'd', shares: 1, phone: undefined },
      { row: 3, line: 4, malformed: true, message: msg('ROW_MALFORMED', { reason: { key: 'beyond', width: 5 } }) },
      { row: 4, line: 6, idNumber: 'g', name: 'h', shares: 3, phone: undefined },
    ]);
  });
  it('shows a numeric ID as Excel does, so the damage can be recognised; keeps phone digits and share numbers', async () => {
    expect(
      await xlsx([
        ['身份证号', '姓名', '份数', '手机号'],
        [110105194912310000, '王明', 2, 13800138000],
        [1.10105e17, '李', 1.5, '13800138000'],
        [42, 123, '2', null],
      ]),
    ).toEqual([
      { row: 1, line: 2, idNumber: '1.10105E+17', name: '王明', shares: 2, phone: '13800138000' },
      { row: 2, line: 3, idNumber: '1.10105E+17', name: '李', shares: 1.5, phone: '13800138000' },
      { row: 3, line: 4, idNumber: '42', name: '123', shares: 2, phone: undefined },
    ]);
  });
  it('numbers rows as the sheet does (a title and blank rows above the header count)', async () => {
    const lines = await xlsx([['2026年度名册'], [], ['姓名', '身份证号'], ['b', 'a'], [], ['合计', null]]);
    expect(lines).toEqual([
      { row: 1, line: 4, idNumber: 'a', name: 'b', shares: undefined, phone: undefined },
      { row: 2, line: 6, totals: true },
    ]);
  });
  it('skips a title row above the header', async () => {
    expect(await xlsx([['2026年度名册'], [], ['姓名', '身份证号'], ['b', 'a']])).toMatchObject([{ row: 1, idNumber: 'a', name: 'b' }]);
  });
});

// Generated rosters for the properties below.
const ID = fc.stringMatching(/^[1-8]\d{16}[\dX]$/);
const NAME = fc.stringMatching(/^[甲乙丙丁戊己庚辛壬癸]{2,4}$/);
const member = fc.record({ idNumber: ID, name: NAME, shares: fc.integer({ min: 1, max: 3 }), phone: fc.stringMatching(/^1[3-9]\d{9}$/) });
const FIELD_NAMES = {
  idNumber: ['idNumber', '身份证号', '身份证号码', '证件号码'],
  name: ['name', '姓名', '职工姓名'],
  shares: ['shares', '份数', '份额'],
  phone: ['phone', '手机号', '手机', '联系电话'],
  extra: ['序号', '部门', '备注'],
} as const;
type Column = keyof typeof FIELD_NAMES;
const layout = fc
  .record({
    optional: fc.subarray(['shares', 'phone', 'extra'] as Column[]),
    names: fc.record({
      idNumber: fc.constantFrom(...FIELD_NAMES.idNumber),
      name: fc.constantFrom(...FIELD_NAMES.name),
      shares: fc.constantFrom(...FIELD_NAMES.shares),
      phone: fc.constantFrom(...FIELD_NAMES.phone),
      extra: fc.constantFrom(...FIELD_NAMES.extra),
    }),
  })
  .chain(({ optional, names }) =>
    fc.record({
      columns: fc.shuffledSubarray(['idNumber', 'name', ...optional] as Column[], { minLength: 2 + optional.length }),
      names: fc.constant(names),
    }),
  );
type Member = { idNumber: string; name: string; shares: number; phone: string };
const cellOf = (m: Member, c: Column, i: number): string | number => (c === 'extra' ? i + 1 : m[c]);
const toCsv = (columns: Column[], names: Record<Column, string>, members: Member[]) =>
  `${columns.map((c) => names[c]).join(',')}\r\n${members.map((m, i) => columns.map((c) => cellOf(m, c, i)).join(',')).join('\r\n')}\r\n`;
const toXlsx = (columns: Column[], names: Record<Column, string>, members: Member[]) =>
  buildXlsx([{ name: '名册', rows: [columns.map((c) => names[c]), ...members.map((m, i) => columns.map((c) => cellOf(m, c, i)))] }]);

describe('properties', () => {
  it('any order and naming of the columns present gives the same rows (CSV and workbook)', async () => {
    await fc.assert(
      fc.asyncProperty(layout, fc.array(member, { minLength: 1, maxLength: 8 }), async ({ columns, names }, members) => {
        const expected = members.map((m, i) => ({
          row: i + 1,
          line: i + 2,
          idNumber: m.idNumber,
          name: m.name,
          shares: columns.includes('shares') ? m.shares : undefined,
          phone: columns.includes('phone') ? m.phone : undefined,
        }));
        expect(await csv(toCsv(columns, names, members))).toEqual(expected);
        expect(await readRosterBuffer(encodeGbk(toCsv(columns, names, members)), 'csv')).toEqual(expected);
        // Phones are text cells here; a workbook gives the same lines.
        expect(await readRosterBuffer(toXlsx(columns, names, members), 'xlsx')).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('streaming in chunks of 1–7 bytes gives what reading the whole buffer gives', async () => {
    await fc.assert(
      fc.asyncProperty(
        layout,
        fc.array(member, { minLength: 1, maxLength: 30 }),
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 10 }),
        fc.boolean(),
        async ({ columns, names }, members, sizes, gbk) => {
          const text = toCsv(columns, names, members);
          const bytes = gbk ? encodeGbk(text) : utf8(`\uFEFF${text}`);
          expect(await streamed(bytes, 'csv', sizes)).toEqual(await readRosterBuffer(bytes, 'csv'));
          const book = toXlsx(columns, names, members);
          expect(await streamed(book, 'xlsx', sizes)).toEqual(await readRosterBuffer(book, 'xlsx'));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('no error message ever contains a cell value', async () => {
    // Damaged rosters: lines cut, cells added, quotes left open, bytes flipped, header dropped.
    const damage = fc.record({
      dropHeader: fc.boolean(),
      cut: fc.option(fc.nat(), { nil: undefined }),
      extra: fc.option(fc.nat(), { nil: undefined }),
      openQuote: fc.option(fc.nat(), { nil: undefined }),
      flip: fc.option(fc.nat(), { nil: undefined }),
    });
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(layout, fc.array(member, { minLength: 1, maxLength: 10 }), damage, async ({ columns, names }, members, d) => {
        const values = members.flatMap((m) => [m.idNumber, m.name, m.phone]);
        const lines = toCsv(columns, names, members).split('\r\n');
        const pick = (n: number) => 1 + (n % members.length);
        if (d.cut !== undefined) lines[pick(d.cut)] = lines[pick(d.cut)]!.split(',').slice(0, 1).join(',');
        if (d.extra !== undefined) lines[pick(d.extra)] += `,${members[0]!.name}`;
        if (d.openQuote !== undefined) lines[pick(d.openQuote)] = `"${lines[pick(d.openQuote)]}`;
        if (d.dropHeader) lines.shift();
        const book = toXlsx(columns, names, members);
        if (d.flip !== undefined) book[d.flip % book.length] = book[d.flip % book.length]! ^ 0xff;
        const messages: string[] = [];
        for (const [bytes, format] of [
          [encodeGbk(lines.join('\r\n')), 'csv'],
          [book, 'xlsx'],
        ] as const) {
          try {
            for (const line of await readRosterBuffer(bytes, format))
              if ('malformed' in line) messages.push(render(line.message, 'en'), render(line.message, 'zh'));
          } catch (e) {
            expect(e).toBeInstanceOf(RosterFileError);
            messages.push((e as RosterFileError).message, render((e as RosterFileError).detail, 'zh'));
          }
        }
        for (const m of messages) for (const v of values) expect(m).not.toContain(v);
        checked += messages.length;
      }),
      { numRuns: 150 },
    );
    expect(checked).toBeGreaterThan(100); // the damage really produced messages to check
  });
});
