/**
 * The benefit engine (互助金, SPEC §6.2). Integer fen throughout; the band
 * products are kept exact in 1/1000 fen and floored once, on the total, so a
 * member never loses a fen to intermediate rounding. The result doubles as
 * the explanation of benefits shown on the claim (benefitBreakdown).
 */
import type { BandedRules, DeductibleBasis } from './plan';

export interface BenefitInput {
  rules: BandedRules;
  shares: number;
  /** selfPaidInScopeFen, or the reviewer's lower adjustment. */
  baseFen: number;
  /** Benefits already reserved against this enrolment's cap. */
  usedFen: number;
  /** Deductible already met in this period (per_period only). */
  deductibleUsedFen: number;
}

export interface BandResult {
  fromFen: number;
  uptoFen: number | null;
  /** The part of the eligible amount inside [fromFen, uptoFen). */
  partFen: number;
  ratePermille: number;
  /** partFen × ratePermille, exact, in 1/1000 fen. */
  resultPermilleFen: number;
}

export interface BenefitBreakdown {
  baseFen: number;
  deductibleBasis: DeductibleBasis;
  /** The plan's deductible. */
  deductibleFen: number;
  /** The deductible this claim bears ("deduct" of the formula). */
  deductibleAppliedFen: number;
  eligibleFen: number;
  bands: BandResult[];
  /** floor(Σ resultPermilleFen / 1000), for one share. */
  bandedFen: number;
  shares: number;
  capFen: number;
  capRemainingBeforeFen: number;
  benefitFen: number;
  /** What approval adds to deductibleUsedFen: per_period min(deduct, base), per_stay 0. */
  deductibleConsumedFen: number;
}

const requireInt = (name: string, v: number, min: number) => {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be a safe integer ≥ ${min}`);
};

/** Guards every product: exactness is the point of integer fen, so overflow is an error, never a silent rounding. */
const safe = (name: string, v: number): number => {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${name} exceeds the exact integer range`);
  return v;
};

/** Floor of n / 1000 for a non-negative safe integer, exact (no float division of a large n). */
const floorThousandth = (n: number): number => (n - (n % 1000)) / 1000;

export const computeBenefit = (input: BenefitInput): BenefitBreakdown => {
  const { rules, shares, baseFen, usedFen, deductibleUsedFen } = input;
  requireInt('shares', shares, 1);
  requireInt('baseFen', baseFen, 0);
  requireInt('usedFen', usedFen, 0);
  requireInt('deductibleUsedFen', deductibleUsedFen, 0);
  requireInt('deductibleFen', rules.deductibleFen, 0);
  requireInt('capPerShareFen', rules.capPerShareFen, 0);
  if (rules.deductibleBasis !== 'per_stay' && rules.deductibleBasis !== 'per_period') {
    throw new RangeError('deductibleBasis must be per_stay or per_period');
  }
  if (rules.bands.length === 0 || rules.bands.at(-1)!.uptoFen !== null) {
    throw new RangeError('bands must be non-empty and end open (uptoFen null)');
  }

  const deductibleAppliedFen =
    rules.deductibleBasis === 'per_stay' ? rules.deductibleFen : Math.max(0, rules.deductibleFen - deductibleUsedFen);
  const eligibleFen = Math.max(0, baseFen - deductibleAppliedFen);

  // Bands are consecutive ranges of the eligible amount: [0, upto₁), [upto₁, upto₂), …, [uptoₙ₋₁, ∞).
  let fromFen = 0;
  let sumPermilleFen = 0;
  const bands = rules.bands.map(({ uptoFen, ratePermille }, i): BandResult => {
    if (uptoFen !== null) requireInt(`bands.${i}.uptoFen`, uptoFen, fromFen + 1);
    requireInt(`bands.${i}.ratePermille`, ratePermille, 0);
    if (ratePermille > 1000) throw new RangeError(`bands.${i}.ratePermille must be ≤ 1000`);
    const top = uptoFen === null ? eligibleFen : Math.min(eligibleFen, uptoFen);
    const partFen = Math.max(0, top - fromFen);
    const resultPermilleFen = safe('band result', partFen * ratePermille);
    sumPermilleFen = safe('banded sum', sumPermilleFen + resultPermilleFen);
    const band = { fromFen, uptoFen, partFen, ratePermille, resultPermilleFen };
    if (uptoFen !== null) fromFen = uptoFen;
    return band;
  });
  const bandedFen = floorThousandth(sumPermilleFen);

  const capFen = safe('capFen', rules.capPerShareFen * shares);
  const capRemainingBeforeFen = Math.max(0, capFen - usedFen);
  const benefitFen = Math.min(safe('banded × shares', bandedFen * shares), capRemainingBeforeFen);
  const deductibleConsumedFen = rules.deductibleBasis === 'per_period' ? Math.min(deductibleAppliedFen, baseFen) : 0;

  return {
    baseFen,
    deductibleBasis: rules.deductibleBasis,
    deductibleFen: rules.deductibleFen,
    deductibleAppliedFen,
    eligibleFen,
    bands,
    bandedFen,
    shares,
    capFen,
    capRemainingBeforeFen,
    benefitFen,
    deductibleConsumedFen,
  };
};
