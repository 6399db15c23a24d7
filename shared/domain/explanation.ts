/**
 * The explanation of benefits on a claim (benefitBreakdown, SPEC §4.4): the
 * engine's numbers plus `lines`, short zh-CN sentences a member can check
 * with a pencil. Money is shown in 元 with two decimals and thousands
 * separators; band results, which are exact to 1/1000 fen, keep the extra
 * digits so the lines add up before the single floor of §6.2.
 */
import type { BenefitBreakdown } from './benefit';

export type BandedExplanation = { kind: 'banded' } & BenefitBreakdown & { lines: string[] };

export interface LumpSumExplanation {
  kind: 'lump_sum';
  conditionCode: string;
  conditionName: string;
  amountPerShareFen: number;
  shares: number;
  capFen: number;
  capRemainingBeforeFen: number;
  benefitFen: number;
  lines: string[];
}

export type BenefitExplanation = BandedExplanation | LumpSumExplanation;

const groupThousands = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** An amount in 1/10^scale 元 as 元 with at least two decimals; further decimals only when non-zero. Integer arithmetic, no floats. */
const formatScaled = (amount: number, scale: number): string => {
  if (!Number.isSafeInteger(amount)) throw new RangeError('amount must be a safe integer');
  const digits = String(Math.abs(amount)).padStart(scale + 1, '0');
  const whole = digits.slice(0, -scale);
  const fraction = digits.slice(-scale).replace(/0+$/, '').padEnd(2, '0');
  return `${amount < 0 ? '-' : ''}${groupThousands(whole)}.${fraction}`;
};

/** 1234567 fen → "12,345.67". */
export const formatYuan = (fen: number): string => formatScaled(fen, 2);

/** An exact band result in 1/1000 fen: 80740200 → "807.402", 500000000 → "5,000.00". */
export const formatYuanPermilleFen = (permilleFen: number): string => formatScaled(permilleFen, 5);

/** 550‰ → "55%", 505‰ → "50.5%", 5‰ → "0.5%". Exact: the shortest decimal JS prints for k / 10 is k / 10 itself. */
export const formatPermilleAsPercent = (permille: number): string => {
  if (!Number.isSafeInteger(permille)) throw new RangeError('permille must be a safe integer');
  return `${permille / 10}%`;
};

const yuan = (fen: number) => `${formatYuan(fen)} 元`;

const capLines = (capRemainingBeforeFen: number, capFen: number, beforeCapFen: number, benefitFen: number): string[] => [
  `本期封顶余额 ${yuan(capRemainingBeforeFen)}（封顶线 ${yuan(capFen)}）`,
  ...(benefitFen < beforeCapFen ? [`超出封顶余额，按封顶余额 ${yuan(capRemainingBeforeFen)} 支付`] : []),
  `互助金 ${yuan(benefitFen)}`,
];

/**
 * Lines for a banded (住院) benefit. Bands with no part of the eligible
 * amount are left out of the lines (they stay in `bands`): they only say
 * "0 元" and make the sheet harder to follow.
 */
export const explainBanded = (b: BenefitBreakdown): BandedExplanation => {
  const already = b.deductibleFen - b.deductibleAppliedFen; // per_period: the part met by earlier claims this period
  const lines = [
    `自付范围内费用 ${yuan(b.baseFen)}`,
    b.deductibleBasis === 'per_period'
      ? `扣除起付线 ${yuan(b.deductibleAppliedFen)}（本期已扣 ${yuan(already)}）`
      : `扣除起付线 ${yuan(b.deductibleAppliedFen)}（每次住院扣除）`,
    `纳入分段计算的金额 ${yuan(b.eligibleFen)}`,
  ];
  const sum = b.bands.reduce((s, band) => s + band.resultPermilleFen, 0);
  b.bands.forEach((band, i) => {
    if (band.partFen === 0) return;
    const range = band.uptoFen === null ? `${formatYuan(band.fromFen)} 元以上` : `${formatYuan(band.fromFen)}–${yuan(band.uptoFen)}`;
    const rate = formatPermilleAsPercent(band.ratePermille);
    lines.push(`第${i + 1}段 ${range}：${yuan(band.partFen)} × ${rate} = ${formatYuanPermilleFen(band.resultPermilleFen)} 元`);
  });
  lines.push(
    sum % 1000 === 0
      ? `分段合计 ${yuan(b.bandedFen)}`
      : `分段合计 ${formatYuanPermilleFen(sum)} 元，不足 1 分的部分舍去，计 ${yuan(b.bandedFen)}`,
  );
  const beforeCap = b.bandedFen * b.shares;
  lines.push(`按 ${b.shares} 份计算：${yuan(b.bandedFen)} × ${b.shares} = ${yuan(beforeCap)}`);
  lines.push(...capLines(b.capRemainingBeforeFen, b.capFen, beforeCap, b.benefitFen));
  return { kind: 'banded', ...b, lines };
};

const requireInt = (name: string, v: number, min: number) => {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be a safe integer ≥ ${min}`);
};

/**
 * A lump-sum (重大疾病 / 女职工特殊疾病) benefit: min(amountPerShareFen ×
 * shares, capFen − usedFen), never negative even if usedFen somehow passed
 * the cap. capFen is the enrolment's cap (capPerShareFen × shares).
 */
export const computeLumpSum = (input: {
  amountPerShareFen: number;
  shares: number;
  capFen: number;
  usedFen: number;
  conditionCode: string;
  conditionName: string;
}): LumpSumExplanation => {
  const { amountPerShareFen, shares, capFen, usedFen, conditionCode, conditionName } = input;
  requireInt('amountPerShareFen', amountPerShareFen, 0);
  requireInt('shares', shares, 1);
  requireInt('capFen', capFen, 0);
  requireInt('usedFen', usedFen, 0);
  const beforeCap = amountPerShareFen * shares;
  if (!Number.isSafeInteger(beforeCap)) throw new RangeError('amountPerShareFen × shares exceeds the exact integer range');
  const capRemainingBeforeFen = Math.max(0, capFen - usedFen);
  const benefitFen = Math.min(beforeCap, capRemainingBeforeFen);
  const lines = [
    `病种 ${conditionCode} ${conditionName}：每份 ${yuan(amountPerShareFen)}`,
    `按 ${shares} 份计算：${yuan(amountPerShareFen)} × ${shares} = ${yuan(beforeCap)}`,
    ...capLines(capRemainingBeforeFen, capFen, beforeCap, benefitFen),
  ];
  return { kind: 'lump_sum', conditionCode, conditionName, amountPerShareFen, shares, capFen, capRemainingBeforeFen, benefitFen, lines };
};
