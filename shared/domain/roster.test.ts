import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeCheckChar } from './idNumber';
import type { Plan } from './plan';
import { examplePlan } from '../../test/support/examplePlan';
import { isTotalsRow, judgeRoster, judgeRow, nameAsSent, normalisePhone, type RosterRow } from './roster';

const plan: Plan = examplePlan(2026, {
  benefit: { deductibleFen: 0, deductibleBasis: 'per_stay', bands: [{ uptoFen: null, ratePermille: 500 }], capPerShareFen: 1 },
});
const TODAY = '2026-03-10';
const id = (birth: string, seq = 123) => {
  const f = `110105${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return f + computeCheckChar(f);
};
const row = (r: Partial<RosterRow> & { row: number }): RosterRow => ({
  idNumber: id('1980-01-01'),
  name: '张三',
  shares: 1,
  phone: '',
  ...r,
});

describe('judgeRow', () => {
  it('accepts a good row, canonicalising the check character and defaulting shares to 1', () => {
    const x = id('1980-01-01', 2).replace(/X$/, 'x');
    const j = judgeRow(plan, row({ row: 1, idNumber: x, shares: undefined, phone: ' 13800138000 ' }), TODAY);
    expect(j).toMatchObject({ row: 1, shares: 1, phone: '13800138000', name: '张三' });
    expect('person' in j && j.person.idNumber).toBe(x.toUpperCase());
  });
  it.each([
    [{ idNumber: '123' }, 'INVALID_ID_NUMBER'],
    [{ idNumber: 42 }, 'INVALID_ID_NUMBER'],
    [{ idNumber: id('2030-01-01') }, 'INVALID_ID_NUMBER'],
    [{ name: '' }, 'INVALID_NAME'],
    [{ name: 7 }, 'INVALID_NAME'],
    [{ shares: 0 }, 'INVALID_SHARES'],
    [{ shares: 4 }, 'INVALID_SHARES'],
    [{ shares: 1.5 }, 'INVALID_SHARES'],
    [{ shares: '2' }, 'INVALID_SHARES'],
    [{ idNumber: id('2011-01-02') }, 'AGE_OUT_OF_RANGE'],
    [{ idNumber: id('1955-01-01') }, 'AGE_OUT_OF_RANGE'],
    [{ phone: 'abc' }, 'INVALID_PHONE'],
  ])('rejects %o as %s', (over, code) => {
    const j = judgeRow(plan, row({ row: 3, ...over }), TODAY);
    expect(j).toMatchObject({ row: 3, code });
  });
  it('age bounds are inclusive on the coverage start day', () => {
    expect(judgeRow(plan, row({ row: 1, idNumber: id('2010-01-01') }), TODAY)).not.toHaveProperty('code'); // 16 on 2026-01-01
    expect(judgeRow(plan, row({ row: 1, idNumber: id('2010-01-02') }), TODAY)).toHaveProperty('code', 'AGE_OUT_OF_RANGE');
    expect(judgeRow(plan, row({ row: 1, idNumber: id('1955-01-02') }), TODAY)).not.toHaveProperty('code'); // 70 on 2026-01-01
  });
  it('never puts the full number in a rejection', () => {
    const full = id('2011-01-02');
    const j = judgeRow(plan, row({ row: 1, idNumber: full }), TODAY);
    expect(JSON.stringify(j)).not.toContain(full);
  });
});

describe('judgeRoster', () => {
  it('accounts for every row exactly once, first occurrence of a person wins', () => {
    const people = [id('1980-01-01', 1), id('1981-01-01', 2), id('1982-01-01', 3), 'junk'];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: people.length - 1 }), { minLength: 1, maxLength: 40 }), (picks) => {
        const rows = picks.map((p, i) => row({ row: i + 1, idNumber: people[p] }));
        const { candidates, rejected } = judgeRoster(plan, rows, TODAY);
        const all = [...candidates.map((c) => c.row), ...rejected.map((r) => r.row)].sort((a, b) => a - b);
        expect(all).toEqual(rows.map((r) => r.row));
        const firsts = new Map<string, number>();
        picks.forEach((p, i) => {
          if (people[p] !== 'junk' && !firsts.has(people[p]!)) firsts.set(people[p]!, i + 1);
        });
        expect(candidates.map((c) => c.row)).toEqual([...firsts.values()]);
        for (const r of rejected) expect(['DUPLICATE_IN_REQUEST', 'INVALID_ID_NUMBER']).toContain(r.code);
      }),
    );
  });
});

describe('DUPLICATE_IN_REQUEST names the first occurrence as the clerk finds it', () => {
  it('by its file line when the rows came from a file (header on line 1, a blank line skipped), else by its row', () => {
    const p = id('1980-01-01', 1);
    // Data rows 1 and 2 on file lines 2 and 4 (line 3 was blank).
    const fromFile = judgeRoster(plan, [row({ row: 1, line: 2, idNumber: p }), row({ row: 2, line: 4, idNumber: p })], TODAY);
    expect(fromFile.rejected).toEqual([
      expect.objectContaining({
        row: 2,
        line: 4,
        code: 'DUPLICATE_IN_REQUEST',
        message: { key: 'DUPLICATE_IN_REQUEST', params: { first: 2 } },
      }),
    ]);
    const fromJson = judgeRoster(plan, [row({ row: 1, idNumber: p }), row({ row: 2, idNumber: p })], TODAY);
    expect(fromJson.rejected[0]!.message).toEqual({ key: 'DUPLICATE_IN_REQUEST', params: { first: 1 } });
  });
});

describe('totals rows and phones (SPEC §4.3)', () => {
  it('a totals row has no ID number (or the label in its place) and 合计/小计/总计 in a cell', () => {
    const row = (over: Partial<RosterRow>): RosterRow => ({
      row: 1,
      idNumber: undefined,
      name: undefined,
      shares: undefined,
      phone: undefined,
      ...over,
    });
    expect(isTotalsRow(row({ name: '合计' }))).toBe(true);
    expect(isTotalsRow(row({ idNumber: '总 计' }))).toBe(true);
    expect(isTotalsRow(row({ idNumber: '', name: '本页小计：' }))).toBe(true);
    expect(isTotalsRow(row({ idNumber: '11010519491231002X', name: '合计' }))).toBe(false);
    expect(isTotalsRow(row({ name: '张三' }))).toBe(false);
    expect(isTotalsRow(row({ name: '合计人数共计一百二十三人整' }))).toBe(false); // too long to be a label
  });
  it('a phone is an 11-digit mainland mobile starting with 1; spaces, hyphens and +86 are forgiven', () => {
    expect(normalisePhone('138 0013 8000')).toBe('13800138000');
    expect(normalisePhone('+86 139-0013-9000')).toBe('13900139000');
    expect(normalisePhone('１３８００１３８０００')).toBe('13800138000'); // full-width digits
    for (const bad of ['1380013800', '138001380001', '23800138000', '0755-12345678', 'call me', '']) expect(normalisePhone(bad)).toBeNull();
  });
  it('names are echoed with ID-like digit runs masked', () => {
    expect(nameAsSent('张三')).toBe('张三');
    expect(nameAsSent('11010519491231002X')).toBe('******************');
    expect(nameAsSent('  ')).toBeUndefined();
    expect(nameAsSent(42)).toBeUndefined();
  });
});
