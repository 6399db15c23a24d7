import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RosterFileError } from './errors';
import { fieldOfHeader, HEADER_NAMES, resolveHeader, ROSTER_FIELDS } from './headers';

const headerError = (cells: string[]) => {
  try {
    resolveHeader(cells);
  } catch (e) {
    expect(e).toBeInstanceOf(RosterFileError);
    expect((e as RosterFileError).code).toBe('HEADER_INVALID');
    return (e as RosterFileError).message;
  }
  throw new Error('expected HEADER_INVALID');
};

describe('header names', () => {
  it('accepts SPEC names in English and Chinese', () => {
    expect(resolveHeader(['idNumber', 'name', 'shares', 'phone'])).toEqual({ idNumber: 0, name: 1, shares: 2, phone: 3 });
    expect(resolveHeader(['手机号', '份数', '姓名', '身份证号'])).toEqual({ phone: 0, shares: 1, name: 2, idNumber: 3 });
  });
  it('accepts every listed synonym for its field', () => {
    for (const f of ROSTER_FIELDS) for (const n of HEADER_NAMES[f]) expect(fieldOfHeader(n)).toBe(f);
  });
  it.each([
    [' IDNUMBER ', 'idNumber'],
    ['ID Number', 'idNumber'],
    ['id_number', 'idNumber'],
    ['*身份证号码', 'idNumber'],
    ['姓名*', 'name'],
    ['姓　名', 'name'], // ideographic space, as templates centre two-character labels
    ['手机号（选填）', 'phone'],
    ['份数(份)', 'shares'],
    ['联系电话：', 'phone'],
    ['Phone', 'phone'],
  ])('forgives template decoration: %j', (raw, field) => expect(fieldOfHeader(raw)).toBe(field));
  it('ignores unknown columns such as 序号 and 部门', () => {
    expect(resolveHeader(['序号', '部门', '姓名', '身份证号', '备注', ''])).toEqual({ name: 2, idNumber: 3 });
  });
  it('requires idNumber and name, naming the accepted column names', () => {
    const m = headerError(['姓名', '份数']);
    expect(m).toMatch(/add a column for: ID number \(身份证号 or idNumber\)$/);
    expect(headerError(['身份证号'])).toMatch(/add a column for: name/);
  });
  it('refuses two columns meaning the same field', () => {
    expect(headerError(['身份证号', '姓名', '手机', '手机号码'])).toMatch(/keep one column each for: phone/);
  });
  it('never quotes the row it was given (it may be data)', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[0-9X甲乙丙丁戊己庚辛]{6,18}$/), { minLength: 1, maxLength: 6 }), (cells) => {
        const m = headerError(cells);
        for (const c of cells) expect(m).not.toContain(c);
      }),
    );
  });
});
