import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CATALOGUES,
  IMPORT_FAILURE_CODES,
  isMessageKey,
  languageOf,
  type MessageKey,
  PROBLEM_CODES,
  type Params,
  ROW_CODES,
  render,
} from './catalogue';
import { en } from './en';
import type { IdReason, NameReason, RosterReason } from './en';

/** Every key's parameters: typical values by name, and exact ones where a parameter picks an entry of a table. */
const TYPICAL: Record<string, unknown> = {
  min: 1,
  max: 5,
  count: 2,
  capFen: 1_000_000,
  totalFen: 4001,
  lowestFen: 4000,
  adjusted: 900,
  filed: 800,
  bytes: 1234,
  seconds: 30,
  year: 2026,
  days: 90,
  mib: 10,
  first: 1,
  last: 3,
  years: 5,
  at: 12,
  started: true,
  accident: false,
  values: ['approve', 'reject'],
  keys: ['foo'],
  roles: ['office_staff', 'federation_admin'],
  allow: ['GET', 'POST'],
  accepted: ['application/json', 'text/csv'],
  possible: ['withdraw'],
  kinds: ['invoice', 'settlement_statement'],
  status: 'submitted',
  action: 'submit',
  decision: 'reject',
  role: 'unit_admin',
  entity: 'plan',
  field: 'admissionDate',
  expected: 'string',
  unit: 'fenPositive',
  what: 'plans',
  why: 'enrol',
  reason: { key: 'noHeader' },
};
const OVERRIDES: Partial<{ [K in MessageKey]: Params[K] }> = {
  'VALIDATION_FAILED.claimKind': { kind: 'lump_sum' },
  'FIELD.requiredForKind': { kind: 'banded' },
  'FIELD.foreignToKind': { kind: 'lump_sum' },
  'FORBIDDEN.roleOrgKind': { role: 'unit_admin', orgId: 'd1', kind: 'office' },
  NOT_A_UNIT: { orgId: 'd1', kind: 'office', why: 'members' },
  'DOCUMENTS_MISSING.one': { kind: 'settlement_statement' },
  'DOCUMENT_INVALID.notUploaded': { kind: 'invoice' },
  'DOCUMENT_INVALID.size': { kind: 'invoice', bytes: 1234 },
  'DOCUMENT_INVALID.type': { kind: 'invoice', contentType: 'application/pdf' },
  'DOCUMENT_INVALID.bytes': { kind: 'discharge_summary', type: 'PDF' },
  INVALID_ID_NUMBER: { reason: 'checkChar' },
  INVALID_NAME: { reason: 'tooLong', max: 20 },
};
const sample = (key: MessageKey): unknown =>
  OVERRIDES[key] ?? new Proxy({}, { get: (_t, p) => (typeof p === 'string' ? (TYPICAL[p] ?? `${p.toUpperCase()}-1`) : undefined) });

const KEYS = Object.keys(en) as MessageKey[];
const CJK = /[\u4e00-\u9fff]/;

