import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpProblem } from './problem';
import { parseRosterCsv } from './rosterCsv';

const problemOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e as HttpProblem;
  }
  throw new Error('expected a problem');
};

describe('parseRosterCsv', () => {
  it('reads quoted fields, BOM, CRLF and any column order; rows are data lines from 1', () => {
    const rows = parseRosterCsv(
      '\uFEFFphone,shares,name,idNumber\r\n"138 0013",2,"欧阳,娜娜",11010519491231002X\r\n,,"王""明""",110105194912310029\r\n',
    );
    expect(rows).toEqual([
      { row: 1, idNumber: '11010519491231002X', name: '欧阳,娜娜', shares: 2, phone: '138 0013' },
      { row: 2, idNumber: '110105194912310029', name: '王"明"', shares: undefined, phone: '' },
    ]);
  });
  it('keeps non-numeric shares as text for the row judge', () => {
    expect(parseRosterCsv('idNumber,name,shares,phone\nx,y,1.5,\n')[0]!.shares).toBe('1.5');
  });
  it('skips blank lines', () => {
    expect(parseRosterCsv('idNumber,name,shares,phone\n\na,b,1,\n\n')).toHaveLength(1);
  });
  it.each([
    ['no header', ''],
    ['a missing column', 'idNumber,name,shares\na,b,1\n'],
    ['an unknown column', 'idNumber,name,shares,phone,email\na,b,1,,x\n'],
    ['a duplicated column', 'idNumber,name,shares,phone,name\na,b,1,,x\n'],
    ['an unclosed quote', 'idNumber,name,shares,phone\n"a,b,1,\n'],
    ['a short row', 'idNumber,name,shares,phone\na,b\n'],
    ['no data rows', 'idNumber,name,shares,phone\n'],
  ])('400 VALIDATION_FAILED for %s', (_l, text) => {
    const p = problemOf(() => parseRosterCsv(text));
    expect(p.status).toBe(400);
    expect(p.code).toBe('VALIDATION_FAILED');
  });
  it('caps the roster at 5,000 rows', () => {
    const line = 'a,b,1,\n';
    expect(parseRosterCsv(`idNumber,name,shares,phone\n${line.repeat(5000)}`)).toHaveLength(5000);
    expect(problemOf(() => parseRosterCsv(`idNumber,name,shares,phone\n${line.repeat(5001)}`)).status).toBe(400);
  });
  it('round-trips any field a spreadsheet could quote', () => {
    const field = fc.string({ maxLength: 30 }).filter((s) => !s.includes('\r') && s.trim() === s && s !== '');
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field), { minLength: 1, maxLength: 10 }), (pairs) => {
        const q = (s: string) => `"${s.replaceAll('"', '""')}"`;
        const text = `idNumber,name,shares,phone\n${pairs.map(([a, b]) => `${q(a)},${q(b)},,`).join('\n')}\n`;
        const rows = parseRosterCsv(text);
        expect(rows.map((r) => [r.idNumber, r.name])).toEqual(pairs);
      }),
    );
  });
});
