import * as z from '../zod';
import { described, int } from './common';

/** SPEC §4.6. */
const Band = z.object({
  uptoFen: z.nullable(int()),
  ratePermille: int(),
  eligibleFen: described(int(), 'Σ over the replayed claims of the part of the eligible amount inside the band (one share)'),
  benefitFen: described(
    int(),
    "the part of the benefits this band pays: each claim's benefit attributed to its bands from the lowest up (the cap and the floor take from the highest), so the bands sum to benefitsFen of the replay",
  ),
});

const Condition = z.object({
  code: z.string(),
  amountPerShareFen: int(),
  claims: described(int(), 'replayed claims of this condition'),
  benefitFen: int(),
});

const figures = {
  enrolments: described(int(), 'active enrolments (candidate: scaled by enrolmentChangePermille)'),
  contributionsFen: int(),
  benefitsFen: int(),
  lossRatioPermille: described(z.nullable(int()), 'floor(benefitsFen × 1000 / contributionsFen); null without contributions'),
  poolFen: described(int(), 'contributionsFen − benefitsFen'),
  cappedClaims: described(int(), "replayed claims the enrolment's cap cut"),
  bands: described(z.array(Band), 'banded plans: one per band of these rules (unscaled); lump-sum plans: empty'),
  conditions: described(z.optional(z.array(Condition)), 'lump-sum plans: one per condition of these rules (unscaled)'),
};

export const PlanSimulation = z
  .object({
    planId: z.string(),
    enrolments: described(int(), "the plan's active enrolments, from its counters"),
    claims: described(int(), 'approved or paid claims replayed'),
    actual: described(
      z.object(figures),
      'the plan as it is: contributions as counted, benefits replayed under its own rules — checked equal to its real approved totals (else 409 SIMULATION_MISMATCH)',
    ),
    candidate: described(
      z.object({ ...figures, alert: described(z.boolean(), 'the loss ratio exceeds 1000 ‰ (or benefits without contributions)') }),
      "the plan's shares repriced (new and renewing apart) and its claims replayed under the candidate, scaled by enrolmentChangePermille",
    ),
    difference: described(
      z.object({ contributionsFen: int(), benefitsFen: int(), lossRatioPermille: z.nullable(int()) }),
      'candidate − actual',
    ),
  })
  .check(z.meta({ id: 'PlanSimulation' }));
