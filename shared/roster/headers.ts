/**
 * Roster header names (SPEC §4.3): English `idNumber,name,shares,phone` or
 * Chinese `身份证号,姓名,份数,手机号`, in any order, plus the synonyms clerks'
 * own templates use. idNumber and name are required; shares and phone are
 * optional; any other column (序号, 部门, 备注…) is ignored.
 *
 * Matching forgives what templates add around a name: case, spaces,
 * full-width forms, `_`/`-` (id_number), required-field stars (*姓名) and a
 * trailing note in brackets (手机号（选填）).
 */
import { RosterFileError } from './errors';

export type RosterField = 'idNumber' | 'name' | 'shares' | 'phone';

export const ROSTER_FIELDS: readonly RosterField[] = ['idNumber', 'name', 'shares', 'phone'];

/** Accepted names per field; the first two are SPEC's English and Chinese names. */
export const HEADER_NAMES: Readonly<Record<RosterField, readonly string[]>> = {
  idNumber: ['idNumber', '身份证号', '身份证号码', '身份证', '公民身份号码', '身份证件号码', '证件号码', '证件号'],
  name: ['name', '姓名', '职工姓名', '会员姓名'],
  shares: ['shares', '份数', '份额', '参加份数', '互助份数', '购买份数'],
  phone: ['phone', '手机号', '手机号码', '手机', '联系电话', '电话', '电话号码', '联系方式'],
};

export const normaliseHeader = (raw: string): string => {
  let k = raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_-]/g, '')
    .replace(/^\*+/, '');
  for (let prev = ''; prev !== k; ) {
    prev = k;
    k = k.replace(/(?:\*+|:|\([^()]*\))$/, '');
  }
  return k;
};

const FIELD_BY_NAME = new Map<string, RosterField>(
  ROSTER_FIELDS.flatMap((f) => HEADER_NAMES[f].map((n) => [normaliseHeader(n), f] as [string, RosterField])),
);

export const fieldOfHeader = (raw: string): RosterField | undefined => FIELD_BY_NAME.get(normaliseHeader(raw));

/** Column index of each field present (0-based). */
export type ColumnMap = Partial<Record<RosterField, number>>;

/**
 * Maps a header row to columns, or throws HEADER_INVALID. The message names
 * fields and the accepted names, never what the row holds (it may be data).
 */
export const resolveHeader = (cells: readonly string[]): ColumnMap => {
  const columns: ColumnMap = {};
  const duplicated = new Set<RosterField>();
  cells.forEach((cell, i) => {
    const f = fieldOfHeader(cell);
    if (f === undefined) return;
    if (columns[f] !== undefined) duplicated.add(f);
    else columns[f] = i;
  });
  const missing = (['idNumber', 'name'] as const).filter((f) => columns[f] === undefined);
  if (missing.length || duplicated.size) {
    throw new RosterFileError('HEADER_INVALID', { key: 'header', missing: [...missing], duplicated: [...duplicated] });
  }
  return columns;
};