describe('the message catalogue (SPEC §3: Chinese by default, English with Accept-Language: en)', () => {
  it('has a message of its own for every problem code and roster row code', () => {
    for (const code of [...PROBLEM_CODES, ...ROW_CODES]) expect(isMessageKey(code), code).toBe(true);
    // …and every key belongs to a code (or is a field / plan-rule / roster-file / report-prose message).
    const codes = new Set<string>([...PROBLEM_CODES, ...ROW_CODES, ...IMPORT_FAILURE_CODES]);
    for (const key of KEYS) expect(codes.has(key.split('.')[0]!) || /^(FIELD|PLAN|REPORT)\.|^ROSTER_FILE$/.test(key), key).toBe(true);
  });

  it.each(KEYS)('%s: a non-empty message in both languages, the Chinese one in Chinese', (key) => {
    const zh = render({ key, params: sample(key) }, 'zh');
    const english = render({ key, params: sample(key) }, 'en');
    expect(zh.trim().length).toBeGreaterThan(0);
    expect(english.trim().length).toBeGreaterThan(0);
    expect(zh).toMatch(CJK);
    expect(zh).not.toBe(english);
    for (const text of [zh, english]) expect(text).not.toMatch(/undefined|\[object |NaN/);
  });

  it('has a message for every reason an ID number, a name or a roster file is refused, in both languages', () => {
    const ids: Record<IdReason, true> = {
      notString: true,
      length: true,
      digits: true,
      checkChar: true,
      province: true,
      birthDate: true,
      before1900: true,
      future: true,
      excelDigitsLost: true,
      excelXLost: true,
    };
    const names: Record<NameReason, true> = {
      notString: true,
      required: true,
      tooLong: true,
      invisible: true,
      digits: true,
      letters: true,
    };
    const files: { [K in RosterReason['key']]: Extract<RosterReason, { key: K }> } = {
      cells: { key: 'cells', cells: 3, width: 2 },
      beyond: { key: 'beyond', width: 4 },
      tooManyRows: { key: 'tooManyRows', max: 5000 },
      noHeader: { key: 'noHeader' },
      header: { key: 'header', missing: ['idNumber'], duplicated: ['phone'] },
      xlsxNotCsv: { key: 'xlsxNotCsv' },
      xlsNotCsv: { key: 'xlsNotCsv' },
      utf16: { key: 'utf16' },
      encoding: { key: 'encoding' },
      csvQuote: { key: 'csvQuote', line: 3 },
      csvLineTooLong: { key: 'csvLineTooLong', max: 65536 },
      csvMalformed: { key: 'csvMalformed' },
      damaged: { key: 'damaged' },
      tooManyTexts: { key: 'tooManyTexts', max: 100000 },
      oldOrProtected: { key: 'oldOrProtected' },
      notXlsx: { key: 'notXlsx' },
      unreadableXlsx: { key: 'unreadableXlsx' },
      partTooLarge: { key: 'partTooLarge' },
      tooManyParts: { key: 'tooManyParts' },
      noSheet: { key: 'noSheet' },
      tooLarge: { key: 'tooLarge', max: 1024 },
      uploadMissing: { key: 'uploadMissing' },
      emptyFile: { key: 'emptyFile' },
      uploadLarger: { key: 'uploadLarger', bytes: 20, declared: 10 },
      workbookNotCsv: { key: 'workbookNotCsv' },
      notText: { key: 'notText' },
      fileReplaced: { key: 'fileReplaced' },
      tooManyRawRows: { key: 'tooManyRawRows', max: 5004 },
      tooSlow: { key: 'tooSlow' },
      unpackedTooBig: { key: 'unpackedTooBig', mib: 56 },
      ratio: { key: 'ratio', max: 200 },
    };
    const messages = [
      ...Object.keys(ids).map((reason) => ({ key: 'INVALID_ID_NUMBER' as const, params: { reason } })),
      ...Object.keys(names).map((reason) => ({ key: 'INVALID_NAME' as const, params: { reason, max: 20 } })),
      ...Object.values(files).flatMap((reason) => [
        { key: 'ROW_MALFORMED' as const, params: { reason } },
        { key: 'ROSTER_FILE' as const, params: { reason } },
      ]),
    ];
    for (const m of messages) {
      const zh = render(m, 'zh');
      expect(zh, JSON.stringify(m)).toMatch(CJK);
      expect(render(m, 'en').length).toBeGreaterThan(0);
      expect(zh).not.toMatch(/undefined|\{max\}/);
    }
  });

  it('says in words what an id, a date or an ICD-10 code must look like, never a bare regex', () => {
    for (const lang of ['zh', 'en'] as const) {
      for (const key of ['FIELD.clientId', 'FIELD.date', 'FIELD.icd10', 'FIELD.serverId'] as const) {
        expect(render({ key }, lang)).not.toMatch(/\^|\$|\[A-Z|\\d/);
      }
    }
    expect(render({ key: 'FIELD.clientId' }, 'zh')).toContain('字母');
    expect(render({ key: 'INVALID_ID_NUMBER', params: { reason: 'checkChar' } }, 'zh')).toContain('校验位不对');
  });
});

/** Every code a handler or a domain rule can put in an answer, read from the source itself. */
const SOURCES = ['functions', 'shared', 'infra/local'];
const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
const CODE_SITES = [
  /new HttpProblem\(\s*\d+,\s*'([A-Z_]+)'/g,
  /new ClaimRuleBroken\(\s*\d+,\s*'([A-Z_]+)'/g,
  /(?:unprocessable|conflict)\(\s*'([A-Z_]+)'/g,
  /forbidden\([^;]*?,\s*'([A-Z_]+)'\)/g,
  /code: '([A-Z_]+)'/g,
  /new (?:RosterFileError|ImportFileProblem)\(\s*'([A-Z_]+)'/g,
  /fail\('([A-Z_]+)'/g,
];

describe('every code the route table and the domain can produce', () => {
  const root = join(__dirname, '..', '..');
  const found = new Map<string, string>();
  for (const dir of SOURCES) {
    for (const file of sourceFiles(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const re of CODE_SITES) for (const m of text.matchAll(re)) found.set(m[1]!, file.slice(root.length + 1));
    }
  }
  it('finds the codes thrown across handlers and rules', () => {
    expect(found.size).toBeGreaterThan(40);
  });
  it.each([...found])('%s (%s) is a listed code with messages in both languages', (code) => {
    const listed = new Set<string>([...PROBLEM_CODES, ...ROW_CODES, ...IMPORT_FAILURE_CODES]);
    expect(listed.has(code)).toBe(true);
    if (!(IMPORT_FAILURE_CODES as readonly string[]).includes(code) || isMessageKey(code)) {
      expect(isMessageKey(code)).toBe(true);
      for (const lang of ['zh', 'en'] as const) expect(CATALOGUES[lang][code as MessageKey]).toBeTypeOf('function');
    }
  });
});

describe('languageOf (Accept-Language)', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['zh-CN,zh;q=0.9', 'zh'],
    ['en', 'en'],
    ['en-GB', 'en'],
    ['EN-us', 'en'],
    ['fr', 'zh'],
    ['fr, en;q=0.5', 'en'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['en;q=0.5, zh-CN;q=0.8', 'zh'],
    ['en;q=0, zh', 'zh'],
    ['en;q=0', 'zh'],
    ['*', 'zh'],
    ['de, en-US;q=0.7, zh;q=0.7', 'en'],
  ])('%j → %s', (header, lang) => expect(languageOf(header)).toBe(lang));
});
