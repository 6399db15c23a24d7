import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { examplePlan } from '../../test/support/examplePlan';
import { FIXTURES, fixtureFiles, SECOND_SHEET_PERSON } from '../../test/fixtures/make-fixtures';
import { excelDamageHint } from '../domain/excelDamage';
import { judgeRoster } from '../domain/roster';
import { type RosterLine, readRoster, readRosterBuffer } from './read';

const file = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url));
const formatOf = (name: string) => (name.endsWith('.xlsx') ? 'xlsx' : 'csv');
const expectedLines = (name: string): RosterLine[] =>
  FIXTURES[name]!.map(({ line }, i): RosterLine => {
    if ('malformed' in line)
      return { row: i + 1, line: expect.any(Number), malformed: true, message: expect.objectContaining({ key: 'ROW_MALFORMED' }) };
    return { row: i + 1, line: expect.any(Number), idNumber: line.idNumber, name: line.name, shares: line.shares, phone: line.phone };
  });

describe.each(Object.keys(FIXTURES))('test/fixtures/%s', (name) => {
  it('reads back to the expected lines', async () => {
    expect(await readRosterBuffer(file(name), formatOf(name))).toEqual(expectedLines(name));
  });

  it('numbers lines upwards, past the header', async () => {
    const lines = (await readRosterBuffer(file(name), formatOf(name))).map((l) => l.line!);
    expect(lines[0]).toBeGreaterThan(1);
    for (let i = 1; i < lines.length; i++) expect(lines[i]).toBeGreaterThan(lines[i - 1]!);
  });

  it('reads the same streamed in 1–7 byte chunks', async () => {
    const bytes = file(name);
    async function* tiny() {
      for (let at = 0, i = 0; at < bytes.length; at += (i++ % 7) + 1) yield bytes.subarray(at, at + (i % 7) + 1);
    }
    const lines: RosterLine[] = [];
    for await (const l of readRoster(tiny(), formatOf(name))) lines.push(l);
    expect(lines).toEqual(expectedLines(name));
  });

  it('has the outcomes README.md lists when judged against the example plan', async () => {
    const lines = await readRosterBuffer(file(name), formatOf(name));
    const rows = lines.filter((l) => !('malformed' in l));
    const { rejected } = judgeRoster(examplePlan(2026), rows as Parameters<typeof judgeRoster>[1], '2026-03-10');
    const outcome = (row: number, idNumber: unknown) => {
      if (lines[row - 1] && 'malformed' in lines[row - 1]!) return 'ROW_MALFORMED';
      const r = rejected.find((x) => x.row === row);
      if (!r) return 'enrolled';
      return r.code === 'INVALID_ID_NUMBER' && excelDamageHint(idNumber) ? 'INVALID_ID_NUMBER (Excel damage)' : r.code;
    };
    expect(lines.map((l) => outcome(l.row, 'idNumber' in l ? l.idNumber : undefined))).toEqual(FIXTURES[name]!.map((r) => r.outcome));
  });
});

describe('fixtures', () => {
  it('are what make-fixtures.ts writes (regenerate with npx tsx test/fixtures/make-fixtures.ts)', async () => {
    for (const [name, bytes] of Object.entries(fixtureFiles())) {
      if (name.endsWith('.xlsx')) expect(await readRosterBuffer(bytes, 'xlsx')).toEqual(await readRosterBuffer(file(name), 'xlsx'));
      else expect(Buffer.from(bytes).equals(file(name))).toBe(true);
    }
  });
  it('hold distinct people, so several can be enrolled into one plan', () => {
    const ids = [...Object.values(FIXTURES).flatMap((rows) => rows.map((r) => r.idNumber)), SECOND_SHEET_PERSON];
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('ignore the second sheet of roster.xlsx', async () => {
    const lines = await readRosterBuffer(file('roster.xlsx'), 'xlsx');
    expect(JSON.stringify(lines)).not.toContain(SECOND_SHEET_PERSON);
  });
});
