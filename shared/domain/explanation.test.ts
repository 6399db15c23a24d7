import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPEC_BENEFIT_RULES } from '../../test/support/examplePlan';
import { type BenefitInput, computeBenefit } from './benefit';
import { computeLumpSum, explainBanded, formatPermilleAsPercent, formatYuan, formatYuanPermilleFen } from './explanation';

const run = (patch: Partial<BenefitInput>) =>
  explainBanded(computeBenefit({ rules: SPEC_BENEFIT_RULES, shares: 1, baseFen: 0, usedFen: 0, deductibleUsedFen: 0, ...patch }));

/** Reads "12,345.67" back to fen, independently of the formatter. */
const parseYuan = (s: string): number => {
  const [whole, fraction] = s.replaceAll(',', '').split('.') as [string, string];
  return Number(whole) * 100 + Number(fraction);
};

describe('formatting', () => {
  it('money in 元 with two decimals and thousands separators', () => {
    expect(formatYuan(0)).toBe('0.00');
    expect(formatYuan(5)).toBe('0.05');
    expect(formatYuan(50)).toBe('0.50');
    expect(formatYuan(100000)).toBe('1,000.00');
    expect(formatYuan(1234567)).toBe('12,345.67');
    expect(formatYuan(123456789012)).toBe('1,234,567,890.12');
    expect(formatYuan(-1234567)).toBe('-12,345.67');
  });
  it('exact band results keep the digits below a fen', () => {
    expect(formatYuanPermilleFen(80740200)).toBe('807.402');
    expect(formatYuanPermilleFen(500000000)).toBe('5,000.00');
    expect(formatYuanPermilleFen(1)).toBe('0.00001');
  });
  it('permille as percent', () => {
    expect(formatPermilleAsPercent(550)).toBe('55%');
    expect(formatPermilleAsPercent(505)).toBe('50.5%');
    expect(formatPermilleAsPercent(5)).toBe('0.5%');
    expect(formatPermilleAsPercent(0)).toBe('0%');
    expect(formatPermilleAsPercent(1000)).toBe('100%');
  });
  it('property: formatYuan round-trips and groups by three', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        const s = formatYuan(fen);
        expect(s).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$/);
        expect(BigInt(s.replaceAll(',', '').replace('.', ''))).toBe(BigInt(fen));
      }),
    );
  });
  it('property: percent reads back to the permille', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (p) => {
        const s = formatPermilleAsPercent(p);
        expect(s).toMatch(/^\d+(\.[1-9])?%$/);
        expect(Math.round(Number.parseFloat(s) * 10)).toBe(p);
      }),
    );
  });
});

describe('explainBanded: SPEC §6.2 worked example end to end', () => {
  it('first claim, base 1234567 → 580740', () => {
    const e = run({ baseFen: 1234567 });
    expect(e).toMatchObject({ kind: 'banded', baseFen: 1234567, eligibleFen: 1134567, bandedFen: 580740, benefitFen: 580740 });
    expect(e.bands).toHaveLength(3); // the structured breakdown keeps every band
    expect(e.lines).toEqual([
      '自付范围内费用 12,345.67 元',
      '扣除起付线 1,000.00 元（本期已扣 0.00 元）',
      '纳入分段计算的金额 11,345.67 元',
      '第1段 0.00–10,000.00 元：10,000.00 元 × 50% = 5,000.00 元',
      '第2段 10,000.00–30,000.00 元：1,345.67 元 × 60% = 807.402 元',
      '分段合计 5,807.402 元，不足 1 分的部分舍去，计 5,807.40 元',
      '按 1 份计算：5,807.40 元 × 1 = 5,807.40 元',
      '本期封顶余额 30,000.00 元（封顶线 30,000.00 元）',
      '互助金 5,807.40 元',
    ]);
  });
  it('second claim, base 50000 after the deductible was met → 25000', () => {
    const e = run({ baseFen: 50000, usedFen: 580740, deductibleUsedFen: 100000 });
    expect(e.benefitFen).toBe(25000);
    expect(e.lines).toEqual([
      '自付范围内费用 500.00 元',
      '扣除起付线 0.00 元（本期已扣 1,000.00 元）',
      '纳入分段计算的金额 500.00 元',
      '第1段 0.00–10,000.00 元：500.00 元 × 50% = 250.00 元',
      '分段合计 250.00 元',
      '按 1 份计算：250.00 元 × 1 = 250.00 元',
      '本期封顶余额 24,192.60 元（封顶线 30,000.00 元）',
      '互助金 250.00 元',
    ]);
  });
});

