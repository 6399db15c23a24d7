import { msg } from '../messages/catalogue';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { RESULTS_HEAD, resultPart, resultPartKey } from './importFiles';

describe('roster import results', () => {
  it('one CSV line per row in row order; a cell Excel would read as a formula is neutralised', () => {
    const part = resultPart(
      {
        enrolments: [
          { row: 3, enrolmentId: 'E3' },
          { row: 1, enrolmentId: 'E1' },
        ],
        rejected: [
          {
            row: 2,
            line: 4,
            name: '=王五',
            idNumberMasked: '=**2',
            code: 'INVALID_ID_NUMBER',
            message: msg('INVALID_ID_NUMBER', { reason: 'length' }),
          },
          { row: 4, idNumberMasked: '110105********002X', code: 'ALREADY_ENROLLED', message: msg('ALREADY_ENROLLED'), enrolmentId: 'E9' },
        ],
        skippedRows: 0,
      },
      new Map([
        ['E1', '110105********0011'],
        ['E3', '110105********0033'],
      ]),
    );
    expect(part.endsWith('\r\n')).toBe(true);
    expect(parse(part)).toEqual([
      ['1', '110105********0011', '已参加', 'E1', '', '', '', '', ''],
      ['2', "'=**2", '未参加', '', 'INVALID_ID_NUMBER', '身份证号应为 18 位', 'the ID number must be 18 characters long', '4', "'=王五"],
      ['3', '110105********0033', '已参加', 'E3', '', '', '', '', ''],
      [
        '4',
        '110105********002X',
        '未参加',
        'E9',
        'ALREADY_ENROLLED',
        '此人已参加这个互助方案',
        'this person is already enrolled in this plan',
        '',
        '',
      ],
    ]);
    expect(RESULTS_HEAD.startsWith('\uFEFF行号/row,')).toBe(true);
  });

  it('parts live beside the results file, under ids only', () => {
    expect(resultPartKey('01ARZ3NDEKTSV4RRFFQ69G5FAV', 7)).toBe('imports/01ARZ3NDEKTSV4RRFFQ69G5FAV/results/00007.csv');
    expect(() => resultPartKey('../x', 0)).toThrow(TypeError);
  });
});