describe('explainBanded: other cases', () => {
  it('per_stay, several shares, the open band and the cap', () => {
    const rules = { ...SPEC_BENEFIT_RULES, deductibleBasis: 'per_stay' as const };
    const e = explainBanded(computeBenefit({ rules, shares: 2, baseFen: 4_100_000, usedFen: 5_000_000, deductibleUsedFen: 0 }));
    expect(e.lines).toContain('扣除起付线 1,000.00 元（每次住院扣除）');
    expect(e.lines).toContain('第3段 30,000.00 元以上：10,000.00 元 × 70% = 7,000.00 元');
    expect(e.lines).toContain('按 2 份计算：24,000.00 元 × 2 = 48,000.00 元');
    expect(e.lines).toContain('本期封顶余额 10,000.00 元（封顶线 60,000.00 元）');
    expect(e.lines).toContain('超出封顶余额，按封顶余额 10,000.00 元 支付');
    expect(e.lines.at(-1)).toBe('互助金 10,000.00 元');
  });
  it('a base within the deductible shows no band and pays nothing', () => {
    const e = run({ baseFen: 60000 });
    expect(e.lines.some((l) => l.startsWith('第'))).toBe(false);
    expect(e.lines.at(-1)).toBe('互助金 0.00 元');
  });

  const input = fc.record({
    baseFen: fc.integer({ min: 0, max: 10_000_000 }),
    usedFen: fc.integer({ min: 0, max: 4_000_000 }),
    deductibleUsedFen: fc.integer({ min: 0, max: 200_000 }),
    shares: fc.integer({ min: 1, max: 5 }),
  });
  it('property: carries the breakdown unchanged and its last line states the benefit', () => {
    fc.assert(
      fc.property(input, (i) => {
        const b = computeBenefit({ rules: SPEC_BENEFIT_RULES, ...i });
        const e = explainBanded(b);
        const { kind, lines, ...rest } = e;
        expect(kind).toBe('banded');
        expect(rest).toEqual(b);
        expect(parseYuan(lines.at(-1)!.replace('互助金 ', '').replace(' 元', ''))).toBe(b.benefitFen);
      }),
    );
  });
  it('property: each band line is part × rate = result, as printed', () => {
    fc.assert(
      fc.property(input, (i) => {
        const e = explainBanded(computeBenefit({ rules: SPEC_BENEFIT_RULES, ...i }));
        const bandLines = e.lines.filter((l) => l.startsWith('第'));
        expect(bandLines).toHaveLength(e.bands.filter((b) => b.partFen > 0).length);
        for (const line of bandLines) {
          const m = /：([\d,]+\.\d{2}) 元 × (\d+)% = ([\d,.]+) 元$/.exec(line);
          expect(m, line).not.toBeNull();
          const [, part, rate, result] = m!;
          // result in 1/1000 fen = part (fen) × rate (%) × 10
          const exact = BigInt(parseYuan(part!)) * BigInt(rate!) * 10n;
          const [w, f = ''] = result!.replaceAll(',', '').split('.');
          expect(BigInt(w!) * 100000n + BigInt(f.padEnd(5, '0'))).toBe(exact);
        }
      }),
    );
  });
});

describe('computeLumpSum', () => {
  const base = { amountPerShareFen: 1_000_000, shares: 2, capFen: 3_000_000, usedFen: 0, conditionCode: 'C01', conditionName: '恶性肿瘤' };
  it('pays amount × shares within the cap, and says so', () => {
    expect(computeLumpSum(base)).toEqual({
      kind: 'lump_sum',
      conditionCode: 'C01',
      conditionName: '恶性肿瘤',
      amountPerShareFen: 1_000_000,
      shares: 2,
      capFen: 3_000_000,
      capRemainingBeforeFen: 3_000_000,
      benefitFen: 2_000_000,
      lines: [
        '病种 C01 恶性肿瘤：每份 10,000.00 元',
        '按 2 份计算：10,000.00 元 × 2 = 20,000.00 元',
        '本期封顶余额 30,000.00 元（封顶线 30,000.00 元）',
        '互助金 20,000.00 元',
      ],
    });
  });
  it('clamps to the remaining cap, and to 0 when it is used up or overdrawn', () => {
    const capped = computeLumpSum({ ...base, usedFen: 1_500_000 });
    expect(capped.benefitFen).toBe(1_500_000);
    expect(capped.lines).toContain('超出封顶余额，按封顶余额 15,000.00 元 支付');
    expect(computeLumpSum({ ...base, usedFen: 3_000_000 }).benefitFen).toBe(0);
    expect(computeLumpSum({ ...base, usedFen: 3_500_000 })).toMatchObject({ capRemainingBeforeFen: 0, benefitFen: 0 });
  });
  it('throws a RangeError on bad numbers', () => {
    for (const patch of [{ shares: 0 }, { shares: 1.5 }, { usedFen: -1 }, { amountPerShareFen: Number.NaN }, { capFen: -1 }]) {
      expect(() => computeLumpSum({ ...base, ...patch })).toThrow(RangeError);
    }
    expect(() => computeLumpSum({ ...base, amountPerShareFen: Number.MAX_SAFE_INTEGER })).toThrow(RangeError);
  });
  it('property: benefit = min(amount × shares, max(0, cap − used))', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.integer({ min: 0, max: 60_000_000 }),
        (amountPerShareFen, shares, capFen, usedFen) => {
          const r = computeLumpSum({ ...base, amountPerShareFen, shares, capFen, usedFen });
          const remaining = capFen > usedFen ? capFen - usedFen : 0;
          expect(r.benefitFen).toBe(Math.min(amountPerShareFen * shares, remaining));
          expect(r.benefitFen).toBeGreaterThanOrEqual(0);
          expect(r.lines.at(-1)).toBe(`互助金 ${formatYuan(r.benefitFen)} 元`);
        },
      ),
    );
  });
});
